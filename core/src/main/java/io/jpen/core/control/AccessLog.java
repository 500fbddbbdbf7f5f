package io.jpen.core.control;

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
 */
public final class AccessLog implements AutoCloseable {
    /** Longest piece of a request line that is logged. */
    static final int MAX_LINE = 1024;
    private static final long FLUSH_EVERY_MILLIS = 1000;

    private final Object lock = new Object();
    private volatile Path path;
    private BufferedWriter out;
    private Thread flusher;

    public Path path() { return path; }

    public boolean enabled() { return path != null; }

    /** Starts logging to {@code file} (appending), or stops with null. Fails, changing nothing, if it cannot open. */
    public void open(Path file) {
        synchronized (lock) {
            BufferedWriter next = file == null ? null : openWriter(file);
            closeWriter();
            out = next;
            path = file;
            if (next != null && flusher == null) startFlusher();
        }
    }

    /** Closes and reopens the same file (SIGHUP after log rotation). */
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
        if (server instanceof InetSocketAddress isa && isa.getAddress() != null) {
            b.append(isa.getAddress().getHostAddress());
        } else {
            b.append("0.0.0.0");
        }
        b.append(' ');
        int from = data.readerIndex();
        int end = Math.min(data.writerIndex(), from + MAX_LINE);
        for (int i = from; i < end; i++) {
            int c = data.getByte(i) & 0xff;
            if (c == '\r' || c == '\n') break;
            b.append(c < 0x20 || c == 0x7f ? '.' : (char) c);
        }
        return b.append('\n').toString();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closeWriter();
            path = null;
            if (flusher != null) {
                flusher.interrupt();
                flusher = null;
            }
        }
    }

    private void closeWriter() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // the data is lost either way; the new file opens regardless
        }
        out = null;
    }
}
