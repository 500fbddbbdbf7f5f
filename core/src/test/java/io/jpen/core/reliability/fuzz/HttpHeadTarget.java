package io.jpen.core.reliability.fuzz;

import io.jpen.core.http.HttpRejection;
import io.jpen.core.http.HttpRequestRewriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The HTTP mode's request-head rewriter, fed in random splits (and answered at random where it waits for the
 * server's answer to an Upgrade or CONNECT): it forwards or rejects (HttpRejection with 400 or
 * 431 and a reason), never throws anything else, and never frees a buffer it does not own.
 */
final class HttpHeadTarget implements FuzzTarget {
    @Override
    public String name() {
        return "http-head";
    }

    @Override
    public List<String> dictionary() {
        return List.of("GET ", "POST ", "CONNECT ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "HTTP/2.0", "Host: a\r\n",
                "Content-Length: ", "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n",
                "X-Forwarded-For: 10.0.0.1\r\n", "Connection: Upgrade\r\nUpgrade: websocket\r\n", "\r\n\r\n", "\r\n",
                "0\r\n\r\n", "5\r\nhello\r\n", "ffffffffffffffff\r\n", ";ext=1", "Expect: 100-continue\r\n",
                "Content-Length: 5\r\nContent-Length: 6\r\n", " \t", "\n", ":", "/");
    }

    @Override
    public void check(byte[] input) {
        HttpRequestRewriter rw = new HttpRequestRewriter(PooledByteBufAllocator.DEFAULT, "127.0.0.2", "http", 4096);
        boolean rejected = false;
        SplittableRandom r = new SplittableRandom(Arrays.hashCode(input));
        List<ByteBuf> out = new ArrayList<>();
        List<ByteBuf> fed = new ArrayList<>();
        try {
            int at = 0;
            while (at < input.length) {
                int n = Math.min(input.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 2048));
                ByteBuf piece = Unpooled.wrappedBuffer(input, at, n);
                fed.add(piece);
                rw.feed(piece, out::add);
                if (piece.isReadable()) throw new AssertionError("feed left bytes unread");
                at += n;
                // The server's answer to an Upgrade or CONNECT: agreed, refused, or not followed at all.
                if (rw.awaitingAnswer() && r.nextBoolean()) {
                    int pick = r.nextInt(4);
                    if (pick == 3) rw.answersLost(out::add); else rw.answered(new int[]{101, 200, 403}[pick], out::add);
                }
            }
        } catch (HttpRejection e) {
            rejected = true;
            if (e.status() != 400 && e.status() != 431) throw new AssertionError("rejected with status " + e.status(), e);
            if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("rejected without a reason", e);
        } catch (RuntimeException e) {
            throw new AssertionError("the rewriter threw " + e, e);
        } finally {
            // A rejection frees what the rewriter held (the leak detector reports it if not); a head cut short by
            // the end of the input is still held, as when a client leaves, and freed as the handler would.
            if (!rejected) rw.release();
            for (ByteBuf b : out) {
                if (b.refCnt() < 1) throw new AssertionError("the rewriter handed on a freed buffer");
                b.release();
            }
            // Once the consumer has freed what it was given, what was lent to the rewriter is back as it was.
            for (ByteBuf b : fed) {
                if (b.refCnt() != 1) throw new AssertionError("the rewriter released or kept a buffer it was only lent");
                b.release();
            }
        }
    }
}
