package io.netty.channel.epoll;

import io.netty.channel.unix.KnownFamilySockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A socket object made for a descriptor of known family is the one Netty's constructor makes (which asks the kernel
 * the family): every field of the class and its parents equal, for new and accepted IPv4 and IPv6 sockets. A Netty
 * upgrade that gives these classes another field fails here.
 */
@Timeout(30)
class KnownFamilySocketsTest {
    @Test
    void aSocketOfKnownFamilyEqualsTheOneNettysConstructorMakes() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs Netty's epoll transport");
        for (boolean ipv6 : new boolean[]{false, true}) {
            int fd = KnownFamilySockets.newStreamFd(ipv6);
            LinuxSocket known = KnownFamilySockets.wrap(LinuxSocket.class, fd, ipv6);
            LinuxSocket asked = new LinuxSocket(fd);
            try {
                assertThat(known).as("made without the constructor").isNotNull();
                assertThat(fields(known)).as("ipv6 %s", ipv6).isEqualTo(fields(asked));
            } finally {
                asked.close();
            }
        }
    }

    @Test
    void anAcceptedSocketIsOfItsListenersFamily() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs Netty's epoll transport");
        for (String listen : List.of("127.0.0.1", "::1", "::")) {
            boolean ipv6 = !listen.equals("127.0.0.1");
            LinuxSocket listener = LinuxSocket.newSocketStream(ipv6);
            try {
                listener.bind(new InetSocketAddress(InetAddress.getByName(listen), 0));
                listener.listen(4);
                String to = listen.equals("::") ? "127.0.0.1" : listen; // a dual-stack listener's IPv4 client
                try (java.net.Socket client = new java.net.Socket(to, listener.localAddress().getPort())) {
                    byte[] address = new byte[25];
                    int fd = -1;
                    for (int i = 0; i < 1000 && fd < 0; i++) {
                        fd = listener.accept(address);
                        if (fd < 0) Thread.sleep(5);
                    }
                    assertThat(fd).as("accepted").isNotNegative();
                    LinuxSocket asked = new LinuxSocket(fd);
                    try {
                        LinuxSocket known = LeanSocketChannel.socket(fd, listener.family() == io.netty.channel.socket.SocketProtocolFamily.INET6);
                        assertThat(fields(known)).as("accepted on %s", listen).isEqualTo(fields(asked));
                    } finally {
                        asked.close();
                    }
                }
            } finally {
                listener.close();
            }
        }
    }

    private static List<String> fields(Object o) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                f.setAccessible(true);
                out.add(c.getSimpleName() + "." + f.getName() + "=" + f.get(o));
            }
        }
        return out;
    }
}
