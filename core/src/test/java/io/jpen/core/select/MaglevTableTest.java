package io.jpen.core.select;

import io.jpen.core.model.ServerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Maglev lookup table: the same everywhere, shares that follow the weights, and little movement. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MaglevTableTest {
    private static final int SIZE = MaglevTable.DEFAULT_SIZE;
    private static final int CLIENTS = 100_000;

    /**
     * The table of {@link #tenServers()}. Two jpen versions must build the same table, or a pair of balancers
     * running both would split clients during an upgrade: a change of this value is a change of behaviour that
     * belongs in the release notes, not a test to update quietly.
     */
    static final String TEN_SERVERS_FINGERPRINT = "c0c8d679a18ffa76";

    static List<MaglevTable.Member> tenServers() {
        List<MaglevTable.Member> m = new ArrayList<>();
        for (int i = 0; i < 10; i++) m.add(new MaglevTable.Member("10.0.0." + (11 + i) + ":8080", 1, i));
        return m;
    }

    @Test
    void theSameServersGiveTheSameTableInWhateverOrderTheyAreListed() {
        List<MaglevTable.Member> servers = tenServers();
        MaglevTable a = MaglevTable.build(servers, SIZE);
        List<MaglevTable.Member> shuffled = new ArrayList<>(servers);
        Collections.shuffle(shuffled, new java.util.Random(7));
        MaglevTable b = MaglevTable.build(shuffled, SIZE);
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        for (int slot = 0; slot < SIZE; slot++) assertThat(b.owner(slot)).isEqualTo(a.owner(slot));
    }

    @Test
    void theTableIsTheOneEveryVersionBuilds() {
        assertThat(MaglevTable.build(tenServers(), SIZE).fingerprint()).isEqualTo(TEN_SERVERS_FINGERPRINT);
    }

    @Test
    void anotherJvmBuildsTheSameTableAndSendsClientsToTheSameServers() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                MaglevFingerprint.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo(MaglevFingerprint.describe());
        assertThat(out).startsWith(TEN_SERVERS_FINGERPRINT + " ");
    }

    @Test
    void eachServersShareOfTheSlotsFollowsItsWeightWithinOnePercent() {
        List<MaglevTable.Member> equal = tenServers();
        assertSharesFollowWeights(equal);
        List<MaglevTable.Member> weighted = new ArrayList<>();
        int[] weights = {1, 2, 3, 5, 8, 1, 1, 4, 10, 7};
        for (int i = 0; i < weights.length; i++) weighted.add(new MaglevTable.Member("10.0.1." + i + ":80", weights[i], i));
        assertSharesFollowWeights(weighted);
    }

    private static void assertSharesFollowWeights(List<MaglevTable.Member> members) {
        MaglevTable t = MaglevTable.build(members, SIZE);
        int[] count = new int[members.size()];
        for (int slot = 0; slot < SIZE; slot++) count[t.owner(slot)]++;
        long total = members.stream().mapToLong(MaglevTable.Member::weight).sum();
        for (MaglevTable.Member m : members) {
            double expected = (double) SIZE * m.weight() / total;
            assertThat(Math.abs(count[m.server()] - expected) / expected)
                    .as("share of %s (weight %d): %d slots, expected %.1f", m.name(), m.weight(), count[m.server()], expected)
                    .isLessThanOrEqualTo(0.01);
        }
    }

    @Test
    void takingOneOfTenServersOutMovesItsClientsAndFewOthersAndBringingItBackRestoresThem() throws Exception {
        List<MaglevTable.Member> all = tenServers();
        MaglevTable full = MaglevTable.build(all, SIZE);
        long[] clients = clients();
        int[] before = new int[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) before[c] = full.server(clients[c]);

        int worstMoved = 0;
        int worstExtra = 0;
        for (int out = 0; out < all.size(); out++) {
            List<MaglevTable.Member> nine = new ArrayList<>(all);
            nine.remove(out);
            MaglevTable without = MaglevTable.build(nine, SIZE);
            int moved = 0;
            int extra = 0;
            for (int c = 0; c < CLIENTS; c++) {
                int now = without.server(clients[c]);
                assertThat(now).isNotEqualTo(out);
                if (now != before[c]) {
                    moved++;
                    if (before[c] != out) extra++;
                }
            }
            worstMoved = Math.max(worstMoved, moved);
            worstExtra = Math.max(worstExtra, extra);
            assertThat(moved).as("clients moved when server %d left", out).isLessThanOrEqualTo(CLIENTS / 10 + CLIENTS * 2 / 100);

            MaglevTable back = MaglevTable.build(all, SIZE);
            for (int c = 0; c < CLIENTS; c++) assertThat(back.server(clients[c])).isEqualTo(before[c]);
        }
        // The figure docs/ha.md quotes: the most clients of the nine other servers moved, over all ten choices.
        System.out.printf("maglev: removing one of 10 servers moved at most %d of %d clients (%.2f %%), of them %d "
                + "(%.2f %%) not on the removed server%n", worstMoved, CLIENTS, 100.0 * worstMoved / CLIENTS,
                worstExtra, 100.0 * worstExtra / CLIENTS);
    }

    @Test
    void anEmptyTableSendsNobodyAnywhereAndTheSizeMustBePrime() throws Exception {
        assertThat(MaglevTable.build(List.of(), SIZE).server(MaglevHash.client(InetAddress.getByName("10.0.0.1"))))
                .isEqualTo(Target.NONE);
        assertThatThrownBy(() -> MaglevTable.build(tenServers(), 65_536))
                .hasMessage("a Maglev table's size must be a prime, not 65536");
    }

    @Test
    void serversWithTheSameAddressEachGetTheirShare() {
        List<MaglevTable.Member> twice = List.of(new MaglevTable.Member("10.0.0.1:80", 1, 0),
                new MaglevTable.Member("10.0.0.2:80", 1, 1), new MaglevTable.Member("10.0.0.1:80", 1, 2));
        assertSharesFollowWeights(twice);
    }

    @Test
    void anIpv4MappedIpv6ClientIsTheSameClientAsItsIpv4Address() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        InetAddress mapped = java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7}, -1);
        assertThat(MaglevHash.client(mapped)).isEqualTo(MaglevHash.client(v4));
        assertThat(MaglevHash.client(InetAddress.getByName("2001:db8::7"))).isNotEqualTo(MaglevHash.client(v4));
    }

    @Test
    void theTablesHoldTheConfiguredServersAndThoseInRotationWeightedAndAreRebuiltOnlyWhenThatChanges() {
        Server[] servers = new Server[4];
        servers[0] = new Server(0, ServerSpec.of("10.0.0.1", 80));
        servers[1] = new Server(1, ServerSpec.of("10.0.0.2", 80).withWeight(3));
        servers[2] = new Server(2, ServerSpec.UNUSED);
        servers[3] = new Server(3, ServerSpec.of("::1", 80));
        Maglev maglev = new Maglev();
        assertThat(maglev.refresh(servers, 1000)).isTrue();
        assertThat(maglev.configured().members()).containsExactly(new MaglevTable.Member("10.0.0.1:80", 1, 0),
                new MaglevTable.Member("10.0.0.2:80", 3, 1), new MaglevTable.Member("[::1]:80", 1, 3));
        assertThat(maglev.rotation()).isSameAs(maglev.configured());
        assertThat(maglev.refresh(servers, 2000)).isFalse();
        servers[0].blacklist(2000, 10);
        assertThat(maglev.stale(servers, 3000)).isTrue();
        assertThat(maglev.refresh(servers, 3000)).isTrue();
        assertThat(maglev.rotation().members()).extracting(MaglevTable.Member::server).containsExactly(1, 3);
        assertThat(maglev.configured().members()).extracting(MaglevTable.Member::server).containsExactly(0, 1, 3);
        assertThat(maglev.stale(servers, 12_000)).as("the blacklist ran out").isTrue();
    }

    @Test
    void blacklistingOneOfTenServersMovesExactlyItsClientsAndLiftingItMovesExactlyThemBack() throws Exception {
        Server[] servers = new Server[10];
        for (int i = 0; i < 10; i++) servers[i] = new Server(i, ServerSpec.of("10.0.0." + (11 + i), 8080));
        Maglev maglev = new Maglev();
        maglev.refresh(servers, 0);
        InetAddress[] clients = new InetAddress[CLIENTS / 10];
        int[] before = new int[clients.length];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = InetAddress.getByAddress(new byte[] {10, (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
            before[c] = maglev.server(clients[c], servers, 0);
        }
        servers[4].blacklist(0, 60);
        maglev.refresh(servers, 1);
        int[] whereTheyWent = new int[10];
        for (int c = 0; c < clients.length; c++) {
            int now = maglev.server(clients[c], servers, 1);
            if (before[c] == 4) whereTheyWent[now]++;
            else assertThat(now).as("client %s", clients[c]).isEqualTo(before[c]);
        }
        assertThat(whereTheyWent[4]).isZero();
        for (int i = 0; i < 10; i++) if (i != 4) assertThat(whereTheyWent[i]).as("to server %d", i).isPositive();
        servers[4].blacklist(1, 0);
        maglev.refresh(servers, 2);
        for (int c = 0; c < clients.length; c++) assertThat(maglev.server(clients[c], servers, 2)).isEqualTo(before[c]);
    }

    /** 100,000 distinct IPv4 client addresses, hashed as the selector hashes them. */
    static long[] clients() throws UnknownHostException {
        long[] h = new long[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            int a = 0x0a000000 + c * 7919; // spread over 10.0.0.0/8
            h[c] = MaglevHash.client(InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}));
        }
        return h;
    }

    /** The child JVM's side of {@link #anotherJvmBuildsTheSameTableAndSendsClientsToTheSameServers}. */
    static final class MaglevFingerprint {
        public static void main(String[] args) throws Exception {
            System.out.println(describe());
        }

        /** The table's fingerprint and where the first 20 clients go. */
        static String describe() throws UnknownHostException {
            MaglevTable t = MaglevTable.build(tenServers(), SIZE);
            long[] clients = clients();
            StringBuilder b = new StringBuilder(t.fingerprint());
            for (int c = 0; c < 20; c++) b.append(' ').append(t.server(clients[c]));
            return b.toString();
        }
    }
}
