package io.jpen.core.api.client.ssh;

import io.jpen.core.console.Console;
import io.jpen.core.api.client.RemoteConsole;
import io.jpen.core.console.SnapshotFanOut;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A jpen reached over SSH: a {@link RemoteConsole} on the local end of an {@link SshTunnel}. The API stays on the
 * remote host's loopback and the token is read there over the same connection. When ssh ends (network, reboot)
 * the tunnel is reopened with a growing pause (1 s doubling up to 30 s) and the token read again — a jpen that
 * restarted with a new token is picked up too; an unknown or changed host key on a reconnect is never accepted.
 */
public final class SshConsole implements Console {
    private static final Logger log = LoggerFactory.getLogger(SshConsole.class);
    private static final long MIN_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final SshTarget target;
    private final SshClient client;
    private final ScheduledExecutorService supervisor;
    private final ExecutorService delivery;
    private final SnapshotFanOut fanOut;
    private volatile SshTunnel tunnel;
    private volatile RemoteConsole remote;
    private volatile Subscription remoteSubscription;
    private volatile String tunnelError;
    private volatile boolean closed;
    private long backoffMillis = MIN_BACKOFF_MILLIS; // on the supervisor thread only

    private SshConsole(SshTarget target, SshClient client, SshTunnel first) {
        this.target = target;
        this.client = client;
        this.supervisor = Executors.newSingleThreadScheduledExecutor(SnapshotFanOut.daemonThreads("jpen-ssh-console"));
        this.delivery = Executors.newSingleThreadExecutor(SnapshotFanOut.daemonThreads("jpen-ssh-snapshots"));
        this.fanOut = new SnapshotFanOut(delivery);
        use(first);
        supervisor.scheduleWithFixedDelay(this::checkToken, 2, 2, TimeUnit.SECONDS);
    }

    /**
     * Logs in, reads the token and starts following the remote jpen. Blocks (for the login): call off the UI
     * thread. An unknown host key is shown to {@code question}; yes adds it to known_hosts and goes on.
     *
     * @throws SshAttachException saying what went wrong, in an operator's words
     */
    public static SshConsole open(SshTarget target, SshClient client, HostKeyQuestion question) {
        return new SshConsole(target, client, login(target, client, question, 0));
    }

    /** One login, asking about an unknown host key once and retrying when the local port was taken meanwhile. */
    static SshTunnel login(SshTarget target, SshClient client, HostKeyQuestion question, int localPort) {
        boolean asked = false;
        for (int attempt = 0; ; attempt++) {
            try {
                return SshTunnel.start(client, target, attempt == 0 ? localPort : 0);
            } catch (SshAttachException e) {
                SshFailure.Kind kind = e.failure().kind();
                if (kind == SshFailure.Kind.LOCAL_PORT_TAKEN && attempt < 3) continue;
                // nobody to ask (a reconnect): ssh's own refusal stands, no key is fetched
                if (kind != SshFailure.Kind.UNKNOWN_HOST_KEY || asked || question == HostKeyQuestion.REFUSE) throw e;
                asked = true;
                KnownHosts known = new KnownHosts(client);
                UnknownHostKey key = known.fetch(target);
                if (!question.trust(key)) {
                    throw new SshAttachException("not attached to " + target.login() + ": its host key ("
                            + String.join(", ", key.fingerprints()) + ") was not trusted");
                }
                known.add(key);
                log.info("added the host key of {} to {}", key.host(), key.knownHosts());
            }
        }
    }

    // ---- on the supervisor thread (and once in the constructor) ----

    private void use(SshTunnel t) {
        if (closed) {
            t.close();
            return;
        }
        tunnel = t;
        tunnelError = null;
        RemoteConsole r = new RemoteConsole(URI.create("http://127.0.0.1:" + t.localPort()), t.token());
        Subscription old = remoteSubscription;
        RemoteConsole previous = remote;
        remote = r;
        remoteSubscription = r.subscribe(this::received);
        if (old != null) old.close();
        if (previous != null) previous.close();
        t.onExit().thenRun(() -> {
            try {
                supervisor.execute(() -> lost(t));
            } catch (RejectedExecutionException closing) {
                // closed: nothing to reopen
            }
        });
    }

    private void received(Snapshot s) {
        fanOut.publish(s);
        try {
            supervisor.execute(() -> backoffMillis = MIN_BACKOFF_MILLIS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void lost(SshTunnel t) {
        if (closed || t != tunnel) return;
        tunnelError = t.exitReason(target).message();
        log.warn("lost the SSH connection to {}: {}", target.display(), tunnelError);
        reopenLater(t.localPort());
    }

    private void reopenLater(int port) {
        if (closed) return;
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        supervisor.schedule(() -> reopen(port), delay, TimeUnit.MILLISECONDS);
    }

    private void reopen(int port) {
        if (closed) return;
        try {
            // the same local port when free, so nothing else notices; nobody is there to ask about host keys
            use(login(target, client, HostKeyQuestion.REFUSE, port));
            log.info("SSH connection to {} reopened", target.display());
        } catch (SshAttachException e) {
            tunnelError = e.getMessage();
            reopenLater(port);
        }
    }

    /** A 401 through a live tunnel: jpen restarted with a new token. Closing ssh reopens it and reads the token again. */
    private void checkToken() {
        RemoteConsole r = remote;
        SshTunnel t = tunnel;
        String why = r == null ? null : r.lastError();
        if (t != null && t.alive() && !r.connected() && why != null && why.contains(" 401")) {
            log.info("{} refused the token; reading it again", target.display());
            CompletableFuture.runAsync(t::close);
        }
    }

    // ---- Console ----

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
        RemoteConsole r = remote;
        if (r == null || !tunnelAlive()) {
            return CompletableFuture.completedFuture(Reply.error("cannot run '" + commandLine + "' on " + target() + ": "
                    + (tunnelError == null ? "not connected" : tunnelError)));
        }
        return r.execute(commandLine);
    }

    @Override
    public String target() {
        return target.display();
    }

    @Override
    public boolean connected() {
        RemoteConsole r = remote;
        return tunnelAlive() && r != null && r.connected();
    }

    @Override
    public String lastError() {
        if (!tunnelAlive()) return tunnelError != null ? tunnelError : "the SSH connection ended";
        RemoteConsole r = remote;
        String why = r == null ? null : r.lastError();
        if (why == null) return null;
        // ssh tells why a forwarded connection failed; the HTTP client only sees it closed
        SshTunnel t = tunnel;
        if (t != null && t.lastStderrLine().contains("open failed")) {
            return "nothing answers at " + target.forwardDestination() + " on " + target.login()
                    + " (is jpen running there with --api " + target.apiPort() + "?)";
        }
        return why;
    }

    private boolean tunnelAlive() {
        SshTunnel t = tunnel;
        return t != null && t.alive();
    }

    /** The local end of the forward (loopback), for tests and diagnostics. */
    public int localPort() {
        SshTunnel t = tunnel;
        return t == null ? -1 : t.localPort();
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = remoteSubscription;
        if (s != null) s.close();
        RemoteConsole r = remote;
        if (r != null) r.close();
        SshTunnel t = tunnel;
        supervisor.shutdownNow();
        delivery.shutdownNow();
        if (t != null) t.close();
    }
}
