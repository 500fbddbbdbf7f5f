package io.jpen.core.select;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.HashMethod;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Clients;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hash_method maglev over real sockets: two balancers with the same servers and settings, 1,000 clients from their
 * own loopback addresses (127.1.x.y), identical backends that answer with their name.
 */
@Timeout(120)
class MaglevBalancersTest {
    private static final int CLIENTS = 1000;

    @RegisterExtension
    final Resources resources = new Resources();

    private final List<String> clients = new ArrayList<>();
    private Backend[] backends;

    private void startBackends() throws Exception {
        for (int i = 0; i < CLIENTS; i++) clients.add("127.1." + (i / 250) + "." + (i % 250 + 1));
        backends = new Backend[4];
        for (int i = 0; i < 4; i++) backends[i] = resources.keep(Backend.named(Integer.toString(i)));
    }

    private Engine balancer(UnaryOperator<Settings> settings) {
        return resources.keep(Engines.start(s -> settings.apply(s).withHashMethod(HashMethod.MAGLEV), backends));
    }

    private static void run(Engine e, String command) {
        Reply r = Engines.penctl(e).execute(command);
        assertThat(r.ok()).as(r.text()).isTrue();
    }

    /** Which backend each client reached, the clients connecting one after another in the order given. */
    private static Map<String, String> reach(Engine e, List<String> order) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<String>> pending = new HashMap<>();
            for (String c : order) pending.put(c, pool.submit(() -> Clients.fetch(c, e.port())));
            Map<String, String> reached = new HashMap<>();
            for (var p : pending.entrySet()) reached.put(p.getKey(), p.getValue().get());
            return reached;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The clients the two maps send to different servers (client: one, other), so a failure names them. */
    private static List<String> differences(Map<String, String> one, Map<String, String> other) {
        List<String> d = new ArrayList<>();
        for (var e : one.entrySet()) {
            if (!e.getValue().equals(other.get(e.getKey()))) d.add(e.getKey() + ": " + e.getValue() + ", " + other.get(e.getKey()));
        }
        return d;
    }

    private static long rebuilds(Engine e) {
        return e.events().recent().stream().filter(ev -> ev.kind().equals("maglev")).count();
    }

    private List<String> shuffled() {
        List<String> s = new ArrayList<>(clients);
        Collections.shuffle(s, new Random(24));
        return s;
    }

    private static Map<String, Integer> perServer(Map<String, String> reached) {
        Map<String, Integer> n = new HashMap<>();
        for (String server : reached.values()) n.merge(server, 1, Integer::sum);
        return n;
    }

    @Test
    void twoBalancersSendEveryNewClientToTheSameServerWhateverOrderTheClientsArriveIn() throws Exception {
        startBackends();
        // Pen's default: clients are tracked, and a new one would go round robin, i.e. by arrival order.
        Engine a = balancer(s -> s);
        Engine b = balancer(s -> s);
        Map<String, String> viaA = reach(a, clients);
        Map<String, String> viaB = reach(b, shuffled());
        assertThat(differences(viaA, viaB)).as("clients the two balancers send to different servers").isEmpty();
        assertThat(perServer(viaA)).allSatisfy((server, n) -> assertThat(n).as("clients of server " + server).isBetween(150, 350));

        // A returning client whose server is out goes where the table sends it: again the same on both.
        run(a, "server 2 blacklist 600");
        run(b, "server 2 blacklist 600");
        Map<String, String> afterA = reach(a, clients);
        Map<String, String> afterB = reach(b, shuffled());
        assertThat(differences(afterA, afterB)).as("clients the two balancers send to different servers").isEmpty();
        for (String c : clients) {
            if (!viaA.get(c).equals("2")) assertThat(afterA.get(c)).as("client %s", c).isEqualTo(viaA.get(c));
        }
    }

    @Test
    void inHashModeTakingAServerOutMovesOnlyItsClientsSpreadOverTheOthersAndBringingItBackMovesThemBack() throws Exception {
        startBackends();
        // No tracking table: where a client goes is a function of its address and the servers in rotation alone.
        Engine a = balancer(s -> s.withRoundrobin(true).withHash(true));
        Engine b = balancer(s -> s.withRoundrobin(true).withHash(true));
        Map<String, String> before = reach(a, clients);
        assertThat(differences(before, reach(b, shuffled()))).as("clients the two balancers send to different servers").isEmpty();

        run(a, "server 2 blacklist 600");
        run(b, "server 2 blacklist 600");
        Map<String, String> outA = reach(a, clients);
        Map<String, String> outB = reach(b, shuffled());
        assertThat(differences(outA, outB)).as("clients the two balancers send to different servers").isEmpty();
        Map<String, Integer> whereTwosWent = new HashMap<>();
        for (String c : clients) {
            if (before.get(c).equals("2")) {
                assertThat(outA.get(c)).isNotEqualTo("2");
                whereTwosWent.merge(outA.get(c), 1, Integer::sum);
            } else {
                assertThat(outA.get(c)).as("client %s of server %s", c, before.get(c)).isEqualTo(before.get(c));
            }
        }
        // Maglev spreads them; Pen's modulo would hand them all to server 3, the next in the list.
        assertThat(whereTwosWent).containsOnlyKeys("0", "1", "3");
        int twos = whereTwosWent.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(whereTwosWent.values()).allSatisfy(n -> assertThat(n).isGreaterThan(twos / 6));

        run(a, "server 2 blacklist 0");
        run(b, "server 2 blacklist 0");
        assertThat(differences(before, reach(a, clients))).as("clients not back on their server").isEmpty();
        assertThat(differences(before, reach(b, shuffled()))).as("clients not back on their server").isEmpty();
    }

    @Test
    void aServerDownByItsCheckDrainedOrInMaintenanceMovesOnlyItsOwnClientsAndReadyMovesThemBack() throws Exception {
        startBackends();
        io.jpen.core.testing.HealthBackend failing = resources.keep(new io.jpen.core.testing.HealthBackend("health"));
        failing.status(503);
        Engine a = balancer(s -> s.withRoundrobin(true).withHash(true));
        run(a, "server 2 check_port " + failing.port()); // where its check will go: a health page answering 503
        Map<String, String> before = reach(a, clients);
        for (String[] out : List.of(
                new String[] {"server 2 drain", "server 2 ready"},
                new String[] {"server 2 maint", "server 2 ready"},
                new String[] {"server 2 check http /healthz", "server 2 check off"})) {
            long rebuilt = rebuilds(a);
            run(a, out[0]);
            // the rotation table is rebuilt without server 2 (at once for a command, just after a check's verdict)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> rebuilds(a) > rebuilt);
            assertThat(a.servers().get(2).inRotation(a.clock().millis())).isFalse();
            Map<String, String> outA = reach(a, clients);
            for (String c : clients) {
                if (before.get(c).equals("2")) assertThat(outA.get(c)).as("%s: client %s", out[0], c).isNotEqualTo("2");
                else assertThat(outA.get(c)).as("%s: client %s of server %s", out[0], c, before.get(c)).isEqualTo(before.get(c));
            }
            run(a, out[1]);
            assertThat(differences(before, reach(a, clients))).as("after %s: clients not back on their server", out[1]).isEmpty();
        }
    }
}
