package io.jpen.core.engine;

import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.testing.Backend;
import io.jpen.core.testing.Engines;
import io.jpen.core.testing.Resources;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LeanPipeline;
import io.netty.channel.epoll.LeanSocketChannel;
import io.netty.channel.epoll.LeanSocketConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.jpen.core.testing.Clients.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an idle proxied pair keeps on the heap for its whole life, object by object: 5,000 idle connections hold
 * 5,000 of each, so a field more or an object more per pair shows in the idle RSS (docs/performance.md, "Per-connection
 * objects, fourth pass"). Sizes are the JVM's own layout (field offsets), on 64-bit with compressed references.
 */
@Timeout(30)
class IdlePairFootprintTest {
    @RegisterExtension
    final Resources resources = new Resources();

    /** Bytes per object as measured when this test was written; a larger one is a regression. */
    private static final Map<String, Integer> BUDGET = Map.of(
            "io.netty.channel.epoll.LeanSocketChannel", 136,
            "io.netty.channel.epoll.LeanSocketConfig", 64,
            "io.netty.channel.epoll.LeanPipeline", 48,
            "io.netty.channel.epoll.LeanSocketChannel$LeanUnsafe", 48,
            "io.jpen.core.engine.Connection", 120,
            "io.jpen.core.engine.PlainPair", 64,
            "io.jpen.core.engine.PlainPair$Side", 72,
            "io.jpen.core.engine.RelayHandler", 32,
            "io.jpen.core.engine.EpollSetKeeper$Kept", 32);

    @Test
    void eachObjectAnIdlePairKeepsFitsTheSizeItHadWhenMeasured() throws Exception {
        assumeTrue(Layout.available(), "needs the JVM's field offsets and compressed references");
        for (Map.Entry<String, Integer> b : BUDGET.entrySet()) {
            assertThat(Layout.shallowSize(Class.forName(b.getKey()))).as(b.getKey()).isLessThanOrEqualTo(b.getValue());
        }
    }

    /** An engine on epoll with one loop, and a client whose pair has relayed once and now idles. */
    private Engine idleEngine(boolean plainPairs) throws IOException {
        assumeTrue(Transport.EPOLL.available(), "needs Netty's epoll transport");
        Backend server = resources.keep(Backend.echo("echo"));
        return resources.keep(Engines.start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", server.port())), Settings.defaults())
                .withTransport(Transport.EPOLL).withThreads(1).withPlainPairs(plainPairs)));
    }

    private java.net.Socket idleClient(Engine e) throws IOException {
        java.net.Socket s = resources.keep(new java.net.Socket("127.0.0.1", e.port()));
        s.setSoTimeout(10_000);
        echo(s, "hello"); // both sides connected and read once: the pair as it idles after a request
        return s;
    }

    @Test
    void anIdlePlainPairKeepsNoChannelsAndNoBufferOfItsOwn() throws Exception {
        Engine e = idleEngine(true);
        idleClient(e);
        Connection c = e.connectionList().get(0);
        assertThat(c.down()).as("no client channel").isNull();
        assertThat(c.up()).as("no server channel").isNull();
        PlainPair pair = (PlainPair) field(c, "plain");
        assertThat(field(pair, "early")).as("nothing kept from before the connect").isNull();
        for (String side : List.of("down", "up")) {
            Object sd = field(pair, side);
            assertThat(field(sd, "queue")).as(side + ": no buffer while nothing waits").isNull();
            assertThat(field(sd, "pipeRead")).as(side + ": no pipe for small reads").isNull();
        }
        assertThat(field(c, "clientSocket")).as("the pair's address and port, not a socket address").isNull();
        assertThat(field(c, "story")).as("no failure, TLS or end yet: no object for them").isNull();
    }

    @Test
    void anIdlePairKeepsNoNettyIdNoRelayContextAndNoInterestSetOfItsOwn() throws Exception {
        Engine e = idleEngine(false);
        java.net.Socket s = idleClient(e);
        Connection c = e.connectionList().get(0);
        for (Channel ch : List.of(c.down(), c.up())) {
            assertThat(ch).isInstanceOf(LeanSocketChannel.class);
            assertThat((Object) ch.id()).as("a counter in the channel's unsafe, not Netty's DefaultChannelId")
                    .isSameAs(ch.unsafe());
            assertThat(ch.pipeline()).isInstanceOf(LeanPipeline.class);
            assertThat(ch.pipeline().first()).as("the relay is the pipeline's end, with no context of its own").isNull();
            assertThat((Object) ch.config()).isInstanceOf(LeanSocketConfig.class);
            assertThat((Object) ch.config().getRecvByteBufAllocator())
                    .as("its read sizing is its own handle, and its side's relay handler, not an object of its own")
                    .isInstanceOf(RelayHandler.class);
        }
        LeanSocketChannel down = (LeanSocketChannel) c.down();
        assertThat(down.remoteKeptAsNumbers()).as("an IPv4 client's address is kept as numbers, not as objects").isTrue();
        assertThat(field(c, "clientSocket")).as("the connection asks the channel for it").isNull();
        assertThat(field(c, "story")).as("no failure, TLS or end yet: no object for them").isNull();
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) field(e.connections(), "byId")).keySet())).as("the table keeps no boxed id per pair")
                .containsExactly((Object) c);
        assertThat(e.connections().get(c.id())).isSameAs(c);
        assertThat(c.clientSocket()).as("and gets the client's address all the same").isEqualTo(s.getLocalSocketAddress());
        assertThat(c.clientAddress()).isEqualTo(s.getLocalAddress());
        assertThat(c.clientPort()).isEqualTo(s.getLocalPort());
        assertThat(down.remoteAddress()).as("made when asked, not kept").isNotSameAs(down.remoteAddress());
        int set = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value();
        assertThat(EpollIoOps.valueOf(set)).as("interest sets are shared, not made per change")
                .isSameAs(EpollIoOps.valueOf(set));
        assertThat(EpollIoOps.valueOf(set | EpollIoOps.EPOLLOUT.value())).isSameAs(EpollIoOps.valueOf(set | EpollIoOps.EPOLLOUT.value()));
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /** An object's size from its fields' offsets, as the JVM laid them out. */
    static final class Layout {
        private static final sun.misc.Unsafe UNSAFE = unsafe();

        private static sun.misc.Unsafe unsafe() {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        static boolean available() {
            return UNSAFE != null && UNSAFE.arrayIndexScale(Object[].class) == 4 && UNSAFE.addressSize() == 8;
        }

        @SuppressWarnings("deprecation")
        static long shallowSize(Class<?> type) {
            long end = 12; // the header with a compressed class pointer
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) continue;
                    end = Math.max(end, UNSAFE.objectFieldOffset(f) + bytes(f.getType()));
                }
            }
            return (end + 7) & ~7L;
        }

        private static int bytes(Class<?> t) {
            if (t == long.class || t == double.class) return 8;
            if (t == int.class || t == float.class) return 4;
            if (t == short.class || t == char.class) return 2;
            if (t == byte.class || t == boolean.class) return 1;
            return 4; // a compressed reference
        }
    }
}
