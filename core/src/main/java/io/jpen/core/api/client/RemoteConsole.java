package io.jpen.core.api.client;

import io.jpen.core.model.Reply;
import io.jpen.core.console.Console;
import io.jpen.core.api.ApiJson;
import io.jpen.core.console.SnapshotFanOut;
import io.jpen.core.model.Reasons;
import io.jpen.core.model.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A console on a jpen elsewhere, through its API: snapshots from the WebSocket stream, commands as POSTs.
 * When the remote goes away (restart, network), {@link #connected()} turns false, the last snapshot stays,
 * and the stream is reopened with a growing pause (0.1 s doubling up to 5 s) until it answers again.
 */
public final class RemoteConsole implements Console {
    private static final Logger log = LoggerFactory.getLogger(RemoteConsole.class);
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** A stream silent for this long is taken as dead (the remote ticks several times a second). */
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Refuse snapshots larger than this rather than buffer without bound. */
    private static final int MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

    private final ApiClient client;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService delivery;
    private final SnapshotFanOut fanOut;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError = "connecting";
    private volatile Stream current;
    private long backoffMillis = MIN_BACKOFF_MILLIS; // touched only on the scheduler thread

    /** Attaches to the API at {@code base} (e.g. {@code http://127.0.0.1:9090}) with {@code token}. */
    public RemoteConsole(URI base, String token) {
        this(base, token, null);
    }

    /** As above, over https with the given trust ({@link io.jpen.core.api.ApiTls#trusting}). */
    public RemoteConsole(URI base, String token, SSLContext tls) {
        this.client = new ApiClient(base, token, tls);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(SnapshotFanOut.daemonThreads("jpen-remote-console"));
        this.delivery = Executors.newSingleThreadExecutor(SnapshotFanOut.daemonThreads("jpen-remote-snapshots"));
        this.fanOut = new SnapshotFanOut(delivery);
        scheduler.execute(this::connect);
        scheduler.scheduleWithFixedDelay(this::watchdog, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public Subscription subscribe(Consumer<Snapshot> listener) {
        return fanOut.subscribe(listener);
    }

    @Override
    public Snapshot latest() {
        return fanOut.latest();
    }

    @Override
    public CompletableFuture<Reply> execute(String commandLine) {
        return client.commandAsync(commandLine).exceptionally(e ->
                Reply.error("cannot run '" + commandLine + "' on " + target() + ": " + describe(e)));
    }

    @Override
    public CompletableFuture<java.util.Optional<io.jpen.core.model.ConnectionDetail>> connection(int id) {
        return client.connectionAsync(id);
    }

    @Override
    public String target() {
        return client.base().toString();
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** Why the console is not connected (or was last disconnected), for the status line. */
    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
        Stream s = current;
        if (s != null) s.shutdown();
        scheduler.shutdownNow();
        delivery.shutdownNow();
    }

    // ---- the stream, on the scheduler thread ----

    private void connect() {
        if (closed) return;
        Stream s = new Stream();
        current = s;
        client.openStream(s).whenComplete((ws, err) -> {
            if (err != null) {
                s.lost(describe(err));
            } else {
                s.socket = ws;
                if (closed) s.shutdown();
            }
        });
    }

    /** In words, for the banner and replies: never an exception's class name. */
    private String describe(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof java.net.http.WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            return "the balancer answered " + status + (status == 401 ? " (missing or wrong token)" : "");
        }
        URI base = client.base();
        int port = base.getPort() >= 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        return Reasons.of(t, base.getHost() + ":" + port, ApiClient.TIMEOUT);
    }

    private void reconnectLater() {
        if (closed) return;
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void watchdog() {
        Stream s = current;
        if (s != null && s.socket != null && System.nanoTime() - s.lastMessageNanos > STALE_NANOS) {
            s.lost("no snapshot for " + TimeUnit.NANOSECONDS.toSeconds(STALE_NANOS) + " s");
        }
    }

    private void received(Snapshot s) {
        boolean was = connected;
        fanOut.publish(s); // first: whoever sees connected() must find a snapshot in latest()
        connected = true;
        if (!was) log.info("attached to {}", target());
        lastError = null;
        scheduler.execute(() -> backoffMillis = MIN_BACKOFF_MILLIS);
    }

    /** One attempt at the stream; once lost it schedules the next attempt exactly once. */
    private final class Stream implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final AtomicBoolean dead = new AtomicBoolean();
        volatile WebSocket socket;
        volatile long lastMessageNanos = System.nanoTime();

        @Override
        public void onOpen(WebSocket ws) {
            socket = ws;
            lastMessageNanos = System.nanoTime();
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            lastMessageNanos = System.nanoTime();
            text.append(data);
            if (text.length() > MAX_MESSAGE_CHARS) {
                lost("snapshot larger than " + MAX_MESSAGE_CHARS + " characters");
                return null;
            }
            if (last) {
                String json = text.toString();
                text.setLength(0);
                try {
                    received(ApiClient.readSnapshot(json));
                } catch (java.io.IOException e) {
                    lost("unreadable snapshot: " + ApiJson.whatIsWrong(e, Snapshot.class, "the snapshot"));
                    return null;
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost("the balancer closed the stream (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost("the stream broke: " + describe(error));
        }

        void lost(String why) {
            if (!dead.compareAndSet(false, true)) return;
            WebSocket ws = socket;
            if (ws != null) ws.abort();
            if (closed) return;
            if (connected) log.warn("lost {}: {}", target(), why);
            connected = false;
            lastError = why;
            try {
                scheduler.execute(RemoteConsole.this::reconnectLater);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // closed meanwhile: no reconnect wanted
            }
        }

        void shutdown() {
            dead.set(true);
            WebSocket ws = socket;
            if (ws != null) ws.abort();
        }
    }
}
