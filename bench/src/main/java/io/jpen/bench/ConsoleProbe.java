package io.jpen.bench;

import io.jpen.core.console.Console;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same engine twice for anchors.sh: once bare ({@code --no-console}) and once with a {@link LocalConsole}
 * attached at its default tick and a subscriber that reads every snapshot as the desktop console does
 * ({@code --console}). Comparing the two candidates' CPU per request is the console's cost to the engine.
 *
 * <p>Usage: {@code ConsoleProbe --console|--no-console THREADS 127.0.0.1:LPORT HOST:PORT...}
 */
public final class ConsoleProbe {
    private ConsoleProbe() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 4 || !(args[0].equals("--console") || args[0].equals("--no-console"))) {
            System.err.println("usage: ConsoleProbe --console|--no-console THREADS HOST:LPORT HOST:PORT...");
            System.exit(2);
        }
        boolean console = args[0].equals("--console");
        int threads = Integer.parseInt(args[1]);
        String[] listen = args[2].split(":");
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] hp = args[i].split(":");
            servers.add(ServerSpec.of(hp[0], Integer.parseInt(hp[1])));
        }
        // As the anchors' Pen candidate runs: -r (round robin, no tracking), -x 10000.
        Settings settings = Settings.defaults().withRoundrobin(true).withConnMax(10_000);
        EngineOptions options = EngineOptions.of(new Endpoint.Tcp(listen[0], Integer.parseInt(listen[1])), servers, settings)
                .withThreads(threads);
        Engine engine = new Engine(options);
        engine.start();
        Console attached = null;
        AtomicLong seen = new AtomicLong();
        if (console) {
            attached = new LocalConsole(engine);
            // Reads what a view would show, so the snapshot is not dead code the JIT could drop.
            attached.subscribe(s -> seen.addAndGet(s.totals().connections() + s.connections().size() + s.servers().size()));
        }
        Console toClose = attached;
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (toClose != null) toClose.close();
            engine.close();
            stop.countDown();
        }));
        stop.await();
    }
}
