package io.jpen.core.select;

import io.jpen.core.model.ServerSpec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend's live state. The spec is replaced by commands; counters are written from every event loop
 * without locks (adders and atomics), and read by the sampler.
 */
public final class Server {
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

    public Server(int index, ServerSpec spec) {
        this.index = index;
        this.spec = spec;
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
     * Whether this server can take clients at all: it is configured (not an unused slot) and not blacklisted. The
     * one place that decides it: selection ({@link #available}), the Maglev table's membership and the
     * {@code health} answer ask here. Load limits (max, hard) are not part of it: they change with every
     * connection and are checked per connection by {@link #available}. States that take a server out of rotation
     * (down, drain, maintenance, failed health checks) belong here.
     */
    public boolean inRotation(long nowMillis) {
        return !spec.unused() && !blacklisted(nowMillis);
    }

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
