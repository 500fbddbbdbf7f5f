package io.jpen.core.engine.proxy;

import io.jpen.core.api.ApiMetrics;
import io.jpen.core.console.Sampler;
import io.jpen.core.engine.Engine;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Clients;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.ProxyHeaders;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.jpen.core.engine.proxy.ProxyAcceptTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Missing, malformed, oversized, cut-short and late PROXY headers: each closes only its own connection with a
 * logged reason and a count in {@code /metrics}, while a healthy connection through the same listener carries on.
 */
@Timeout(60)
class ProxyBadHeaderTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A v2 TCP4 header from 10.9.8.7:1000 to 127.0.0.1:80 with {@code tlv} after the addresses. */
    static byte[] v2WithTlv(byte[] tlv, int declaredExtra) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12 + tlv.length);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) (12 + tlv.length + declaredExtra));
        b.put(new byte[]{10, 9, 8, 7}).put(new byte[]{127, 0, 0, 1}).putShort((short) 1000).putShort((short) 80);
        b.put(tlv);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code bytes} and waits until jpen ends the connection (end of file or a reset). */
    private static void refused(int port, byte[] bytes, boolean thenClose) throws IOException {
        try (Socket s = ProxyHeaders.open("127.0.0.1", port, bytes)) {
            if (thenClose) s.shutdownOutput();
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).as("jpen ends the connection without a byte").isEqualTo(-1);
            } catch (SocketException reset) {
                // closed with unread bytes in its receive buffer: a reset is an end too
            }
        }
    }

    @Test
    void everyKindOfBadHeaderClosesOnlyItsConnectionWithAReasonAndACountWhileAHealthyOneCarriesOn() throws Exception {
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = resources.keep(Engines.start(s -> s.withTimeoutSeconds(1), echo));
        ok(e, "accept_proxy");
        try (Socket healthy = ProxyHeaders.open("127.0.0.1", e.port(), ProxyHeaders.v1("10.0.0.1", 1, "127.0.0.1", 80))) {
            Clients.echo(healthy, "before");

            refused(e.port(), ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), false);
            refused(e.port(), ascii("PROXY TCP4 999.1.1.1 127.0.0.1 1000 80\r\n"), false);
            refused(e.port(), ascii("PROXY TCP4 10.0.0.1 127.0.0.1 99999 80\r\n"), false);
            refused(e.port(), ascii("PROXY TCP4 " + "1".repeat(200)), false);
            byte[] noop = {0x04, 0x00, 0x03, 1, 2, 3};
            refused(e.port(), v2WithTlv(noop, 5000), false); // says 5 kB more than it has, and waits: late
            byte[] huge = new byte[3 + 4000];
            huge[0] = 0x04;
            huge[1] = (byte) (4000 >> 8);
            huge[2] = (byte) 4000;
            refused(e.port(), v2WithTlv(huge, 0), false);
            refused(e.port(), v2WithTlv(new byte[]{0x04, 0x00, 0x30, 1, 2, 3}, 0), false); // a TLV longer than the header
            byte[] wrongVersion = v2WithTlv(new byte[0], 0);
            wrongVersion[12] = 0x31;
            refused(e.port(), wrongVersion, false);
            refused(e.port(), ascii("PROXY TCP4 10.0.0.1 12"), true); // half a header, then the end
            refused(e.port(), ascii("PROXY TC"), false); // half a header, then nothing: the connect timeout

            Clients.echo(healthy, "after");
        }
        // A header with a TLV jpen does not use is still a good header.
        try (Socket tlv = ProxyHeaders.open("127.0.0.1", e.port(), v2WithTlv(new byte[]{0x04, 0x00, 0x03, 1, 2, 3}, 0))) {
            Clients.echo(tlv, "tlv");
        }

        var view = e.proxyView();
        assertThat(view.rejected()).containsEntry("missing", 1L).containsEntry("malformed", 4L)
                .containsEntry("oversized", 2L).containsEntry("closed", 1L).containsEntry("timeout", 2L)
                .containsEntry("denied", 0L);
        assertThat(view.accepted()).isEqualTo(2);
        assertThat(e.events().recent()).anyMatch(ev -> ev.message().contains("did not start with a PROXY header but with 'GET / HTTP/1'"))
                .anyMatch(ev -> ev.message().contains("too long"))
                .anyMatch(ev -> ev.message().contains("no whole PROXY header within 1.0 s"))
                .anyMatch(ev -> ev.message().contains("closed before sending a whole PROXY header"))
                .anyMatch(ev -> ev.message().contains("invalid IPv4 address: 999.1.1.1"))
                .anyMatch(ev -> ev.message().contains("a binary header of version 3 (expected 2)"))
                .noneMatch(ev -> ev.message().contains("Exception") || ev.message().contains("io.netty"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> e.connectionList().isEmpty());

        String metrics = new String(new ApiMetrics(new Sampler(e, 10, 10)::sample).scrape(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("jpen_proxy_header_rejected_total{reason=\"malformed\"} 4.0")
                .contains("jpen_proxy_header_rejected_total{reason=\"timeout\"} 2.0")
                .contains("jpen_proxy_headers_total 2.0");
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheConnectTimeoutAndTheListenerServesOthersMeanwhile() throws Exception {
        Backend echo = resources.keep(Backend.echo("echo"));
        Engine e = resources.keep(Engines.start(s -> s.withTimeoutSeconds(2), echo));
        ok(e, "accept_proxy");
        try (Socket silent = ProxyHeaders.open("127.0.0.1", e.port(), new byte[0])) {
            for (int i = 0; i < 5; i++) {
                try (Socket s = ProxyHeaders.open("127.0.0.1", e.port(), ProxyHeaders.v2("10.0.0." + i, 1, "127.0.0.1", 80))) {
                    Clients.echo(s, "served " + i);
                }
            }
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(e.proxyView().rejected()).containsEntry("timeout", 1L);
        assertThat(Arrays.asList(e.proxyView().accepted())).containsExactly(5L);
    }
}
