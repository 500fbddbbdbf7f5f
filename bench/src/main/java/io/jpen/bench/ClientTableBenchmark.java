package io.jpen.bench;

import io.jpen.core.select.ClientTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * Pen's client table under the calls every connection makes (look up, record, add traffic at close), with more
 * distinct clients than the table holds so that LRU eviction runs too; on 1 and 2 threads for the lock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientTableBenchmark {
    @Param({"2048"})
    public int capacity;
    @Param({"1024", "8192"})
    public int distinctClients;

    private ClientTable table;
    private InetAddress[] clients;

    @Setup
    public void setUp() throws UnknownHostException {
        table = new ClientTable(capacity, InstantSource.system());
        clients = new InetAddress[distinctClients];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = InetAddress.getByAddress(new byte[]{10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    private int oneConnection(Cursor c) {
        InetAddress a = clients[Math.floorMod(c.next++ * 7919, clients.length)];
        int server = table.choose(a, 0, last -> last < 0 ? 0 : last);
        table.traffic(a, 100, 100);
        return server;
    }

    @Benchmark
    @Threads(1)
    public int oneThread(Cursor c) {
        return oneConnection(c);
    }

    @Benchmark
    @Threads(2)
    public int twoThreads(Cursor c) {
        return oneConnection(c);
    }
}
