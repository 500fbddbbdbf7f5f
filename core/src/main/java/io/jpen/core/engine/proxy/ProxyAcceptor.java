package io.jpen.core.engine.proxy;

import io.jpen.core.acl.AclCheck;
import io.jpen.core.model.AcceptProxy;
import io.jpen.core.model.ProxyView;
import io.jpen.core.model.Reasons;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The listener's side of the PROXY protocol ({@code accept_proxy}): puts the header reader on a new client
 * channel, checks who may send headers, and counts what came. Only channels accepted while accept_proxy is on get
 * any of this; every other connection's pipeline is as if this class did not exist.
 */
public final class ProxyAcceptor {
    private static final Logger log = LoggerFactory.getLogger(ProxyAcceptor.class);
    /**
     * TLV bytes a v2 header may carry. Cloud balancers add a few dozen (a VPC endpoint id), HAProxy's SSL TLVs a few
     * hundred; more is refused as oversized rather than buffered.
     */
    static final int MAX_TLV_BYTES = 2048;

    private final BiConsumer<String, String> events;
    private final LongAdder accepted = new LongAdder();
    private final Map<ProxyRejection, LongAdder> rejected = new EnumMap<>(ProxyRejection.class);

    /** @param events where an operator-relevant event goes, as (kind, sentence) */
    public ProxyAcceptor(BiConsumer<String, String> events) {
        this.events = events;
        for (ProxyRejection r : ProxyRejection.values()) rejected.put(r, new LongAdder());
    }

    /**
     * Makes {@code down} read its PROXY header before anything else; {@code then} runs on the channel's event loop
     * with the origin the header names, or never, when the channel is refused (and closed) instead.
     *
     * @param peerAddress   the peer's address as jpen's ACLs see it (loopback for a Unix-socket peer)
     * @param timeoutMillis how long a whole header may take (the connect timeout); 0 waits for ever
     */
    public void expect(Channel down, InetAddress peerAddress, AcceptProxy setting, AclCheck acls, long timeoutMillis,
                       Consumer<ProxyOrigin> then) {
        if (setting.acl() >= 0 && !acls.permits(setting.acl(), peerAddress)) {
            rejected(ProxyRejection.DENIED, down.remoteAddress(), "not permitted by acl " + setting.acl()
                    + " to send PROXY headers");
            down.close();
            return;
        }
        ProxyHeaderReader reader = new ProxyHeaderReader(this, peerAddress, timeoutMillis, then);
        down.pipeline()
                .addLast(ProxyHeaderReader.Gate.NAME, reader.gate())
                .addLast("proxy-decoder", new HAProxyMessageDecoder(MAX_TLV_BYTES))
                .addLast(ProxyHeaderReader.NAME, reader);
    }

    void accepted() {
        accepted.increment();
    }

    void rejected(ProxyRejection why, SocketAddress peer, String reason) {
        rejected.get(why).increment();
        String message = "connection from " + (peer == null ? "an unknown address" : Reasons.peer(peer)) + " refused: "
                + reason;
        log.info("accept_proxy: {}", message);
        events.accept("proxy", message);
    }

    /** What observers see: the setting and the counts so far. */
    public ProxyView view(AcceptProxy setting) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<ProxyRejection, LongAdder> e : rejected.entrySet()) counts.put(e.getKey().word(), e.getValue().sum());
        return new ProxyView(setting.on(), setting.acl(), accepted.sum(), counts);
    }
}
