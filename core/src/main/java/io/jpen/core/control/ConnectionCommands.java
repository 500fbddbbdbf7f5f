package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.engine.Connection;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Addresses;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.Reply;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static io.jpen.core.control.CommandParser.number;

/** The commands about open connections ({@code close}, {@code connection}, {@code socket}, {@code recent}) and the listener ({@code listen}). */
final class ConnectionCommands {
    private ConnectionCommands() {}

    private static int oneNumber(String[] w, String noun) {
        if (w.length != 2) throw new IllegalArgumentException(w[0] + " takes " + noun);
        return number(w[0], w[1]);
    }

    static Command close(String[] w) {
        int id = oneNumber(w, "a connection number");
        return state -> {
            Connection c = state.connections().get(id);
            if (c == null) throw new IllegalArgumentException("close: no connection " + id);
            c.abort();
            return Reply.ok("Forcibly closing connection " + id + "\n");
        };
    }

    static Command connection(String[] w) {
        int id = oneNumber(w, "a connection number");
        return state -> {
            Connection c = state.connections().get(id);
            if (c == null) throw new IllegalArgumentException("connection: no connection " + id);
            return Reply.ok(Replies.connection(c));
        };
    }

    static Command socket(String[] w) {
        int fd = oneNumber(w, "a socket (file descriptor) number");
        return state -> Reply.ok("Socket " + fd + " belongs to connection "
                + Replies.connectionOfSocket(state.connections(), fd) + "\n");
    }

    static Command recent(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("recent takes at most a number of seconds");
        int seconds = w.length == 2 ? number("recent", w[1], 0) : CommandParser.RECENT_DEFAULT_SECONDS;
        return state -> Reply.ok(Replies.recent(state, seconds));
    }

    static Command listen(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("listen takes at most one [address:]port");
        if (w.length == 1) return state -> Reply.ok(Replies.address(state.listenAddress(), state.listen()) + "\n");
        Endpoint to;
        try {
            to = Addresses.endpoint(w[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("listen: " + e.getMessage());
        }
        Command rebind = state -> {
            if (!sameListener(state, to)) state.listen(to);
            return Reply.ok(Replies.address(state.listenAddress(), state.listen()) + "\n");
        };
        return to instanceof Endpoint.Tcp t && t.host() != null ? new LookedUpFirst(t.host(), rebind) : rebind;
    }

    /** Whether {@code to} names the listener already bound, so a config written by {@code write} reloads cleanly. */
    private static boolean sameListener(EngineState state, Endpoint to) {
        Endpoint now = state.listen();
        if (to.equals(now)) return true;
        SocketAddress bound = state.listenAddress();
        return now instanceof Endpoint.Tcp t && to instanceof Endpoint.Tcp n && bound instanceof InetSocketAddress isa
                && java.util.Objects.equals(t.host(), n.host()) && n.port() == isa.getPort();
    }
}
