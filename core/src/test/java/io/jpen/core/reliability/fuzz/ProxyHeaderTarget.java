package io.jpen.core.reliability.fuzz;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.engine.Engine;
import io.jpen.core.model.AcceptProxy;
import io.jpen.core.model.ProxyView;
import io.jpen.core.engine.proxy.ProxyAcceptor;
import io.jpen.core.engine.proxy.ProxyOrigin;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.ProxyHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * accept_proxy's header path (Netty's decoder behind jpen's gate and reader): random, truncated and mutated v1
 * and v2 headers with wrong lengths and TLVs, fed in random splits. Each connection is either accepted once, with
 * every byte after the header passed on exactly and the header handlers gone from the pipeline, or refused once,
 * closed, counted and with a reason; nothing throws past the reader and no buffer leaks. Every 50th case also goes
 * to a real engine over loopback, where a healthy connection opened at the start must keep echoing throughout.
 */
final class ProxyHeaderTarget implements FuzzTarget {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final Backend echo;
    private final Engine engine;
    private final Socket healthy;
    private int cases;

    ProxyHeaderTarget() throws IOException {
        echo = Backend.echo("echo");
        engine = Engines.start(s -> s.withTimeoutSeconds(2), echo);
        Engines.penctl(engine).execute("accept_proxy");
        healthy = ProxyHeaders.open("127.0.0.1", engine.port(), ProxyHeaders.v2("10.0.0.1", 1, "127.0.0.1", 80));
        echoOn(healthy, "healthy at the start");
    }

    @Override
    public String name() {
        return "proxy-header";
    }

    @Override
    public List<String> dictionary() {
        return List.of("PROXY ", "TCP4 ", "TCP6 ", "UNKNOWN", "UDP4 ", "\r\n", "\r", "\n", " ", "127.0.0.1 ", "::1 ",
                "255.255.255.255 ", "ffff::ffff ", "0 ", "65535 ", "65536 ", new String(V2_SIGNATURE, StandardCharsets.ISO_8859_1),
                "\u0021\u0011", "\u0020\u0000", "\u0021\u0021", "\u0021\u0031", "\u0021\u0012", "\u0011\u0011",
                "\u0000\u000c", "\u0000\u0024", "\u0000\u00d8", "\u007f\u00ff", "\u0004\u0000\u0003abc",
                "\u0020\u0000\u0005\u0001\u0000\u0000\u0000\u0000", "\u0001\u0000\u0002h2", "\u0030\u0000\u0000");
    }

    @Override
    public void check(byte[] input) throws Exception {
        checkEmbedded(input);
        if (++cases % 50 == 0) checkOverLoopback(input);
    }

    private void checkEmbedded(byte[] input) {
        List<String> events = new ArrayList<>();
        ProxyAcceptor acceptor = new ProxyAcceptor((kind, message) -> events.add(message));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ProxyOrigin[] origin = new ProxyOrigin[1];
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        acceptor.expect(ch, InetAddress.getLoopbackAddress(), new AcceptProxy(true, -1), AclCheck.PERMIT_ALL, 0, o -> {
            if (origin[0] != null) throw new AssertionError("the header was taken twice");
            origin[0] = o;
            ch.pipeline().addLast("after", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    b.release();
                    after.writeBytes(bytes);
                }
            });
        });
        SplittableRandom r = new SplittableRandom(Arrays.hashCode(input));
        try {
            int at = 0;
            while (at < input.length && ch.isOpen()) {
                int n = Math.min(input.length - at, 1 + r.nextInt(r.nextBoolean() ? 16 : 512));
                ch.writeInbound(Unpooled.copiedBuffer(input, at, n));
                at += n;
            }
            ch.checkException();
        } catch (RuntimeException e) {
            throw new AssertionError("the header path threw " + e, e);
        }
        boolean open = ch.isOpen();
        if (open && origin[0] == null) ch.close(); // cut short: the peer leaves
        ProxyView view = acceptor.view(new AcceptProxy(true, -1));
        long rejected = view.rejected().values().stream().mapToLong(Long::longValue).sum();
        if (view.accepted() + rejected != 1) {
            throw new AssertionError("accepted " + view.accepted() + " and refused " + view.rejected() + " for one connection");
        }
        if (origin[0] != null) {
            int header = headerLength(input);
            if (header < 0) throw new AssertionError("accepted a connection that does not start with a PROXY header");
            byte[] rest = Arrays.copyOfRange(input, header, input.length);
            if (!Arrays.equals(after.toByteArray(), rest)) {
                throw new AssertionError("passed on " + after.size() + " bytes after the header, not the " + rest.length + " that followed it");
            }
            for (String h : List.of("proxy-gate", "proxy-decoder", "proxy-reader")) {
                if (ch.pipeline().get(h) != null) throw new AssertionError(h + " is still in the pipeline after the header");
            }
        } else {
            if (open && !events.isEmpty() && ch.isOpen()) throw new AssertionError("refused but left open");
            if (events.size() != 1 || events.get(0).isBlank() || !events.get(0).contains("refused: ")) {
                throw new AssertionError("a refusal without exactly one reason: " + events);
            }
            InWords.check(events.get(0), input);
        }
        ch.finishAndReleaseAll();
    }

    /** Where the header ends if the input starts with a whole v1 line or v2 header; -1 if it does not start with one. */
    private static int headerLength(byte[] in) {
        if (in.length >= 16 && Arrays.equals(Arrays.copyOf(in, 12), V2_SIGNATURE)) {
            return 16 + ((in[14] & 0xff) << 8 | (in[15] & 0xff));
        }
        for (int i = 0; i + 1 < in.length; i++) if (in[i] == '\r' && in[i + 1] == '\n') return i + 2;
        return -1;
    }

    private void checkOverLoopback(byte[] input) throws IOException {
        try (Socket s = ProxyHeaders.open("127.0.0.1", engine.port(), input)) {
            s.setSoTimeout(6_000);
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("jpen neither answered nor ended the connection", e);
        } catch (SocketException resetOrRefused) {
            // refused while the input was still being written, or with unread bytes: a reset
        }
        echoOn(healthy, "healthy after case " + cases);
    }

    private static void echoOn(Socket s, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        s.setSoTimeout(6_000);
        s.getOutputStream().write(b);
        InputStream in = s.getInputStream();
        byte[] back = in.readNBytes(b.length);
        if (!Arrays.equals(back, b)) {
            throw new AssertionError("the healthy connection got '" + new String(back, StandardCharsets.US_ASCII) + "' back");
        }
    }

    @Override
    public void close() throws Exception {
        healthy.close();
        engine.close();
        echo.close();
    }
}
