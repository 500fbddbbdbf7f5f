package io.jpen.core.api;

import io.jpen.core.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jpen.core.testing.Clients.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /metrics} checked line by line against the Prometheus text exposition format (0.0.4). */
@Timeout(60)
class MetricsTest {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    /** A sample: family name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** Parses strictly: every line is HELP, TYPE or a sample of a declared family; anything else fails. */
    static List<Sample> parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                assertThat(helped.add(m.group(1))).as("one HELP per family: " + line).isTrue();
            } else if ((m = TYPE.matcher(line)).matches()) {
                assertThat(types.put(m.group(1), m.group(2))).as("one TYPE per family: " + line).isNull();
            } else if (line.startsWith("#")) {
                throw new AssertionError("unknown comment line: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = family(name, types);
                assertThat(family).as("sample of an undeclared family: " + line).isNotNull();
                if (types.get(family).equals("counter")) {
                    // 0.0.4 declares a counter either by its base name (samples _total) or by the _total name itself
                    assertThat(name).as(line).matches(family.endsWith("_total") ? family : family + "(_total|_created)");
                }
                Map<String, String> labels = new HashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) assertThat(labels.put(l.group(1), l.group(2))).as("duplicate label: " + line).isNull();
                }
                String v = m.group(4);
                double value = switch (v) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(v);
                };
                samples.add(new Sample(name, labels, value));
            } else {
                throw new AssertionError("not a valid exposition line: '" + line + "'");
            }
        }
        return samples;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) return name;
        for (String suffix : new String[]{"_total", "_created", "_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static double value(List<Sample> samples, String name, String server) {
        return samples.stream().filter(s -> s.name().equals(name) && (server == null || server.equals(s.labels().get("server"))))
                .mapToDouble(Sample::value).findFirst().orElseThrow(() -> new AssertionError("no sample " + name));
    }

    @Test
    void metricsParseStrictlyAndCountPerServerTotalsAndTheJvm() throws Exception {
        Backend a = new Backend("a", Backend.Mode.NAME);
        resources.add(a);
        ApiFixture f = new ApiFixture(a);
        resources.add(f);
        for (int i = 0; i < 3; i++) fetch(f.engine.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> f.console.latest() != null
                && f.console.latest().totals().acceptedTotal() == 3);

        HttpResponse<String> r = f.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        List<Sample> samples = parse(r.body());
        assertThat(value(samples, "jpen_server_connections_total", "0")).isEqualTo(3);
        assertThat(value(samples, "jpen_server_received_bytes_total", "0")).isEqualTo(6);
        assertThat(value(samples, "jpen_server_failures_total", "0")).isZero();
        assertThat(value(samples, "jpen_server_blacklisted", "0")).isZero();
        assertThat(value(samples, "jpen_connections_total", null)).isEqualTo(3);
        assertThat(value(samples, "jpen_downstream_bytes_total", null)).isEqualTo(6);
        // Six bytes are far below what starts a splice.
        assertThat(value(samples, "jpen_spliced_downstream_bytes_total", null)).isZero();
        assertThat(value(samples, "jpen_spliced_upstream_bytes_total", null)).isZero();
        assertThat(samples.stream().filter(s -> s.name().equals("jpen_server_active_connections")).findFirst().orElseThrow()
                .labels()).containsEntry("address", "127.0.0.1:" + a.port());
        assertThat(samples).anyMatch(s -> s.name().startsWith("jvm_memory"));
        assertThat(samples).anyMatch(s -> s.name().startsWith("jvm_threads"));
        // Not the allocation metric: it listens to every garbage collection, a cost per connection (ApiMetrics).
        // A collection first, so that such a listener, if registered, would have had something to report: the
        // JVM tells the listeners of a collection one after the other, so once one added now has heard of it, any
        // listener added before it has too.
        collectAndHearOfIt();
        assertThat(parse(f.get("/metrics").body())).noneMatch(s -> s.name().startsWith("jvm_memory_pool_allocated"));

        assertThat(f.send("POST", "/api/v1/command", "{\"command\":\"server 0 blacklist 60\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> value(parse(f.get("/metrics").body()), "jpen_server_blacklisted", "0") == 1);
    }

    @Test
    void metricsNeedTheTokenUnlessMadePublic() throws Exception {
        Backend a = new Backend("a", Backend.Mode.NAME);
        resources.add(a);
        ApiFixture closed = new ApiFixture(a);
        resources.add(closed);
        assertThat(closed.send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        ApiFixture open = new ApiFixture(c -> c.withMetricsPublic(true), a);
        resources.add(open);
        HttpResponse<String> r = open.send("GET", "/metrics", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        parse(r.body());
        assertThat(open.send("GET", "/api/v1/snapshot", null, null).statusCode()).as("only metrics are public").isEqualTo(401);
    }

    /** Runs a garbage collection and returns once a listener of the collectors has been told about it. */
    private static void collectAndHearOfIt() throws Exception {
        java.util.concurrent.CountDownLatch heard = new java.util.concurrent.CountDownLatch(1);
        javax.management.NotificationListener listener = (n, h) -> heard.countDown();
        List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        try {
            System.gc();
            assertThat(heard.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("a collection was reported").isTrue();
        } finally {
            for (var emitter : emitters) emitter.removeNotificationListener(listener);
        }
    }
}
