package io.jpen.gui.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gentle demo traffic against the balancer on loopback: a few new clients a second, each from one of twenty
 * loopback addresses (so client tracking has something to track), uploading a little and downloading a stream
 * that lasts from a blink to several seconds. At most {@code maxClients} run at once, so it never loads the machine.
 */
public final class LoadGenerator implements AutoCloseable {
    private final InetSocketAddress target;
    private final int maxClients;
    private final Semaphore slots;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.ExecutorService clients;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public LoadGenerator(InetSocketAddress target, int maxClients) {
        this.target = target;
        this.maxClients = maxClients;
        this.slots = new Semaphore(maxClients);
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "demo-load"));
        this.clients = Executors.newCachedThreadPool(r -> daemon(r, "demo-client-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a new client about every {@code periodMillis} (randomised), while there is a free slot. */
    public LoadGenerator start(long periodMillis) {
        scheduler.scheduleWithFixedDelay(this::maybeStartClient, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    public long requests() { return requests.get(); }
    public long failures() { return failures.get(); }
    public int running() { return maxClients - slots.availablePermits(); }

    private void maybeStartClient() {
        if (!slots.tryAcquire()) return;
        try {
            clients.execute(() -> {
                try {
                    oneRequest();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release(); // shutting down
        }
    }

    private void oneRequest() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int upload = r.nextInt(256, 48 * 1024);
        // mostly short requests, some long-lived streams so the connection table is never empty
        boolean stream = r.nextInt(4) == 0;
        long bytes = stream ? r.nextLong(256 * 1024, 3L << 20) : r.nextLong(2 * 1024, 256 * 1024);
        long millis = stream ? r.nextLong(4_000, 20_000) : r.nextLong(100, 2_500);
        requests.incrementAndGet();
        try (Socket s = new Socket()) {
            s.setSoTimeout(30_000);
            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (2 + r.nextInt(20))}), 0));
            s.connect(target, 5_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /stream?bytes=" + bytes + "&ms=" + millis + " HTTP/1.0\r\nHost: demo\r\nUser-Agent: jpen-demo\r\n"
                    + "Content-Length: " + upload + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[upload]);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            while (in.read(buf) >= 0) {
                // drain until the server (or the balancer in dummy mode) closes
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        clients.shutdownNow();
    }
}
