package io.jpen.core.control;

import io.jpen.core.model.Reply;
import io.jpen.core.engine.EngineState;
import io.jpen.core.select.Server;

import java.net.SocketAddress;
import java.util.List;

/**
 * {@code health}: whether this balancer can serve clients now, in one line that starts with {@code ok} or
 * {@code fail}. It is what {@code jpenctl --check} asks, for keepalived's {@code vrrp_script}: ok when the listener
 * is bound and at least one server can take clients ({@link Server#inRotation}: its state is up, so configured,
 * not blacklisted, not down by its check, not draining, not in maintenance; a server at its connection limit still
 * counts, since load must not move the virtual address).
 */
final class Health {
    private Health() {}

    static Reply reply(EngineState state) {
        SocketAddress bound = state.listenAddress();
        if (bound == null) return Reply.ok("fail: not listening on " + state.listen() + "\n");
        List<Server> servers = state.servers();
        long now = state.nowMillis();
        int configured = 0;
        int inRotation = 0;
        for (Server s : servers) {
            if (!s.spec().unused()) configured++;
            if (s.inRotation(now)) inRotation++;
        }
        if (inRotation == 0) {
            return Reply.ok("fail: no server can take clients (" + (configured == 0 ? "none configured"
                    : "0 of " + configured + " servers in rotation") + ")\n");
        }
        return Reply.ok("ok: listening on " + Replies.address(bound, state.listen()) + ", " + inRotation + " of "
                + configured + " servers can take clients\n");
    }
}
