package io.jpen.core.api;

import io.jpen.core.model.ListenerView;
import io.jpen.core.model.ProxyView;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics}: the latest Snapshot (so a scrape never walks the connection table) plus the JVM basics, in
 * Prometheus text format, written by the Prometheus library.
 */
public final class ApiMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ApiMetrics(Supplier<Snapshot> latest) {
        // JvmMetrics minus its allocation metric: that one listens to every garbage collection (a JMX notification,
        // a GcInfo built per collection), which under a connection-per-request load cost the engine ~3 % of its CPU
        // per connection whenever the API was on, scraped or not (bench: remote console +4.8 % -> +1.1 %).
        // Native-memory metrics need -XX:NativeMemoryTracking, which is off.
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        registry.register(new SnapshotCollector(latest));
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private record SnapshotCollector(Supplier<Snapshot> latest) implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            Snapshot s = latest.get();
            if (s == null) return MetricSnapshots.of();
            List<ServerView> servers = s.servers();
            Totals t = s.totals();
            return MetricSnapshots.of(
                    gauge("jpen_server_active_connections", "Connections open to each server now", servers, v -> v.connections()),
                    counter("jpen_server_connections", "Connections ever assigned to each server", servers, v -> v.totalConnections()),
                    counter("jpen_server_sent_bytes", "Bytes sent to each server", servers, v -> v.bytesSent()),
                    counter("jpen_server_received_bytes", "Bytes received from each server", servers, v -> v.bytesReceived()),
                    counter("jpen_server_failures", "Failed connection attempts to each server", servers, v -> v.failures()),
                    gauge("jpen_server_blacklisted", "1 while the server is blacklisted", servers, v -> "blacklisted".equals(v.state()) ? 1 : 0),
                    gauge("jpen_server_disabled", "1 for an unused server slot", servers, v -> "disabled".equals(v.state()) ? 1 : 0),
                    gauge("jpen_server_weight", "Configured weight of each server", servers, v -> v.weight()),
                    gauge("jpen_server_up", "1 while the server takes new clients (state up)", servers, v -> "up".equals(v.state()) ? 1 : 0),
                    states(servers),
                    checkDurations(servers),
                    GaugeSnapshot.builder().name("jpen_active_connections").help("Client connections open now")
                            .dataPoint(GaugeDataPointSnapshot.builder().value(t.connections()).build()).build(),
                    total("jpen_connections", "Client connections accepted", t.acceptedTotal()),
                    total("jpen_upstream_bytes", "Bytes relayed from clients to servers", t.bytesUp()),
                    total("jpen_downstream_bytes", "Bytes relayed from servers to clients", t.bytesDown()),
                    total("jpen_spliced_upstream_bytes", "Of the bytes from clients, those moved by splice (epoll)", t.splicedUp()),
                    total("jpen_spliced_downstream_bytes", "Of the bytes from servers, those moved by splice (epoll)", t.splicedDown()),
                    total("jpen_proxy_headers", "Connections whose PROXY header (accept_proxy) was read and used", proxy(s).accepted()),
                    proxyRejected(proxy(s)),
                    GaugeSnapshot.builder().name("jpen_start_time_seconds").help("When the balancer started, seconds since the epoch")
                            .dataPoint(GaugeDataPointSnapshot.builder().value(s.startedMillis() / 1000.0).build()).build());
        }

        private static ProxyView proxy(Snapshot s) {
            return s.listener() == null ? new ListenerView("tcp", false, List.of(), null, false, List.of()).proxy()
                    : s.listener().proxy();
        }

        /** One series per reason, zeros included, so a rate() over it works from the first scrape. */
        private static CounterSnapshot proxyRejected(ProxyView p) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name("jpen_proxy_header_rejected")
                    .help("Connections refused for their PROXY header (accept_proxy), by reason");
            for (Map.Entry<String, Long> e : p.rejected().entrySet()) {
                b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("reason", e.getKey())).value(e.getValue()).build());
            }
            return b.build();
        }

        private static Labels labels(ServerView v) {
            return Labels.of("server", Integer.toString(v.index()), "address", v.address() + ":" + v.port());
        }

        private static GaugeSnapshot gauge(String name, String help, List<ServerView> servers, ToDoubleFunction<ServerView> f) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (ServerView v : servers) b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(v)).value(f.applyAsDouble(v)).build());
            return b.build();
        }

        private static CounterSnapshot counter(String name, String help, List<ServerView> servers, ToDoubleFunction<ServerView> f) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
            for (ServerView v : servers) b.dataPoint(CounterDataPointSnapshot.builder().labels(labels(v)).value(f.applyAsDouble(v)).build());
            return b.build();
        }

        /** {@code jpen_server_state{state="…"}}: for each server, 1 for the state it is in and 0 for the others. */
        private static GaugeSnapshot states(List<ServerView> servers) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("jpen_server_state")
                    .help("1 for the state each server is in (up, down, blacklisted, drain, maint, disabled), 0 for the others");
            for (ServerView v : servers) {
                for (io.jpen.core.select.ServerState st : io.jpen.core.select.ServerState.values()) {
                    b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(v).add("state", st.word()))
                            .value(st.word().equals(v.state()) ? 1 : 0).build());
                }
            }
            return b.build();
        }

        /** How long the active checks of each server with one took, connect included. */
        private static HistogramSnapshot checkDurations(List<ServerView> servers) {
            HistogramSnapshot.Builder b = HistogramSnapshot.builder().name("jpen_server_check_duration_seconds")
                    .help("Duration of each server's active health checks, connect included");
            double[] bounds = java.util.Arrays.copyOf(io.jpen.core.engine.health.HealthChecks.BUCKETS,
                    io.jpen.core.engine.health.HealthChecks.BUCKETS.length + 1);
            bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
            for (ServerView v : servers) {
                List<Long> counts = v.checkDurationBuckets();
                if (counts.size() != bounds.length) continue; // no check on this server (or from another jpen)
                long[] c = new long[counts.size()];
                for (int i = 0; i < c.length; i++) c[i] = counts.get(i);
                b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels(v))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, c)).sum(v.checkSecondsSum()).build());
            }
            return b.build();
        }

        private static CounterSnapshot total(String name, String help, long value) {
            return CounterSnapshot.builder().name(name).help(help)
                    .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
        }
    }
}
