package io.jpen.core.engine.health;

import io.jpen.core.model.HealthCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One check as a tiny client pipeline on an event loop: a non-blocking connect, then for {@code http} a GET and the
 * status line, for {@code send} the line and the reply until it contains the expected text. It ends exactly once,
 * with a {@link CheckResult}, within the timeout, and closes its socket.
 */
final class Probe extends ChannelInboundHandlerAdapter {
    /** More of an answer than this without a verdict fails the check: a health answer is short. */
    static final int MAX_ANSWER = 64 * 1024;

    private final HealthCheck check;
    private final InetSocketAddress address;
    private final String host;
    private final long timeoutMillis;
    private final Consumer<CheckResult> done;
    private final java.time.InstantSource clock;
    private final long started = System.nanoTime();
    /** The answer so far, one char per byte (ISO-8859-1), compared with the expected text encoded the same way. */
    private final StringBuilder answer = new StringBuilder();
    private ScheduledFuture<?> timeout;
    private Channel channel;
    private boolean finished;

    private Probe(HealthCheck check, InetSocketAddress address, String host, long timeoutMillis,
                  java.time.InstantSource clock, Consumer<CheckResult> done) {
        this.check = check;
        this.address = address;
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
        this.done = done;
    }

    /**
     * Runs {@code check} against {@code address} on {@code loop} over the unregistered channel {@code ch};
     * {@code host} is the Host header of an HTTP check. {@code done} runs on {@code loop}.
     */
    static void run(Channel ch, EventLoop loop, InetSocketAddress address, String host, HealthCheck check,
                    long timeoutMillis, java.time.InstantSource clock, Consumer<CheckResult> done) {
        Probe p = new Probe(check, address, host, timeoutMillis, clock, done);
        p.channel = ch;
        ch.pipeline().addLast("probe", p);
        loop.register(ch).addListener(reg -> {
            if (!reg.isSuccess()) {
                ch.unsafe().closeForcibly();
                p.channel = null;
                p.finish(false, CheckWords.failure(reg.cause(), address, timeoutMillis));
                return;
            }
            p.timeout = loop.schedule(p::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
            ch.connect(address).addListener(f -> {
                if (f.isSuccess()) p.connected();
                else p.finish(false, CheckWords.failure(f.cause(), address, timeoutMillis));
            });
        });
    }

    private void timedOut() {
        if (finished) return;
        if (answer.length() > 0 && check.kind() == HealthCheck.Kind.SEND) {
            finish(false, "no " + HealthCheck.quote(check.expect()) + " within " + CheckWords.seconds(timeoutMillis)
                    + ", got " + CheckWords.excerpt(answer));
        } else {
            finish(false, CheckWords.timeout(timeoutMillis));
        }
    }

    private void connected() {
        if (finished) return;
        switch (check.kind()) {
            case TCP -> finish(true, "connected to " + CheckWords.address(address));
            case HTTP -> write("GET " + check.path() + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: jpen-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n");
            case SEND -> {
                String s = check.send();
                if (!s.isEmpty()) write(s.endsWith("\n") ? s : s + "\r\n");
            }
        }
    }

    private void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
            if (!f.isSuccess()) finish(false, CheckWords.failure(f.cause(), address, timeoutMillis));
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            if (finished) return;
            int n = Math.min(b.readableBytes(), MAX_ANSWER + 1 - answer.length());
            answer.append(b.toString(b.readerIndex(), n, StandardCharsets.ISO_8859_1));
        } finally {
            b.release();
        }
        judge();
    }

    private void judge() {
        switch (check.kind()) {
            case TCP -> { }
            case HTTP -> {
                int eol = answer.indexOf("\n");
                if (eol >= 0) {
                    status(answer.substring(0, eol).strip());
                } else if (answer.length() > MAX_ANSWER) {
                    finish(false, "no HTTP status line in the first " + MAX_ANSWER / 1024 + " KiB from " + check.path());
                }
            }
            case SEND -> {
                String expect = new String(check.expect().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                if (answer.indexOf(expect) >= 0) {
                    finish(true, "reply contained " + HealthCheck.quote(check.expect()));
                } else if (answer.length() > MAX_ANSWER) {
                    finish(false, "no " + HealthCheck.quote(check.expect()) + " in the first " + MAX_ANSWER / 1024 + " KiB of the reply");
                }
            }
        }
    }

    /** {@code HTTP/1.1 503 Service Unavailable}: passes on the wanted code, or on any 2xx/3xx. */
    private void status(String line) {
        String[] parts = line.split(" ", 3);
        int code = -1;
        if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("\\d{3}")) code = Integer.parseInt(parts[1]);
        if (code < 0) {
            finish(false, "not an HTTP answer from " + check.path() + ": " + CheckWords.excerpt(line));
            return;
        }
        boolean ok = check.code() == 0 ? code >= 200 && code < 400 : code == check.code();
        String text = "HTTP " + code + " from " + check.path();
        finish(ok, ok || check.code() == 0 ? text : text + " (wanted " + check.code() + ")");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (finished) return;
        switch (check.kind()) {
            case HTTP -> finish(false, "connection closed before an HTTP answer from " + check.path());
            case SEND -> finish(false, answer.length() == 0
                    ? "connection closed without a reply"
                    : "reply without " + HealthCheck.quote(check.expect()) + ": got " + CheckWords.excerpt(answer));
            case TCP -> finish(false, "connection closed by " + CheckWords.address(address));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(false, CheckWords.failure(cause, address, timeoutMillis));
    }

    private void finish(boolean ok, String text) {
        if (finished) return;
        finished = true;
        if (timeout != null) timeout.cancel(false);
        if (channel != null) channel.close();
        done.accept(new CheckResult(ok, text, clock.millis(), System.nanoTime() - started));
    }
}
