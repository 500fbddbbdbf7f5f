package io.jpen.core.model;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures said in words: what operators read instead of exception text. */
class ReasonsTest {

    /** What no sentence for an operator may contain. */
    static void noClassNames(String said) {
        assertThat(said).doesNotContain("java.").doesNotContain("Exception").doesNotContain("io.netty").doesNotContain("$");
    }

    @Test
    void aRefusedConnectOnLoopbackIsConnectionRefusedByTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IOException refused = null;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        } catch (IOException e) {
            refused = e;
        }
        assertThat(refused).isNotNull();
        String said = Reasons.of(refused, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(said).isEqualTo("connection refused by 127.0.0.1:" + port);
        noClassNames(said);
    }

    @Test
    void nettysWordingsBecomeSentences() {
        // the messages Netty's transports give, with the class names they print in front
        assertThat(Reasons.of(new ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:8083"), "127.0.0.1:8083"))
                .isEqualTo("connection refused by 127.0.0.1:8083");
        assertThat(Reasons.of(new IOException("connection timed out after 3000 ms: /127.0.0.1:8083"), "127.0.0.1:8083"))
                .isEqualTo("no answer from 127.0.0.1:8083 within 3 s");
        assertThat(Reasons.of(new IOException("read(..) failed: Connection reset by peer"), "127.0.0.1:8083"))
                .isEqualTo("connection reset by 127.0.0.1:8083");
        assertThat(Reasons.of(new IOException("io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record: 474554"), (String) null))
                .isEqualTo("it did not speak TLS");
    }

    @Test
    void wrappersAreLookedThroughAndTheTellingCauseWins() {
        Throwable httpClientRefusal = new CompletionException(new ConnectException(null) {{
            initCause(new ConnectException(null) {{
                initCause(new ClosedChannelException());
            }});
        }});
        String said = Reasons.of(httpClientRefusal, "127.0.0.1:9090");
        assertThat(said).isEqualTo("cannot connect to 127.0.0.1:9090");
        noClassNames(said);
        assertThat(Reasons.of(new UncheckedIOException(new UnknownHostException("db.example")), "db.example:80"))
                .isEqualTo("cannot find the host db.example");
        assertThat(Reasons.of(new java.net.http.HttpTimeoutException("request timed out"), "127.0.0.1:9090", Duration.ofSeconds(10)))
                .isEqualTo("no answer from 127.0.0.1:9090 within 10 s");
        assertThat(Reasons.of(new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"), "h:443"))
                .isEqualTo("the TLS certificate of h:443 is not trusted");
    }

    @Test
    void anUnknownFailureKeepsItsMessageWithoutClassNames() {
        String said = Reasons.of(new IllegalStateException("java.lang.IllegalStateException: the loop is gone"), (String) null);
        assertThat(said).isEqualTo("the loop is gone");
        said = Reasons.of(new java.util.concurrent.RejectedExecutionException(
                "Task x rejected from java.util.concurrent.ThreadPoolExecutor@1b2c3d[Terminated]"), (String) null);
        noClassNames(said);
        said = Reasons.of(new NullPointerException(), "127.0.0.1:1");
        assertThat(said).isEqualTo("an unexpected failure with 127.0.0.1:1");
    }

    @Test
    void ourOwnSentencesAreKeptAsTheyAre() {
        assertThat(Reasons.words(new IllegalArgumentException("a Pen command line needs a listen address")))
                .isEqualTo("a Pen command line needs a listen address");
        String said = Reasons.words(new CompletionException(new ConnectException(null)));
        noClassNames(said);
    }

    @Test
    void addressesReadAsTyped() {
        assertThat(Reasons.peer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80))).isEqualTo("127.0.0.1:80");
        assertThat(Reasons.peer(new InetSocketAddress("::1", 80))).isEqualTo("[0:0:0:0:0:0:0:1]:80");
    }
}
