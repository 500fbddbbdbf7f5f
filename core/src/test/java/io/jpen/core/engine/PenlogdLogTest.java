package io.jpen.core.engine;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The access log's penlogd form: Pen's rule for telling it from a file, its datagrams, its errors. */
@Timeout(20)
class PenlogdLogTest {
    @Test
    void eachRequestIsOneDatagramInPensNetworkFormatCutToFitPenlogdsBuffer() throws Exception {
        try (DatagramSocket penlogd = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AccessLog log = new AccessLog()) {
            penlogd.setSoTimeout(5_000);
            log.open("127.0.0.1:" + penlogd.getLocalPort());
            assertThat(log.enabled()).isTrue();
            assertThat(log.path()).isNull();
            InetSocketAddress server = new InetSocketAddress("127.0.0.3", 80);
            log.request(InetAddress.getByName("127.0.0.9"), server, 0,
                    Unpooled.copiedBuffer("GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1));
            assertThat(receive(penlogd)).isEqualTo("+ 127.0.0.9 127.0.0.3 GET /a.b HTTP/1.1\n");
            log.request(InetAddress.getByName("127.0.0.9"), server, 0,
                    Unpooled.copiedBuffer("GET /" + "x".repeat(5000), StandardCharsets.ISO_8859_1));
            String longLine = receive(penlogd);
            assertThat(longLine).hasSize(1023).startsWith("+ 127.0.0.9 127.0.0.3 GET /xxx").endsWith("x\n");
        }
    }

    @Test
    void aNameWithALeadingSlashOrDotSlashOrWithoutAColonIsAFile(@TempDir Path dir) throws Exception {
        try (AccessLog log = new AccessLog()) {
            Path colon = dir.resolve("access:old");
            log.open(colon.toString());
            assertThat(log.path()).isEqualTo(colon);
            assertThat(Files.exists(colon)).isTrue();
            assertThat(AccessLog.network("./access:old")).isFalse(); // Pen would look up a host "./access"
            assertThat(AccessLog.network("access.log")).isFalse();
            assertThat(AccessLog.network("/var/log/a:b")).isFalse();
            assertThat(AccessLog.network("[::1]:10000")).isTrue();
        }
    }

    @Test
    void aBadAddressIsAClearErrorAndTheLogStaysAsItWas(@TempDir Path dir) {
        try (AccessLog log = new AccessLog()) {
            Path file = dir.resolve("access.log");
            log.open(file.toString());
            assertThatThrownBy(() -> log.open("127.0.0.1:notaport"))
                    .hasMessageContaining("log 127.0.0.1:notaport: bad port 'notaport'")
                    .hasMessageContaining("penlogd's host:port");
            assertThatThrownBy(() -> log.open("127.0.0.1:0")).hasMessageContaining("log 127.0.0.1:0: port out of range");
            assertThat(log.destination()).isEqualTo(file.toString());
        }
    }

    private static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
    }
}
