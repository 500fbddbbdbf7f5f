package io.jpen.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Incremental HTTP/1.x request-head rewriter for the client side of a connection in HTTP mode. It adds
 * {@code X-Forwarded-For} (appending the client to any existing value) and {@code X-Forwarded-Proto} to every
 * request head, however the bytes are split across reads. Bodies pass through byte for byte: the rewriter only
 * follows their framing (Content-Length or chunked) so it finds the next request's head on a keep-alive
 * connection. After CONNECT or an Upgrade request, what the client sends next is held until the server has
 * answered ({@link #answered}): only a 101 to the Upgrade (a 2xx to the CONNECT) turns the rest of the connection
 * into an opaque tunnel; any other answer leaves it HTTP, and every later request is rewritten like the first.
 *
 * <p>Not thread-safe: one instance belongs to one connection's event loop.
 */
public final class HttpRequestRewriter {
    public static final int DEFAULT_HEAD_LIMIT = 32 * 1024;
    private static final int CHUNK_LINE_LIMIT = 4096;

    private enum Phase { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, AWAIT, TUNNEL }

    private final ByteBufAllocator alloc;
    private final String client;
    private final String proto;
    private final int headLimit;

    private Phase phase = Phase.HEAD;
    private ByteBuf head;
    /** Bytes of the current line seen so far (CR not counted), for finding the empty line that ends a block. */
    private int lineLength;
    private int blockBytes;
    private long remaining;
    private long chunkSize;
    private boolean chunkDigits;
    private boolean chunkExtension;
    /** The request being framed asked to switch protocols; what the server said, once it has (null: not yet). */
    private RequestKind switching;
    private Boolean switched;
    /** What the client sent while the server had not yet answered its Upgrade or CONNECT. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private int heldBytes;
    /** False once the server's answers cannot be followed: then nothing waits for one. */
    private boolean answersFollowed = true;
    private final Consumer<RequestKind> requestSent;
    private boolean requestLineChecked;
    private long requests;

    /**
     * @param client    the client address as it goes into X-Forwarded-For
     * @param proto     "http" or "https" for X-Forwarded-Proto
     * @param headLimit largest accepted request head (and trailer block) in bytes
     */
    public HttpRequestRewriter(ByteBufAllocator alloc, String client, String proto, int headLimit) {
        this(alloc, client, proto, headLimit, kind -> { });
    }

    /** @param requestSent told the kind of every request head as it is forwarded, for matching the answers */
    public HttpRequestRewriter(ByteBufAllocator alloc, String client, String proto, int headLimit,
                               Consumer<RequestKind> requestSent) {
        this.alloc = alloc;
        this.client = client;
        this.proto = proto;
        this.headLimit = headLimit;
        this.requestSent = requestSent;
    }

    /**
     * The server's final answer to the Upgrade or CONNECT request now in progress: a tunnel if it agreed, HTTP
     * otherwise; what the client sent in the meantime goes on accordingly, to {@code out}. Throws
     * {@link HttpRejection} as {@link #feed} does, for a held request that must not be forwarded.
     */
    public void answered(int status, Consumer<ByteBuf> out) {
        if (switching == null) return;
        boolean tunnel = switching.tunnelsOn(status);
        if (phase == Phase.AWAIT) {
            decide(tunnel, out);
        } else {
            switched = tunnel; // answered before the request's body ended: applied when it does
        }
    }

    /** The server's answers can no longer be followed: nothing waits for one, and HTTP goes on. */
    public void answersLost(Consumer<ByteBuf> out) {
        answersFollowed = false;
        if (switching == null) return;
        if (phase == Phase.AWAIT) decide(false, out); else switched = false;
    }

    /** Whether client bytes are being held until the server answers an Upgrade or CONNECT. */
    public boolean awaitingAnswer() {
        return phase == Phase.AWAIT;
    }

    private void decide(boolean tunnel, Consumer<ByteBuf> out) {
        switching = null;
        switched = null;
        phase = tunnel ? Phase.TUNNEL : Phase.HEAD;
        lineLength = 0;
        List<ByteBuf> replay = new ArrayList<>(held);
        held.clear();
        heldBytes = 0;
        try {
            for (int i = 0; i < replay.size(); i++) {
                ByteBuf b = replay.get(i);
                try {
                    consume(b, out);
                } finally {
                    b.release();
                    replay.set(i, null);
                }
            }
        } catch (RuntimeException e) {
            for (ByteBuf b : replay) if (b != null) b.release();
            release();
            throw e;
        }
    }

    /** Request heads rewritten so far. */
    public long requests() {
        return requests;
    }

    /**
     * Consumes all readable bytes of {@code in} (without releasing it) and hands what should reach the server to
     * {@code out}, in order; each emitted buffer is owned by the consumer. Throws {@link HttpRejection} for a
     * request that must not be forwarded; the rewriter has then let go of what it held and is unusable.
     */
    public void feed(ByteBuf in, Consumer<ByteBuf> out) {
        try {
            consume(in, out);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private void consume(ByteBuf in, Consumer<ByteBuf> out) {
        while (in.isReadable()) {
            switch (phase) {
                case HEAD -> head(in, out);
                case BODY, CHUNK_DATA -> {
                    int take = (int) Math.min(remaining, in.readableBytes());
                    out.accept(in.readRetainedSlice(take));
                    remaining -= take;
                    if (remaining == 0) {
                        if (phase == Phase.CHUNK_DATA) {
                            phase = Phase.CHUNK_DATA_END;
                        } else {
                            endOfMessage();
                        }
                    }
                }
                case CHUNK_SIZE, CHUNK_DATA_END, TRAILER -> framingLine(in, out);
                case TUNNEL -> out.accept(in.readRetainedSlice(in.readableBytes()));
                case AWAIT -> hold(in);
            }
        }
    }

    private void hold(ByteBuf in) {
        int n = in.readableBytes();
        // A client waits for the answer before it speaks the new protocol; one that keeps sending is not let
        // fill memory meanwhile.
        if (heldBytes + n > headLimit) {
            throw HttpRejection.bad("more than " + headLimit + " bytes sent before the server answered the "
                    + (switching == RequestKind.CONNECT ? "CONNECT" : "Upgrade") + " request");
        }
        heldBytes += n;
        held.add(in.readRetainedSlice(n));
    }

    /** Frees the partial head and held bytes, if any (the connection ended). */
    public void release() {
        if (head != null) {
            head.release();
            head = null;
        }
        for (ByteBuf b : held) b.release();
        held.clear();
        heldBytes = 0;
    }

    private void head(ByteBuf in, Consumer<ByteBuf> out) {
        if (head == null) {
            // RFC 9112 2.2: empty lines before a request line are ignored (some clients send CRLF after a body).
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) return;
            if (!Tokens.tchar(in.getByte(in.readerIndex()))) {
                throw HttpRejection.notHttp("not an HTTP request (first byte 0x"
                        + Integer.toHexString(in.getByte(in.readerIndex()) & 0xff) + ")");
            }
            head = alloc.heapBuffer(512);
            lineLength = 0;
        }
        int start = in.readerIndex();
        int end = endOfBlock(in);
        int take = (end < 0 ? in.writerIndex() : end + 1) - start;
        if (head.readableBytes() + take > headLimit) {
            throw HttpRejection.tooLarge("request head larger than " + headLimit + " bytes");
        }
        head.writeBytes(in, take);
        if (!requestLineChecked) {
            // Check the request line as soon as it is complete, so non-HTTP bytes fail fast instead of filling up.
            // Only the bytes just added can hold the first LF: a head sent byte by byte costs linear time, not quadratic.
            int lf = head.indexOf(head.writerIndex() - take, head.writerIndex(), (byte) '\n');
            if (lf >= 0) {
                RequestHead.requestLine(RequestHead.stripCr(head.toString(head.readerIndex(), lf - head.readerIndex(), StandardCharsets.ISO_8859_1)));
                requestLineChecked = true;
            }
        }
        if (end < 0) return;
        requestLineChecked = false;
        String text = head.toString(StandardCharsets.ISO_8859_1);
        head.release();
        head = null;
        RequestHead rewritten = RequestHead.rewrite(text, client, proto);
        requests++;
        requestSent.accept(rewritten.kind());
        framing(rewritten.kind(), rewritten.contentLength(), rewritten.transferEncoding());
        out.accept(Unpooled.copiedBuffer(rewritten.text(), StandardCharsets.ISO_8859_1));
    }

    /** Index of the LF that ends the block (an empty line), or -1; tracks {@link #lineLength} across reads. */
    private int endOfBlock(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                if (lineLength == 0) return i;
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
        }
        return -1;
    }

    private void framing(RequestKind kind, long contentLength, String transferEncoding) {
        switching = kind.switching() && answersFollowed ? kind : null;
        switched = null;
        if (transferEncoding != null) {
            if (contentLength >= 0) throw HttpRejection.bad("both Content-Length and Transfer-Encoding");
            String[] codings = transferEncoding.split(",");
            if (!codings[codings.length - 1].strip().equalsIgnoreCase("chunked")) {
                throw HttpRejection.bad("Transfer-Encoding '" + RequestHead.printable(transferEncoding) + "' does not end in chunked");
            }
            startChunk();
        } else if (contentLength > 0) {
            phase = Phase.BODY;
            remaining = contentLength;
        } else {
            endOfMessage();
        }
    }

    private void startChunk() {
        phase = Phase.CHUNK_SIZE;
        chunkSize = 0;
        chunkDigits = false;
        chunkExtension = false;
        blockBytes = 0;
    }

    private void endOfMessage() {
        lineLength = 0;
        if (switching == null) {
            phase = Phase.HEAD;
        } else if (switched == null) {
            phase = Phase.AWAIT; // until the server answers
        } else {
            phase = switched ? Phase.TUNNEL : Phase.HEAD;
            switching = null;
            switched = null;
        }
    }

    /** Chunk-size lines, the CRLF after chunk data and the trailer block: forwarded unchanged, parsed on the way. */
    private void framingLine(ByteBuf in, Consumer<ByteBuf> out) {
        int start = in.readerIndex();
        int i = start;
        Phase next = null;
        while (i < in.writerIndex() && next == null) {
            byte c = in.getByte(i++);
            switch (phase) {
                case CHUNK_SIZE -> {
                    if (++blockBytes > CHUNK_LINE_LIMIT) throw HttpRejection.bad("chunk-size line too long");
                    if (c == '\n') {
                        if (!chunkDigits) throw HttpRejection.bad("chunk-size line without a size");
                        next = chunkSize == 0 ? Phase.TRAILER : Phase.CHUNK_DATA;
                    } else if (!chunkExtension && Character.digit(c, 16) >= 0) {
                        if (chunkSize > (Long.MAX_VALUE >> 4)) throw HttpRejection.bad("chunk size too large");
                        chunkSize = chunkSize * 16 + Character.digit(c, 16);
                        chunkDigits = true;
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        chunkExtension = true;
                    } else if (c != '\r' && !chunkExtension) {
                        throw HttpRejection.bad("invalid chunk size");
                    }
                }
                case CHUNK_DATA_END -> {
                    if (c == '\n') next = Phase.CHUNK_SIZE;
                    else if (c != '\r') throw HttpRejection.bad("chunk data longer than its size");
                }
                case TRAILER -> {
                    if (++blockBytes > headLimit) throw HttpRejection.tooLarge("trailer larger than " + headLimit + " bytes");
                    if (c == '\n') {
                        if (lineLength == 0) next = Phase.HEAD;
                        lineLength = 0;
                    } else if (c != '\r') {
                        lineLength++;
                    }
                }
                default -> throw new IllegalStateException(phase.name());
            }
        }
        out.accept(in.retainedSlice(start, i - start));
        in.readerIndex(i);
        if (next == null) return;
        switch (next) {
            case CHUNK_DATA -> {
                phase = Phase.CHUNK_DATA;
                remaining = chunkSize;
            }
            case CHUNK_SIZE -> startChunk();
            case TRAILER -> {
                phase = Phase.TRAILER;
                lineLength = 0;
                blockBytes = 0;
            }
            case HEAD -> endOfMessage();
            default -> throw new IllegalStateException(next.name());
        }
    }
}
