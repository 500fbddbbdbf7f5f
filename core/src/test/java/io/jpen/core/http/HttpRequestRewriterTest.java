package io.jpen.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRequestRewriterTest {
    private final HttpRequestRewriter rewriter = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "127.0.0.2", "http", 1024);

    /** Feeds {@code text} in pieces of {@code step} bytes and returns everything the rewriter forwarded. */
    private String feed(String text, int step) {
        return feed(rewriter, text, step);
    }

    private static String feed(HttpRequestRewriter rewriter, String text, int step) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i += step) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, i, Math.min(step, bytes.length - i));
            try {
                rewriter.feed(in, b -> {
                    byte[] copy = new byte[b.readableBytes()];
                    b.readBytes(copy);
                    b.release();
                    out.writeBytes(copy);
                });
            } finally {
                in.release();
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyRequestOnAKeepAliveConnectionGetsTheHeadersEvenOneByteAtATime() {
        String two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        String expected = "GET /a HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n";
        assertThat(feed(two, 1)).isEqualTo(expected);
        assertThat(rewriter.requests()).isEqualTo(2);
    }

    @Test
    void anExistingForwardedForGetsTheClientAppendedAndAClaimedProtoIsReplaced() {
        String out = feed("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\nHost: x\r\n\r\n", 7);
        assertThat(out).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.1, 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n");
    }

    @Test
    void contentLengthBodiesPassUnchangedEvenWhenTheyLookLikeRequests() {
        String body = "GET /evil HTTP/1.1\r\n\r\n";
        String in = "POST /p HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + "GET /n HTTP/1.0\r\n\r\n";
        for (int step : new int[]{1, 3, 1000}) {
            HttpRequestRewriter r = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "::1", "https", 1024);
            String out = feed(r, in, step);
            assertThat(out).isEqualTo("POST /p HTTP/1.1\r\nContent-Length: 22\r\nX-Forwarded-For: ::1\r\nX-Forwarded-Proto: https\r\n\r\n"
                    + body + "GET /n HTTP/1.0\r\nX-Forwarded-For: ::1\r\nX-Forwarded-Proto: https\r\n\r\n");
            assertThat(r.requests()).isEqualTo(2);
        }
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersPassUnchanged() {
        String chunks = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n";
        String in = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "GET /next HTTP/1.1\r\n\r\n";
        String out = feed(in, 1);
        assertThat(out).isEqualTo("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n"
                + chunks + "GET /next HTTP/1.1\r\nX-Forwarded-For: 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n");
    }

    @Test
    void afterAnUpgradeRequestTheRestWaitsForTheAnswerAndA101MakesItATunnel() {
        String out = feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0085binary", 4);
        assertThat(out).endsWith("X-Forwarded-Proto: http\r\n\r\n");
        assertThat(rewriter.awaitingAnswer()).isTrue();
        assertThat(answer(rewriter, 101)).isEqualTo("\u0081\u0085binary");
        assertThat(feed("GET / HTTP/1.1\r\n\r\n", 100)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void anUpgradeAnsweredOtherwiseLeavesTheConnectionHttpAndWhatWaitedIsRewritten() {
        String sneaky = "GET /b HTTP/1.1\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n\r\n";
        feed("GET /a HTTP/1.1\r\nUpgrade: foo\r\n\r\n" + sneaky, 5);
        assertThat(answer(rewriter, 200)).isEqualTo(
                "GET /b HTTP/1.1\r\nX-Forwarded-For: 6.6.6.6, 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n");
        assertThat(rewriter.awaitingAnswer()).isFalse();
        assertThat(rewriter.requests()).isEqualTo(2);
    }

    @Test
    void aConnectTunnelsOnlyOnA2xxAnswer() {
        HttpRequestRewriter refused = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "x", "http", 1024);
        feed(refused, "CONNECT h:443 HTTP/1.1\r\n\r\n", 3);
        assertThat(refused.awaitingAnswer()).isTrue();
        answer(refused, 407);
        assertThatThrownBy(() -> feed(refused, "\u0016\u0003\u0001", 3)).isInstanceOf(HttpRejection.class);
        HttpRequestRewriter agreed = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "x", "http", 1024);
        feed(agreed, "CONNECT h:443 HTTP/1.1\r\n\r\n", 3);
        answer(agreed, 200);
        assertThat(feed(agreed, "\u0016\u0003\u0001", 3)).isEqualTo("\u0016\u0003\u0001");
    }

    @Test
    void aClientThatSendsMoreThanTheLimitBeforeTheAnswerIsRefused() {
        feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", 100);
        assertThatThrownBy(() -> feed("x".repeat(2000), 100)).isInstanceOfSatisfying(HttpRejection.class,
                r -> assertThat(r.getMessage()).contains("before the server answered the Upgrade request"));
    }

    @Test
    void whenAnswersCannotBeFollowedNothingWaitsAndNothingIsTunnelled() {
        feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", 100);
        StringBuilder out = new StringBuilder();
        rewriter.answersLost(b -> {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        });
        assertThat(rewriter.awaitingAnswer()).isFalse();
        assertThat(feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET / HTTP/1.1\r\n\r\n", 100))
                .endsWith("GET / HTTP/1.1\r\nX-Forwarded-For: 127.0.0.2\r\nX-Forwarded-Proto: http\r\n\r\n");
    }

    private static String answer(HttpRequestRewriter r, int status) {
        StringBuilder out = new StringBuilder();
        r.answered(status, b -> {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        });
        return out.toString();
    }

    @Test
    void aHeadOverTheLimitIs431() {
        String big = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n";
        assertThatThrownBy(() -> feed(big, 100)).isInstanceOfSatisfying(HttpRejection.class, r -> assertThat(r.status()).isEqualTo(431));
    }

    @Test
    void malformedHeadsAre400WithAReason() {
        assertRejected("GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400, "without a name and colon");
        assertRejected("GET / HTTP/1.1\r\nBad Name: v\r\n\r\n", 400, "invalid header name");
        assertRejected("GET / HTTP/1.1\r\n folded\r\n\r\n", 400, "folding");
        assertRejected("GET / HTTP/2.0\r\n\r\n", 400, "unsupported version");
        assertRejected("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "conflicting Content-Length");
        assertRejected("POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", 400, "invalid Content-Length");
        assertRejected("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both Content-Length");
        assertRejected("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "does not end in chunked");
        assertRejected("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "invalid chunk size");
    }

    @Test
    void nonHttpBytesAreRecognisedAsSuch() {
        HttpRequestRewriter r = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "x", "http", 1024);
        assertThatThrownBy(() -> feed(r, "\u0016\u0003\u0001\u0002\u0000", 1))
                .isInstanceOfSatisfying(HttpRejection.class, e -> assertThat(e.notHttp()).isTrue());
        HttpRequestRewriter ssh = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "x", "http", 1024);
        assertThatThrownBy(() -> feed(ssh, "SSH-2.0-OpenSSH_9.6\r\n", 1))
                .isInstanceOfSatisfying(HttpRejection.class, e -> assertThat(e.notHttp()).isTrue());
    }

    private void assertRejected(String text, int status, String reason) {
        HttpRequestRewriter r = new HttpRequestRewriter(ByteBufAllocator.DEFAULT, "x", "http", 1024);
        assertThatThrownBy(() -> feed(r, text, 1))
                .isInstanceOfSatisfying(HttpRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.getMessage()).contains(reason);
                });
    }
}
