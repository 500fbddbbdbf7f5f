package io.jpen.core.select;

import io.jpen.core.model.ServerOptions;
import io.jpen.core.model.ServerSpec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend's live state. The spec is replaced by commands; counters are written from every event loop
 * without locks (adders and atomics), and read by the sampler.
 */
public final class Server {
    /** The operator's say over a server: normal, draining, or in maintenance. */
    public enum Admin { READY, DRAIN, MAINT }

    /** A change of {@link #state} noticed by {@link #note}: from, to, and why in plain words. */
    public record Transition(ServerState from, ServerState to, String reason) {}

    private final int index;
    private volatile ServerSpec spec;
    private volatile java.net.InetSocketAddress address;
    private volatile long blacklistedUntilMillis;
    /** Failed and has not answered since: its next failures are no news (Pen logs only the first one too). */
    private volatile boolean failing;
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Bytes sent to the server (Pen's "sx") and received from it ("rx"). */
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    /** Datagrams to and from the server (UDP mode). */
    private final LongAdder datagramsSent = new LongAdder();
    private final LongAdder datagramsReceived = new LongAdder();
    /** Time to connect, and (HTTP mode) from a request to the first byte of its answer. */
    private final Latency connectLatency = new Latency();
    private final Latency firstByteLatency = new Latency();

    // ---- lifecycle (health checks, drain, maintenance, slow start) ----
    private volatile ServerOptions options = ServerOptions.NONE;
    private volatile Admin admin = Admin.READY;
    /** When a timed drain closes what is left (epoch millis), 0 when the drain has no deadline. */
    private volatile long drainDeadlineMillis;
    /** Set by the active check after health_fall failures, cleared after health_rise passes. */
    private volatile boolean checkFailed;
    /** Slow start runs from here (epoch millis); 0 = no ramp. */
    private volatile long rampFromMillis;
    /**
     * During the ramp, each client offered adds the share (in millionths); a client is taken when a whole one has
     * built up. The share holds without chance and without catching up on a smaller share before.
     */
    private final AtomicLong rampCredit = new AtomicLong();
    /** The state last noticed by {@link #note}, since when, and why; written under {@code this}. */
    private ServerState noted = ServerState.UP;
    private volatile long notedSinceMillis;
    private volatile String reason = "";

    public Server(int index, ServerSpec spec) {
        this.index = index;
        this.spec = spec;
        this.noted = spec.unused() ? ServerState.DISABLED : ServerState.UP;
    }

    public int index() { return index; }
    public ServerSpec spec() { return spec; }
    public void spec(ServerSpec spec) { this.spec = spec; }

    /** The resolved address (null for an unused slot); resolved when the spec is set, never on the data path. */
    public java.net.InetSocketAddress address() { return address; }
    public void address(java.net.InetSocketAddress a) { this.address = a; }

    public int connections() { return connections.get(); }
    public long totalConnections() { return totalConnections.sum(); }
    public long failures() { return failures.sum(); }
    public long bytesSent() { return bytesSent.sum(); }
    public long bytesReceived() { return bytesReceived.sum(); }

    public long datagramsSent() { return datagramsSent.sum(); }
    public long datagramsReceived() { return datagramsReceived.sum(); }
    public void addDatagramSent() { datagramsSent.increment(); }
    public void addDatagramReceived() { datagramsReceived.increment(); }

    public Latency connectLatency() { return connectLatency; }
    public Latency firstByteLatency() { return firstByteLatency; }

    public void addSent(long n) { bytesSent.add(n); }
    public void addReceived(long n) { bytesReceived.add(n); }

    /** Counts a connection as using this server; every call is paired with one {@link #release()}. */
    public void acquire() {
        connections.incrementAndGet();
        totalConnections.increment();
    }

    public void release() {
        connections.decrementAndGet();
    }

    public long blacklistedUntilMillis() { return blacklistedUntilMillis; }

    public boolean blacklisted(long nowMillis) {
        return nowMillis < blacklistedUntilMillis;
    }

    /** Excludes the server from selection for {@code seconds} (0 lifts the blacklist). */
    public void blacklist(long nowMillis, int seconds) {
        blacklistedUntilMillis = seconds <= 0 ? 0 : nowMillis + seconds * 1000L;
    }

    /** Counts a failure and blacklists the server; true when it had been answering until now. */
    public boolean failed(long nowMillis, int blacklistSeconds) {
        failures.increment();
        blacklist(nowMillis, blacklistSeconds);
        boolean news = !failing;
        failing = true;
        return news;
    }

    /** The server answered (a connect completed, a datagram came back); true when it had been failing. */
    public boolean answered() {
        if (!failing) return false; // the common case: one volatile read
        failing = false;
        return true;
    }

    /**
     * What the server is now. The operator's word comes first (maint, then drain), then the active check (down),
     * then Pen's passive blacklist: a drained server that also fails its check shows as drain, since that is what
     * the operator asked for, and its check result is shown beside it.
     */
    public ServerState state(long nowMillis) {
        if (spec.unused()) return ServerState.DISABLED;
        Admin a = admin;
        if (a == Admin.MAINT) return ServerState.MAINT;
        if (a == Admin.DRAIN) return ServerState.DRAIN;
        if (checkFailed) return ServerState.DOWN;
        if (blacklisted(nowMillis)) return ServerState.BLACKLISTED;
        return ServerState.UP;
    }

    /**
     * Whether this server can take clients at all: its {@link #state} is up (configured, not blacklisted, not down
     * by its check, not draining, not in maintenance). The one place that decides it: selection
     * ({@link #available}), the Maglev table's membership and the {@code health} answer ask here. Load limits (max,
     * hard) are not part of it: they change with every connection and are checked per connection by
     * {@link #available}; nor is slow start, which thins a server's share of new clients ({@link #rampAdmits}).
     */
    public boolean inRotation(long nowMillis) {
        return state(nowMillis) == ServerState.UP;
    }

    public ServerOptions options() { return options; }
    public void options(ServerOptions o) { this.options = o; }

    public Admin admin() { return admin; }

    /**
     * Sets the operator's state; {@code drainDeadlineMillis} is when a timed drain closes what is left (0 = none).
     * Leaving maintenance for normal starts the slow-start ramp.
     */
    public void admin(Admin a, long drainDeadlineMillis, long nowMillis) {
        Admin before = admin;
        this.drainDeadlineMillis = a == Admin.DRAIN ? drainDeadlineMillis : 0;
        this.admin = a;
        if (before == Admin.MAINT && a == Admin.READY) startRamp(nowMillis);
    }

    public long drainDeadlineMillis() { return drainDeadlineMillis; }

    public boolean checkFailed() { return checkFailed; }

    /** The active check's verdict; coming back from down starts the slow-start ramp. */
    public void checkFailed(boolean failed, long nowMillis) {
        boolean before = checkFailed;
        checkFailed = failed;
        if (before && !failed) startRamp(nowMillis);
    }

    /** Starts the slow-start ramp now (a server coming up, or the balancer starting). */
    public void startRamp(long nowMillis) {
        rampCredit.set(0);
        rampFromMillis = nowMillis;
    }

    /**
     * The share of its normal new clients the server takes now: 1 without slow start or once the ramp is over,
     * growing linearly from 0 over {@code slowstart} seconds after it came up.
     */
    public double rampShare(long nowMillis) {
        int seconds = options.slowstartSeconds();
        long from = rampFromMillis;
        if (seconds == 0 || from == 0) return 1;
        long elapsed = nowMillis - from;
        if (elapsed >= seconds * 1000L) return 1;
        return Math.max(0, elapsed) / (seconds * 1000.0);
    }

    /**
     * During slow start, whether the server takes this new client: of the clients offered to it, it takes the
     * ramp's share now, counted rather than drawn, so the share over a few dozen clients is already the ramp's.
     */
    public boolean rampAdmits(long nowMillis) {
        double share = rampShare(nowMillis);
        if (share >= 1) return true;
        long add = Math.round(share * 1_000_000);
        while (true) {
            long c = rampCredit.get();
            long next = c + add;
            boolean take = next >= 1_000_000;
            if (rampCredit.compareAndSet(c, take ? next - 1_000_000 : next)) return take;
        }
    }

    /**
     * Records the state now and returns the change since the last call, or null when there is none. Every change
     * of state goes through here with its reason in plain words ({@code why}; the caller words a change it only
     * found, such as a blacklist running out).
     */
    public synchronized Transition note(long nowMillis, String why) {
        ServerState now = state(nowMillis);
        if (now == noted) {
            if (why != null && !why.isEmpty() && now != ServerState.UP) reason = why; // a fresher reason for the same state
            return null;
        }
        Transition t = new Transition(noted, now, why == null ? "" : why);
        noted = now;
        notedSinceMillis = nowMillis;
        reason = t.reason();
        return t;
    }

    /** The state last noticed by {@link #note}. */
    public synchronized ServerState notedState() { return noted; }

    /** Since when the state last noticed by {@link #note} holds (epoch millis; 0 = since the start). */
    public long stateSinceMillis() { return notedSinceMillis; }

    /** Why the server is in its state, in plain words ("HTTP 503 from /healthz"); empty when nothing to say. */
    public String reason() { return reason; }

    /**
     * Whether this server may take one more connection: in rotation, and under its soft limit, or under its hard
     * limit when the client is returning to it (Pen's rule).
     */
    public boolean available(long nowMillis, boolean returningClient) {
        if (!inRotation(nowMillis)) return false;
        ServerSpec s = spec;
        int c = connections.get();
        if (s.soft() == 0 || c < s.soft()) return true;
        return returningClient && s.hard() > 0 && c < s.hard();
    }
}
