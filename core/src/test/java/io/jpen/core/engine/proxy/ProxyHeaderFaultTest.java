package io.jpen.core.engine.proxy;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.model.AcceptProxy;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad PROXY header's reason, as Netty's own decoder finds it, reads as words and names no Java class. */
class ProxyHeaderFaultTest {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** The one event the acceptor gives for a connection that sends {@code header}. */
    private static String refusal(byte[] header) {
        List<String> events = new ArrayList<>();
        ProxyAcceptor acceptor = new ProxyAcceptor((kind, message) -> events.add(message));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        acceptor.expect(ch, InetAddress.getLoopbackAddress(), new AcceptProxy(true, -1), AclCheck.PERMIT_ALL, 0,
                origin -> events.add("accepted " + origin));
        ch.writeInbound(Unpooled.wrappedBuffer(header));
        ch.finishAndReleaseAll();
        assertThat(events).hasSize(1);
        String m = events.get(0);
        assertThat(m).doesNotContain("Exception", "java.", "io.netty", "No enum", "null");
        return m.substring(m.indexOf("refused: ") + "refused: ".length());
    }

    private static byte[] v2(int versionAndCommand, int familyAndTransport) {
        byte[] b = new byte[16 + 12];
        System.arraycopy(V2_SIGNATURE, 0, b, 0, 12);
        b[12] = (byte) versionAndCommand;
        b[13] = (byte) familyAndTransport;
        b[15] = 12;
        return b;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PROXY TCP5 10.0.0.1 127.0.0.1 1000 80|its PROXY header is malformed: unknown protocol 'TCP5' (expected TCP4, TCP6 or UNKNOWN)",
            "PROXY  TCP4 10.0.0.1 127.0.0.1 1000 80|its PROXY header is malformed: no protocol after PROXY (expected TCP4, TCP6 or UNKNOWN)",
            "PROXY TCP4 999.1.1.1 127.0.0.1 1000 80|its PROXY header is malformed: invalid IPv4 address: 999.1.1.1",
            "PROXY TCP4 10.0.0.1 127.0.0.1 1000 http|its PROXY header is malformed: invalid port: http",
            "PROXY TCP4 10.0.0.1 127.0.0.1 1000|its PROXY header is malformed: invalid TCP4/6 header: PROXY TCP4 10.0.0.1 127.0.0.1 1000 (expected: 6 parts)",
            "PROXY UDP4 10.0.0.1 127.0.0.1 1000 80|its PROXY header is malformed: unsupported v1 proxied protocol: UDP4",
    })
    void aBadTextHeaderIsRefusedWithWhatIsWrongInIt(String header, String reason) {
        assertThat(refusal((header + "\r\n").getBytes(StandardCharsets.US_ASCII))).isEqualTo(reason);
    }

    @Test
    void aBadBinaryHeaderIsRefusedWithTheByteThatIsWrong() {
        assertThat(refusal(v2(0x21, 0xa1)))
                .isEqualTo("its PROXY header is malformed: unknown address family and transport in a v2 header (byte 0xa1)");
        assertThat(refusal(v2(0x2f, 0x11))).isEqualTo("its PROXY header is malformed: unknown command 15 in a v2 header");
        assertThat(refusal(v2(0x31, 0x11))).isEqualTo("its PROXY header is malformed: a binary header of version 3 (expected 2)");
        assertThat(refusal(v2(0x11, 0x11))).isEqualTo("its PROXY header is malformed: a binary header of version 1 (expected 2)");
    }

    @Test
    void theClientsBytesAreQuotedOnlyAsPrintableCharactersAndNeverAtLength() {
        String reason = refusal(("PROXY TCP4 10.0.0.1 127.0.0.1 1000 \u001b[2J" + "9".repeat(60) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(reason).startsWith("its PROXY header is malformed: invalid port: .[2J999").doesNotContain("\u001b");
        String tcp = refusal(("PROXY TCP4 " + "1".repeat(95) + " 2 3 4\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(tcp.length()).isLessThan(200);
    }

    @Test
    void aConnectionWithoutAnAddressIsNamedInWords() {
        List<String> events = new ArrayList<>();
        new ProxyAcceptor((kind, message) -> events.add(message)).rejected(ProxyRejection.MALFORMED, null, "why");
        assertThat(events).containsExactly("connection from an unknown address refused: why");
    }
}
