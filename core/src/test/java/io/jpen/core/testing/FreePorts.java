package io.jpen.core.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a balancer a test starts in another process, which must bind them after the test chose them. They are
 * taken below the kernel's ephemeral range: a port from that range (what binding port 0 gives) can be taken meanwhile
 * by any outgoing connection on the machine, and was, when other builds ran beside the suite ("Address already in
 * use" in PenTestsuiteTest). None is handed out twice in one JVM: a test that asks for two (a listener and a control
 * port) before its balancer binds either was once given the same one twice (JpenDebugAndDumpTest: "cannot open control
 * port 27959", the port it listened on).
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A TCP port nothing listens on now (on any address), outside the ephemeral range. */
    public static int tcp() throws IOException {
        return find(true);
    }

    /** A UDP port nothing is bound to now (on any address), outside the ephemeral range. */
    public static int udp() throws IOException {
        return find(false);
    }

    private static int find(boolean tcp) throws IOException {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if ((tcp ? tcpFree(port) : udpFree(port)) && GIVEN.add(port)) return port;
        }
        throw new IOException("no free port between " + LOWEST + " and " + below);
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
            return low > LOWEST + 1000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
