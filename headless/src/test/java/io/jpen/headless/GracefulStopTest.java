package io.jpen.headless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.jpen.headless.JpenProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM stops jpen gracefully: it stops accepting, lets the connections open finish for --stop-grace seconds,
 * and resets what is left. Before, every transfer got a clean end at once, and a reader that stops at end of file
 * (raw TCP, an HTTP/1.0 body, an upload) took the truncated data for all of it. Each of 10 clients mid-download
 * gets all its bytes or a reset, never a clean short end; a server mid-upload sees a reset too.
 */
@Timeout(180)
class GracefulStopTest {
    private static final int CLIENTS = 10;
    /** Per download, sent in CHUNK pieces every PAUSE_MS: about 3 s each. */
    private static final int SIZE = 4 << 20;
    private static final int CHUNK = 64 << 10;
    private static final int PAUSE_MS = 50;

    @TempDir
    Path dir;

    /** What one download ended with. */
    private record Outcome(long bytes, boolean reset) {
        boolean complete() {
            return bytes == SIZE && !reset;
        }
    }

    @Test
    void downloadsOpenAtTermFinishWithinTheGraceAndNewClientsAreRefused() throws Exception {
        try (SlowSource backend = new SlowSource()) {
            int listen = freePort();
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "127.0.0.1:" + listen, "127.0.0.1:" + backend.port())) {
                List<CompletableFuture<Outcome>> downloads = startDownloads(listen, jpen);
                jpen.signal("TERM");
                await().atMost(30, TimeUnit.SECONDS).until(() -> jpen.output().contains("stopped accepting"));
                assertThat(refused(listen)).as("a new client after TERM is refused").isTrue();
                for (CompletableFuture<Outcome> d : downloads) {
                    assertThat(d.get(60, TimeUnit.SECONDS)).as("a download open at TERM").matches(Outcome::complete);
                }
                assertThat(jpen.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(jpen.process().exitValue()).as(jpen.output()).isZero();
            }
        }
    }

    @Test
    void whatTheGraceDoesNotCoverIsResetNeverEndedCleanly() throws Exception {
        try (SlowSource backend = new SlowSource()) {
            int listen = freePort();
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "--stop-grace", "1", "127.0.0.1:" + listen,
                    "127.0.0.1:" + backend.port())) {
                List<CompletableFuture<Outcome>> downloads = startDownloads(listen, jpen);
                // An upload too: the server must not take a cut-off upload for a whole one either.
                Socket upload = new Socket(InetAddress.getLoopbackAddress(), listen);
                upload.getOutputStream().write("UPLOAD\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                upload.getOutputStream().write(new byte[CHUNK]);
                await().atMost(30, TimeUnit.SECONDS).until(() -> backend.uploaded.get() >= CHUNK);
                jpen.signal("TERM");
                List<Outcome> outcomes = new ArrayList<>();
                for (CompletableFuture<Outcome> d : downloads) outcomes.add(d.get(60, TimeUnit.SECONDS));
                System.out.println("downloads at TERM with a 1 s grace (bytes of " + SIZE + ", reset): " + outcomes);
                assertThat(outcomes).allSatisfy(o -> assertThat(o.complete() || o.reset())
                        .as("%s: all bytes or a reset", o).isTrue());
                assertThat(outcomes).anyMatch(Outcome::reset);
                await().atMost(30, TimeUnit.SECONDS).until(() -> !backend.uploadEnds.isEmpty());
                assertThat(backend.uploadEnds).containsOnly("reset");
                upload.close();
                assertThat(jpen.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(jpen.process().exitValue()).as(jpen.output()).isZero();
            }
        }
    }

    @Test
    void aSecondTermStopsAtOnceStillWithResets() throws Exception {
        try (SlowSource backend = new SlowSource()) {
            int listen = freePort();
            try (JpenProcess jpen = JpenProcess.start(dir, "-f", "--stop-grace", "60", "127.0.0.1:" + listen,
                    "127.0.0.1:" + backend.port())) {
                List<CompletableFuture<Outcome>> downloads = startDownloads(listen, jpen);
                jpen.signal("TERM");
                await().atMost(30, TimeUnit.SECONDS).until(() -> jpen.output().contains("to finish (TERM again to stop now)"));
                jpen.signal("TERM");
                assertThat(jpen.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(jpen.process().exitValue()).as(jpen.output()).isZero();
                List<Outcome> outcomes = new ArrayList<>();
                for (CompletableFuture<Outcome> d : downloads) outcomes.add(d.get(60, TimeUnit.SECONDS));
                assertThat(outcomes).allSatisfy(o -> assertThat(o.complete() || o.reset())
                        .as("%s: all bytes or a reset", o).isTrue());
                assertThat(outcomes).anyMatch(Outcome::reset);
            }
        }
    }

    /** CLIENTS downloads through jpen, returned once each has received some bytes (so all are mid-transfer). */
    private static List<CompletableFuture<Outcome>> startDownloads(int listen, JpenProcess jpen) throws Exception {
        await().atMost(60, TimeUnit.SECONDS).until(() -> !jpen.process().isAlive() || !refused(listen));
        List<AtomicLong> received = new ArrayList<>();
        List<CompletableFuture<Outcome>> downloads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            AtomicLong got = new AtomicLong();
            received.add(got);
            Socket s = new Socket(InetAddress.getLoopbackAddress(), listen);
            s.setSoTimeout(60_000);
            s.getOutputStream().write("DOWNLOAD\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            downloads.add(CompletableFuture.supplyAsync(() -> download(s, got)));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> received.stream().allMatch(r -> r.get() >= CHUNK));
        return downloads;
    }

    private static Outcome download(Socket s, AtomicLong got) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = in.read(buf)) >= 0) got.addAndGet(n);
            return new Outcome(got.get(), false);
        } catch (IOException e) {
            return new Outcome(got.get(), true);
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * After a first line: DOWNLOAD gets SIZE bytes slowly, then an end; UPLOAD is read to its end, and how it ended
     * ("eof" or "reset") is noted.
     */
    private static final class SlowSource implements AutoCloseable {
        final AtomicLong uploaded = new AtomicLong();
        final List<String> uploadEnds = new CopyOnWriteArrayList<>();
        private final ThreadPerConnection server = new ThreadPerConnection("slow-source", this::serve);

        SlowSource() throws IOException {
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
                if (line.toString().equals("UPLOAD")) {
                    byte[] buf = new byte[CHUNK];
                    try {
                        int n;
                        while ((n = in.read(buf)) >= 0) uploaded.addAndGet(n);
                        uploadEnds.add("eof");
                    } catch (IOException e) {
                        uploadEnds.add("reset");
                    }
                    return;
                }
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[CHUNK];
                for (int sent = 0; sent < SIZE; sent += CHUNK) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(PAUSE_MS);
                }
            } catch (IOException | InterruptedException ignored) {
                // the client went away, or the test ends
            }
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
