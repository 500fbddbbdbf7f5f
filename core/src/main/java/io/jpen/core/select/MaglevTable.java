package io.jpen.core.select;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016,
 * section 3.4). Each member has its own permutation of the slots, {@code (offset + j * skip) mod size}, from two
 * hashes of its name; the members take turns claiming the next slot of their permutation that is still free until
 * every slot has an owner. A client's server is the owner of slot {@code hash(client) mod size}. Without one
 * member, the others claim the same slots as before plus the ones it leaves, so almost only its clients move.
 *
 * <p>Weights: weighted turns (as Envoy's Maglev does it). In round {@code r} a member takes a turn only when
 * {@code r * weight} has reached its next target, which then grows by the largest weight: a member with the largest
 * weight takes a turn every round, one with a third of it every third round, so shares follow the weights to within
 * a few slots. The paper's other way, one permutation per unit of weight, needs weight-many members.
 *
 * <p>Determinism: members are put in order of their names before the turns (equal names, which a Pen server list may
 * hold, are told apart as {@code name#1}, {@code name#2} in the order of their server numbers), and the hash is
 * SHA-256 ({@link MaglevHash}): the same members give the same table in any process, whatever order they are listed
 * in. Immutable; building is O(size) for members of equal weight (O(size * members) at worst), a few milliseconds
 * for 65,537 slots.
 */
public final class MaglevTable {
    /** A prime well above 100 times the servers a balancer has, which keeps shares within 1 % (the paper's rule). */
    public static final int DEFAULT_SIZE = 65_537;

    /** A server in the table: its stable name (address:port as configured), weight (at least 1) and index. */
    public record Member(String name, int weight, int server) {
        public Member {
            if (name == null) throw new IllegalArgumentException("a member needs a name");
            if (weight < 1) throw new IllegalArgumentException("weight must be at least 1, not " + weight);
        }
    }

    private final List<Member> members;
    /** The server index owning each slot; empty when there are no members. */
    private final int[] slots;

    private MaglevTable(List<Member> members, int[] slots) {
        this.members = members;
        this.slots = slots;
    }

    /** A table with no servers: every lookup answers {@link Target#NONE}. */
    public static MaglevTable empty() {
        return new MaglevTable(List.of(), new int[0]);
    }

    public static MaglevTable build(List<Member> members, int size) {
        if (!prime(size)) throw new IllegalArgumentException("a Maglev table's size must be a prime, not " + size);
        List<Member> kept = List.copyOf(members);
        if (kept.isEmpty()) return new MaglevTable(kept, new int[0]);
        List<Member> order = new ArrayList<>(kept);
        order.sort(Comparator.comparing(Member::name).thenComparingInt(Member::server));
        int n = order.size();
        long[] position = new long[n];
        long[] skip = new long[n];
        long[] weight = new long[n];
        long[] target = new long[n];
        int[] server = new int[n];
        long maxWeight = 0;
        for (int i = 0, same = 0; i < n; i++) {
            Member m = order.get(i);
            same = i > 0 && order.get(i - 1).name().equals(m.name()) ? same + 1 : 0;
            byte[] h = MaglevHash.digest((same == 0 ? m.name() : m.name() + "#" + same).getBytes(StandardCharsets.UTF_8));
            position[i] = Long.remainderUnsigned(MaglevHash.word(h, 0), size);
            skip[i] = Long.remainderUnsigned(MaglevHash.word(h, 8), size - 1) + 1;
            weight[i] = m.weight();
            server[i] = m.server();
            maxWeight = Math.max(maxWeight, m.weight());
        }
        int[] slots = new int[size];
        Arrays.fill(slots, Target.NONE);
        int filled = 0;
        for (long round = 1; filled < size; round++) {
            for (int i = 0; i < n && filled < size; i++) {
                if (round * weight[i] < target[i]) continue;
                target[i] += maxWeight;
                // size is prime and 0 < skip < size, so the walk visits every slot before it repeats one
                while (slots[(int) position[i]] != Target.NONE) position[i] = (position[i] + skip[i]) % size;
                slots[(int) position[i]] = server[i];
                position[i] = (position[i] + skip[i]) % size;
                filled++;
            }
        }
        return new MaglevTable(kept, slots);
    }

    /** The server for a client's 64-bit hash, or {@link Target#NONE} when the table is empty. */
    public int server(long hash) {
        int[] s = slots;
        return s.length == 0 ? Target.NONE : s[(int) Long.remainderUnsigned(hash, s.length)];
    }

    /** The members the table was built from, in the order given. */
    public List<Member> members() {
        return members;
    }

    /** Slots (0 when empty). */
    public int size() {
        return slots.length;
    }

    /** The server owning {@code slot}. */
    public int owner(int slot) {
        return slots[slot];
    }

    /**
     * The first 16 hex digits of the SHA-256 of the slots (each owner as 4 big-endian bytes): equal fingerprints,
     * equal tables, also between processes.
     */
    public String fingerprint() {
        byte[] bytes = new byte[slots.length * 4];
        for (int i = 0; i < slots.length; i++) {
            int v = slots[i];
            bytes[4 * i] = (byte) (v >>> 24);
            bytes[4 * i + 1] = (byte) (v >>> 16);
            bytes[4 * i + 2] = (byte) (v >>> 8);
            bytes[4 * i + 3] = (byte) v;
        }
        return HexFormat.of().formatHex(MaglevHash.digest(bytes), 0, 8);
    }

    static boolean prime(int n) {
        if (n < 2) return false;
        for (int d = 2; (long) d * d <= n; d++) if (n % d == 0) return false;
        return true;
    }
}
