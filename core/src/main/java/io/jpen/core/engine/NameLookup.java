package io.jpen.core.engine;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Host names looked up for commands ({@code server N address NAME}) before they take the command lock, with a time
 * limit: the system's resolver has none a caller can set, and a slow DNS server would otherwise hold every command,
 * the API and HUP. A lookup that takes longer is abandoned (its thread finishes on its own); a few run at once.
 */
public final class NameLookup {
    /** How a name becomes an address: the system's resolver, or a test's. */
    @FunctionalInterface
    public interface Source {
        InetAddress lookup(String host) throws Exception;
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Lookups in progress at once; more are refused rather than queued behind a slow server. */
    static final int MAX_PARALLEL = 4;

    private final Source source;
    private final Duration timeout;
    private final ThreadPoolExecutor threads;

    public NameLookup(Source source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
        this.threads = new ThreadPoolExecutor(0, MAX_PARALLEL, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "jpen-name-lookup");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The system's answer for {@code host} now, without a time limit: for the engine's start-up, and for a command
     * applied without its prepare step (a command a config file runs is prepared with the file).
     */
    static InetAddress now(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("unknown or invalid address '" + host + "'");
        }
    }

    public static NameLookup system() {
        return new NameLookup(InetAddress::getByName, DEFAULT_TIMEOUT);
    }

    /** The address of {@code host}: an IP literal at once, a name within the time limit, or an error naming it. */
    public InetAddress resolve(String host) {
        InetAddress literal = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                ? NetUtil.createInetAddressFromIpAddressString(host) : null;
        if (literal != null) return literal;
        Future<InetAddress> answer;
        try {
            answer = threads.submit(() -> source.lookup(host));
        } catch (RejectedExecutionException busy) {
            throw new IllegalArgumentException("cannot look up '" + host + "' now: " + MAX_PARALLEL
                    + " name lookups are already waiting for an answer");
        }
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            long ms = timeout.toMillis();
            throw new IllegalArgumentException("no answer for '" + host + "' from the name service within "
                    + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms"));
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("unknown or invalid address '" + host + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("looking up '" + host + "' was interrupted");
        }
    }
}
