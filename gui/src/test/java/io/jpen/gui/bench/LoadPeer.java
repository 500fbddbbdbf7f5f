package io.jpen.gui.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The other end of the FX tick benchmark, in its own process so the balancer's process has its file descriptors
 * to itself: a backend that accepts and holds connections, and N clients that connect through the balancer and
 * each second send a few bytes on a tenth of them (so the table's values change). Prints the backend port, then
 * "ready" when every client is connected; exits when its standard input closes or after the given seconds.
 *
 * Usage: LoadPeer backend            (prints the port, holds until stdin closes)
 *        LoadPeer clients PORT N SECONDS
 */
public final class LoadPeer {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("backend")) {
            backend();
        } else {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void backend() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
        System.out.flush();
        List<SocketChannel> held = new ArrayList<>();
        Thread accept = new Thread(() -> {
            while (true) {
                try {
                    held.add(server.accept()); // never read: the kernel buffers absorb the trickle
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        while (System.in.read() >= 0) {
            // hold until the benchmark closes our stdin
        }
    }

    private static void clients(int port, int n, int seconds) throws Exception {
        List<SocketChannel> clients = new ArrayList<>(n);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int i = 0; i < n; i++) {
            clients.add(SocketChannel.open(target));
            if (i % 100 == 99) Thread.sleep(5); // let the balancer accept at its pace
        }
        System.out.println("ready");
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // until the benchmark closes our stdin
                }
            } catch (IOException ignored) {
                // closing
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        ByteBuffer payload = ByteBuffer.wrap(new byte[64]);
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            for (int i = 0; i < n / 10; i++) {
                SocketChannel c = clients.get(ThreadLocalRandom.current().nextInt(n));
                payload.rewind();
                c.write(payload);
            }
            Thread.sleep(1000);
        }
        System.exit(0);
    }
}
