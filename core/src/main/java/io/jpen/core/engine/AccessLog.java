package io.jpen.core.engine;

import io.netty.buffer.ByteBuf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Pen's access log ({@code -l file}, {@code log FILE}): one line per read from a client,
 * {@code client_ip unix_time server_ip first-line-of-the-data}. Lines are buffered and flushed by a timer (and on
 * reopen/close), as Pen's stdio does, so logging costs no system call per read. Control characters in the logged
 * data are written as '.', so a binary protocol cannot break the one-line-per-read format.
 *
 * <p>As in Pen, a destination without a leading {@code /} that contains {@code :} is penlogd's {@code host:port}
 * ({@code [v6]:port} for IPv6): each line then goes there as one UDP datagram ({@link PenlogdLog}). A file whose
 * name holds a colon is written with its directory, {@code ./name:x} (which Pen would take for a host).
 */
public final class AccessLog implements AutoCloseable {
    /** Longest piece of a request line that is logged. */
    static final int MAX_LINE = 1024;
    private static final long FLUSH_EVERY_MILLIS = 1000;

    private final Object lock = new Object();
    private volatile Path path;
    private volatile String destination;
    private volatile PenlogdLog penlogd;
    private BufferedWriter out;
    private Thread flusher;

    /** The log file, or null when logging to penlogd or not at all. */
    public Path path() { return path; }

    /** Where the log goes as the operator wrote it (a file or penlogd's host:port), or null when off. */
    public String destination() { return destination; }

    public boolean enabled() { return destination != null; }

    /** Whether {@code destination} names penlogd's address rather than a file: Pen's rule, and ./ for a file. */
    public static boolean network(String destination) {
        return !destination.startsWith("/") && !destination.startsWith("./") && destination.indexOf(':') >= 0;
    }

    /**
     * Starts logging to {@code destination}, a file (appended to) or penlogd's {@code host:port}; stops with null.
     * Fails, changing nothing, if the file cannot be opened or the address is not one.
     */
    public void open(String destination) {
        if (destination == null || !network(destination)) {
            open(destination == null ? null : Path.of(destination));
            return;
        }
        synchronized (lock) {
            PenlogdLog next = PenlogdLog.open(destination);
            closeSinks();
            penlogd = next;
            this.destination = destination;
        }
    }

    /** Starts logging to {@code file} (appending), or stops with null. Fails, changing nothing, if it cannot open. */
    public void open(Path file) {
        synchronized (lock) {
            BufferedWriter next = file == null ? null : openWriter(file);
            closeSinks();
            out = next;
            path = file;
            destination = file == null ? null : file.toString();
            if (next != null && flusher == null) startFlusher();
        }
    }

    /** Closes and reopens the same file (SIGHUP after log rotation); nothing to reopen for penlogd. */
    public void reopen() {
        synchronized (lock) {
            if (path != null) open(path);
        }
    }

    private static BufferedWriter openWriter(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open log file " + file + ": " + e.getMessage());
        }
    }

    private void startFlusher() {
        flusher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(FLUSH_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "jpen-access-log");
        flusher.setDaemon(true);
        flusher.start();
    }

    public void flush() {
        synchronized (lock) {
            if (out == null) return;
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Logs one read from a client; {@code data} is not consumed. */
    public void request(InetAddress client, SocketAddress server, long unixSeconds, ByteBuf data) {
        PenlogdLog net = penlogd;
        if (net != null) {
            net.request(client, server, data);
            return;
        }
        if (path == null) return;
        String line = format(client, server, unixSeconds, data);
        synchronized (lock) {
            if (out == null) return;
            try {
                out.write(line);
            } catch (IOException e) {
                // A full disk must not break proxying; the next reopen tries again.
            }
        }
    }

    static String format(InetAddress client, SocketAddress server, long unixSeconds, ByteBuf data) {
        StringBuilder b = new StringBuilder(96);
        b.append(client == null ? "0.0.0.0" : client.getHostAddress()).append(' ').append(unixSeconds).append(' ');
        b.append(serverAddress(server)).append(' ');
        return requestLine(b, data, MAX_LINE).append('\n').toString();
    }

    static String serverAddress(SocketAddress server) {
        return server instanceof InetSocketAddress isa && isa.getAddress() != null ? isa.getAddress().getHostAddress() : "0.0.0.0";
    }

    /** Appends the data's first line (at most {@code max} bytes), control characters as '.'. */
    static StringBuilder requestLine(StringBuilder b, ByteBuf data, int max) {
        int from = data.readerIndex();
        int end = Math.min(data.writerIndex(), from + max);
        for (int i = from; i < end; i++) {
            int c = data.getByte(i) & 0xff;
            if (c == '\r' || c == '\n') break;
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '.' : (char) c); // C0, DEL and C1 controls
        }
        return b;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closeSinks();
            path = null;
            destination = null;
            if (flusher != null) {
                flusher.interrupt();
                flusher = null;
            }
        }
    }

    private void closeSinks() {
        if (penlogd != null) {
            penlogd.close();
            penlogd = null;
        }
        path = null;
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // the data is lost either way; the new file opens regardless
        }
        out = null;
    }
}
