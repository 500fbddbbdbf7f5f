package io.jpen.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HttpResponseTrackerTest {
    private final List<String> events = new ArrayList<>();
    private final HttpResponseTracker tracker = new HttpResponseTracker(new HttpResponseTracker.Listener() {
        @Override
        public void answered(RequestKind kind, int status) {
            events.add(kind + " " + status);
        }

        @Override
        public void lost() {
            events.add("lost");
        }
    });

    private void observe(String text, int step) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += step) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes, i, Math.min(step, bytes.length - i));
            int before = b.readerIndex();
            tracker.observe(b);
            assertThat(b.readerIndex()).as("the tracker never consumes").isEqualTo(before);
        }
    }

    @Test
    void eachFinalResponseIsMatchedToItsRequestWhateverItsFraming() {
        for (int step : new int[]{1, 7, 10_000}) {
            HttpResponseTrackerTest t = new HttpResponseTrackerTest();
            t.tracker.requestSent(RequestKind.PLAIN);
            t.tracker.requestSent(RequestKind.HEAD);
            t.tracker.requestSent(RequestKind.PLAIN);
            t.tracker.requestSent(RequestKind.PLAIN);
            t.tracker.requestSent(RequestKind.UPGRADE);
            // A body that looks like a 101, a HEAD answer whose Content-Length has no body, a 100 Continue before a
            // chunked answer with a trailer, a 304, then the answer to the Upgrade.
            t.observe("HTTP/1.1 200 OK\r\nContent-Length: 34\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n"
                    + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;x=y\r\nHTTP/\r\n0\r\nT: 1\r\n\r\n"
                    + "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", step);
            assertThat(t.events).as("step " + step).containsExactly("PLAIN 200", "HEAD 200", "PLAIN 201", "PLAIN 304", "UPGRADE 200");
            assertThat(t.tracker.following()).isTrue();
        }
    }

    @Test
    void a101EndsTheTracking() {
        tracker.requestSent(RequestKind.UPGRADE);
        observe("HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 3);
        assertThat(events).containsExactly("UPGRADE 101", "lost");
        assertThat(tracker.following()).isFalse();
    }

    @Test
    void aResponseThatIsNotHttpOrEndsOnlyAtCloseCannotBeFollowed() {
        tracker.requestSent(RequestKind.PLAIN);
        observe("SSH-2.0-OpenSSH\r\n\r\n", 100);
        assertThat(events).containsExactly("lost");
        HttpResponseTrackerTest t = new HttpResponseTrackerTest();
        t.tracker.requestSent(RequestKind.PLAIN);
        t.observe("HTTP/1.0 200 OK\r\n\r\nbody until close", 100);
        assertThat(t.events).containsExactly("PLAIN 200", "lost");
    }
}
