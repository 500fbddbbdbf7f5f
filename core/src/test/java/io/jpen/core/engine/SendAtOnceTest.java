package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.epoll.LeanSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay sends what it reads straight to the other side's socket when nothing waits there (as Pen writes from its
 * buffer), and through Netty's outbound buffer otherwise: bytes never overtake bytes queued before them.
 */
@Timeout(60)
class SendAtOnceTest {
    @RegisterExtension
    final Resources resources = new Resources();

    private Engine engine(ServerSocket backend) {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.getLocalPort())), Settings.defaults())
                .withTransport(Transport.EPOLL).withThreads(1)));
    }

    @Test
    void bytesGoStraightOutOnlyWhenNothingIsQueuedAheadOfThem() throws Exception {
        ServerSocket listening = resources.keep(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
        Engine e = engine(listening);
        Socket client = resources.keep(new Socket("127.0.0.1", e.port()));
        client.getOutputStream().write(ascii("hello"));
        Socket server = resources.keep(listening.accept());
        server.setSoTimeout(10_000);
        DataInputStream fromJpen = new DataInputStream(server.getInputStream());
        assertThat(read(fromJpen, 5)).isEqualTo("hello");
        await().atMost(5, TimeUnit.SECONDS).until(() -> e.connectionList().size() == 1);
        LeanSocketChannel up = (LeanSocketChannel) e.connectionList().get(0).up();

        String[] seen = up.eventLoop().submit(() -> {
            ByteBuf first = direct("A1");
            int sent = up.sendNow(first);
            boolean firstLeft = first.isReadable();
            first.release();
            up.write(Unpooled.copiedBuffer(ascii("B2"))); // queued, not flushed: what comes next must wait for it
            boolean canWhileQueued = up.canSendNow();
            ByteBuf third = direct("C3");
            int refused = up.sendNow(third);
            int thirdLeft = third.readableBytes();
            third.release();
            up.flush();
            return new String[] {String.valueOf(sent), String.valueOf(firstLeft), String.valueOf(canWhileQueued),
                    String.valueOf(refused), String.valueOf(thirdLeft)};
        }).get(5, TimeUnit.SECONDS);
        assertThat(seen).containsExactly("2", "false", "false", "-1", "2");
        assertThat(read(fromJpen, 4)).isEqualTo("A1B2");

        // Once the queue is flushed, bytes go straight out again; C3 was never sent, so D4 is what comes next.
        await().atMost(5, TimeUnit.SECONDS).until(() -> up.eventLoop().submit(up::canSendNow).get());
        int sent = up.eventLoop().submit(() -> {
            ByteBuf fourth = direct("D4");
            int n = up.sendNow(fourth);
            fourth.release();
            return n;
        }).get(5, TimeUnit.SECONDS);
        assertThat(sent).isEqualTo(2);
        assertThat(read(fromJpen, 2)).isEqualTo("D4");

        up.eventLoop().submit(() -> up.shutdownOutput()).get(5, TimeUnit.SECONDS);
        assertThat(fromJpen.read()).as("end of stream after the output ended").isEqualTo(-1);
        assertThat(up.eventLoop().submit(up::canSendNow).get()).as("can send after the output ended").isFalse();
    }

    @Test
    void copiedBytesReachAReaderThatTakesThemSlowlyWholeAndInOrder() throws Exception {
        // Without splice every byte is read into the loop's buffer and sent from it, or queued when the reader lags:
        // the lagging reader makes sends take part of a read, and reads come while the rest is still queued.
        int size = 8 * 1024 * 1024;
        String before = System.getProperty("jpen.splice");
        System.setProperty("jpen.splice", "off");
        Engine e;
        ServerSocket listening = resources.keep(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
        try {
            e = engine(listening);
        } finally {
            if (before == null) System.clearProperty("jpen.splice"); else System.setProperty("jpen.splice", before);
        }
        MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
        CompletableFuture<Void> backend = CompletableFuture.runAsync(() -> {
            try (Socket s = listening.accept(); OutputStream out = s.getOutputStream()) {
                Random r = new Random(7);
                byte[] buf = new byte[200 * 1024];
                for (int left = size; left > 0; ) {
                    int n = Math.min(left, 1 + r.nextInt(buf.length));
                    r.nextBytes(buf);
                    out.write(buf, 0, n);
                    sentDigest.update(buf, 0, n);
                    left -= n;
                }
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        MessageDigest receivedDigest = MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096); // before connecting, so that the window it offers is small from the start
            client.connect(new java.net.InetSocketAddress("127.0.0.1", e.port()), 5_000);
            client.setSoTimeout(20_000);
            InputStream in = client.getInputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf, 0, received < size / 4 ? 1024 : buf.length)) >= 0; ) {
                receivedDigest.update(buf, 0, n);
                received += n;
                if (received < size / 4 && received % (64 * 1024) < 1024) Thread.sleep(2);
            }
        }
        backend.get(20, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(size);
        assertThat(receivedDigest.digest()).isEqualTo(sentDigest.digest());
    }

    private static ByteBuf direct(String text) {
        return Unpooled.directBuffer(8).writeBytes(ascii(text));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String read(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
