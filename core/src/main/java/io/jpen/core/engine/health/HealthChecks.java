package io.jpen.core.engine.health;

import io.jpen.core.model.HealthCheck;
import io.jpen.core.model.HealthSettings;
import io.jpen.core.select.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Active health checks: one prober per server with a check, on one of the engine's event loops. A prober runs one
 * probe at a time (the next is scheduled only when one ends, so a server never has two in flight), every
 * {@code health_interval} with a little jitter so a hundred servers are not probed in the same millisecond, and
 * turns results into a verdict with {@link RiseFall}. Verdicts go to the {@link Listener}; nothing here changes
 * selection itself.
 */
public final class HealthChecks {
    /** Where verdicts go: the engine marks the server down or up and records the event. */
    public interface Listener {
        void verdict(Server server, boolean failed, String reason);
    }

    /** Upper bounds (seconds) of the check-duration histogram's buckets; a last, infinite one is implied. */
    public static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /**
     * What is known of one server's checks: the last result (null before the first), and every probe's duration as
     * a histogram ({@code buckets[i]} counts durations up to {@link #BUCKETS}{@code [i]}, not cumulative; the last
     * entry counts the rest).
     */
    public record Report(CheckResult last, long count, double sumSeconds, long[] buckets) {}

    private final Function<InetSocketAddress, Channel> channels;
    private final Supplier<HealthSettings> settings;
    private final IntSupplier connectTimeoutSeconds;
    private final InstantSource clock;
    private final Listener listener;
    private final Map<Server, Prober> probers = new ConcurrentHashMap<>();
    private final AtomicLong probes = new AtomicLong();
    private volatile EventLoopGroup group;

    /**
     * @param channels              a new unregistered TCP channel to an address (the engine's transport)
     * @param connectTimeoutSeconds Pen's -t, the probe timeout while health_timeout is 0
     */
    public HealthChecks(Function<InetSocketAddress, Channel> channels, Supplier<HealthSettings> settings,
                        IntSupplier connectTimeoutSeconds, InstantSource clock, Listener listener) {
        this.channels = channels;
        this.settings = settings;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.clock = clock;
        this.listener = listener;
    }

    /** Starts probing on {@code g}'s loops. */
    public synchronized void start(EventLoopGroup g, Server[] servers) {
        group = g;
        sync(servers);
    }

    /** Stops every prober; a probe in flight ends with its socket when the loops shut down. */
    public synchronized void stop() {
        group = null;
        for (Prober p : probers.values()) p.post(p::stop);
        probers.clear();
    }

    /**
     * Brings the probers in line with the servers' check settings, after every command: a new or changed check
     * (or address) starts afresh, a removed one stops and lifts a down verdict. O(servers); builds nothing for
     * servers without a check.
     */
    public synchronized void sync(Server[] servers) {
        EventLoopGroup g = group;
        if (g == null) return;
        Set<Server> present = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Server s : servers) {
            present.add(s);
            Config c = Config.of(s);
            Prober p = probers.get(s);
            if (p == null) {
                if (c == null) continue;
                p = new Prober(s, g.next());
                probers.put(s, p);
            }
            if (!java.util.Objects.equals(c, p.config)) {
                Prober q = p;
                p.config = c;
                p.post(() -> q.configured(c));
            }
        }
        probers.keySet().removeIf(s -> {
            if (present.contains(s)) return false;
            Prober p = probers.get(s);
            if (p != null) p.post(p::stop);
            return true;
        });
    }

    /** After maintenance the next result decides at once, and the probe runs now rather than at the next interval. */
    public void afterMaintenance(Server s) {
        Prober p = probers.get(s);
        if (p != null) p.post(p::fresh);
    }

    /** The checks of {@code s} so far, or null when it never had one since this engine started. */
    public Report report(Server s) {
        Prober p = probers.get(s);
        return p == null ? null : p.report();
    }

    /** Probes started since the engine started (every server together). */
    public long probes() {
        return probes.get();
    }

    /** What a prober checks: the kind, the socket address and the Host header; null for no check. */
    private record Config(HealthCheck check, InetSocketAddress target, String host) {
        static Config of(Server s) {
            HealthCheck c = s.options().check();
            InetSocketAddress a = s.address();
            if (c == null || a == null || s.spec().unused()) return null;
            int port = s.options().checkPort() != 0 ? s.options().checkPort() : a.getPort();
            String h = s.spec().host();
            return new Config(c, new InetSocketAddress(a.getAddress(), port), (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port);
        }
    }

    /** One server's probes. Everything but {@link #config} and the statistics is touched only on {@link #loop}. */
    private final class Prober {
        private final Server server;
        private final EventLoop loop;
        /** The wanted configuration, written by {@link #sync} (the loop's copy is {@link #running}). */
        volatile Config config;
        private Config running;
        private RiseFall riseFall;
        private long generation;
        private boolean inFlight;
        private boolean stopped;
        private ScheduledFuture<?> next;
        private CheckResult last;
        private long count;
        private double sumSeconds;
        private final long[] buckets = new long[BUCKETS.length + 1];

        Prober(Server server, EventLoop loop) {
            this.server = server;
            this.loop = loop;
        }

        void post(Runnable r) {
            try {
                loop.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the engine is closing: nothing left to probe
            }
        }

        void configured(Config c) {
            if (stopped) return;
            running = c;
            generation++; // a probe in flight for the old configuration no longer counts
            cancelNext();
            if (c == null) { // the engine lifted a down verdict with the command that turned the check off
                riseFall = null;
                return;
            }
            riseFall = new RiseFall(server.checkFailed());
            if (!inFlight) schedule(firstDelay());
        }

        void fresh() {
            if (stopped || running == null) return;
            riseFall = new RiseFall(server.checkFailed()); // undecided: the next result decides
            generation++;
            cancelNext();
            if (!inFlight) schedule(firstDelay());
        }

        void stop() {
            stopped = true;
            cancelNext();
        }

        private void cancelNext() {
            if (next != null) next.cancel(false);
            next = null;
        }

        private void schedule(long delayMillis) {
            if (stopped || running == null) return;
            next = loop.schedule(this::probe, delayMillis, TimeUnit.MILLISECONDS);
        }

        private void probe() {
            next = null;
            if (stopped || running == null || inFlight) return;
            if (server.admin() == Server.Admin.MAINT) { // maintenance: no checks, and ready starts afresh
                schedule(interval());
                return;
            }
            Config c = running;
            long gen = generation;
            long timeout = settings.get().timeoutMillis(connectTimeoutSeconds.getAsInt());
            inFlight = true;
            probes.incrementAndGet();
            Channel ch;
            try {
                ch = channels.apply(c.target());
            } catch (RuntimeException e) { // no socket to be had (descriptors exhausted)
                finished(gen, c, new CheckResult(false, CheckWords.failure(e, c.target(), timeout), clock.millis(), 0));
                return;
            }
            Probe.run(ch, loop, c.target(), c.host(), c.check(), timeout, clock, r -> finished(gen, c, r));
        }

        private void finished(long gen, Config c, CheckResult r) {
            inFlight = false;
            record(r);
            if (stopped) return;
            // A verdict only for the configuration wanted now: a change posted but not yet taken voids this probe.
            if (gen == generation && running != null && config == running) {
                HealthSettings h = settings.get();
                riseFall.result(r.ok(), h.rise(), h.fall());
                // Against the server's own mark, which the engine also sets (waiting for a check after maintenance).
                boolean failed = riseFall.failed();
                if (failed != server.checkFailed()) listener.verdict(server, failed, failed ? r.text() : "check passed: " + r.text());
                schedule(jittered(h.intervalMillis()));
            } else {
                schedule(firstDelay()); // configured anew while this probe ran
            }
        }

        private synchronized void record(CheckResult r) {
            last = r;
            count++;
            double seconds = r.nanos() / 1e9;
            sumSeconds += seconds;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
            buckets[i]++;
        }

        synchronized Report report() {
            return new Report(last, count, sumSeconds, Arrays.copyOf(buckets, buckets.length));
        }

        private long interval() {
            return settings.get().intervalMillis();
        }
    }

    /** The first probe of a fresh check: soon, spread over up to a second so many servers do not start together. */
    private long firstDelay() {
        return ThreadLocalRandom.current().nextLong(Math.min(interval(), 1000) + 1);
    }

    private long interval() {
        return settings.get().intervalMillis();
    }

    /** The interval give or take a tenth (at most half a second), so probes stay spread out. */
    static long jittered(long intervalMillis) {
        long j = Math.min(intervalMillis / 10, 500);
        return intervalMillis + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(-j, j + 1));
    }
}
