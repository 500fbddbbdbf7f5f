package io.jpen.bench;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;
import io.jpen.core.select.ServerSelector;
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
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/** What choosing a server costs per new connection, for each of Pen's selection rules. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectionBenchmark {
    @Param({"roundrobin", "tracking", "hash", "weight"})
    public String rule;
    @Param({"2", "16"})
    public int servers;

    private ServerSelector selector;
    private Server[] serverArray;
    private Settings settings;
    private InetAddress[] clients;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        InstantSource clock = InstantSource.system();
        selector = new ServerSelector(new ClientTable(2048, clock), clock);
        serverArray = new Server[servers];
        for (int i = 0; i < servers; i++) serverArray[i] = new Server(i, ServerSpec.of("127.0.0.1", 8000 + i));
        Settings s = Settings.defaults();
        settings = switch (rule) {
            case "roundrobin" -> s.withRoundrobin(true);
            case "hash" -> s.withHash(true);
            case "weight" -> s.withWeight(true);
            default -> s; // client tracking, Pen's default
        };
        clients = new InetAddress[1024];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = InetAddress.getByAddress(new byte[]{10, 0, (byte) (i >> 8), (byte) i});
        }
    }

    /**
     * One connection's first choice, recorded for its client as it is made, as Relay does for every accepted client
     * (with the time its loop's pass read).
     */
    @Benchmark
    public int chooseAndRecord() {
        InetAddress client = clients[next++ & (clients.length - 1)];
        return selector.attempts(serverArray, settings, AclCheck.PERMIT_ALL, client, 40000)
                .first(System.currentTimeMillis());
    }
}
