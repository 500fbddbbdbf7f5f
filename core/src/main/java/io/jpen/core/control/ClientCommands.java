package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Reply;
import io.jpen.core.select.ClientTable;

import java.net.InetAddress;
import java.util.List;

/**
 * {@code client ADDRESS [forget | pin N | unpin]}: the client table by hand, in the shape of {@code server N
 * drain}. Without a verb it prints what is known about the client. {@code forget} drops the client's entry (and a
 * pin), so client tracking chooses afresh for its next connection; {@code pin N} sends the client to server N
 * whenever N can take it (operator configuration, so {@code write} saves it); {@code unpin} lets tracking decide again.
 */
final class ClientCommands {
    static final List<String> VERBS = List.of("forget", "pin", "unpin");

    private ClientCommands() {}

    /** {@code args} are the words after {@code client}. */
    static Command parse(String[] args) {
        if (args.length == 0) throw new IllegalArgumentException("client takes an IP address, e.g. 'client 10.0.0.7 forget'");
        InetAddress a = address(args[0]);
        String who = "client " + a.getHostAddress();
        if (args.length == 1) return state -> Reply.ok(describe(state, a));
        String verb = args[1];
        return switch (verb) {
            case "forget" -> {
                if (args.length > 2) throw new IllegalArgumentException(who + " forget takes nothing after it");
                yield state -> forget(state, a, who);
            }
            case "unpin" -> {
                if (args.length > 2) throw new IllegalArgumentException(who + " unpin takes nothing after it");
                yield state -> {
                    Integer was = state.clients().unpin(a);
                    if (was == null) throw new IllegalArgumentException(who + " is not pinned");
                    state.onRollback(() -> state.clients().pin(a, was));
                    return Reply.ok("Client " + a.getHostAddress() + " no longer pinned (was server " + was + ")\n");
                };
            }
            case "pin" -> {
                if (args.length != 3) throw new IllegalArgumentException(who + " pin takes a server number, e.g. '" + who + " pin 1'");
                int server = CommandParser.number(who + " pin", args[2]);
                yield state -> pin(state, a, server, who);
            }
            default -> throw new IllegalArgumentException(who + ": unknown action '" + verb
                    + "' (known: forget, pin N, unpin)");
        };
    }

    private static Reply forget(EngineState state, InetAddress a, String who) {
        ClientTable t = state.clients();
        ClientTable.Client entry = t.get(a);
        Integer pin = t.pins().get(a.getHostAddress());
        if (!t.forget(a)) throw new IllegalArgumentException(who + " is not in the client table");
        state.onRollback(() -> {
            if (entry != null) t.restore(entry);
            if (pin != null) t.pin(a, pin);
        });
        return Reply.ok("Forgot client " + a.getHostAddress()
                + (pin == null ? "" : " (and its pin to server " + pin + ")") + "\n");
    }

    private static Reply pin(EngineState state, InetAddress a, int server, String who) {
        int n = state.servers().size();
        if (server >= n) {
            throw new IllegalArgumentException(who + " pin: no server " + server
                    + (n == 0 ? " (there are no servers)" : " (servers are 0-" + (n - 1) + ")"));
        }
        if (state.servers().get(server).spec().unused()) {
            throw new IllegalArgumentException(who + " pin: server " + server + " is an unused slot (no address)");
        }
        Integer was = state.clients().pin(a, server);
        state.onRollback(() -> {
            if (was == null) state.clients().unpin(a); else state.clients().pin(a, was);
        });
        return Reply.ok("Client " + a.getHostAddress() + " pinned to server " + server + "\n");
    }

    /** {@code ADDRESS server S connects N sx S rx R last T s ago [pinned to P]}, as {@code recent} with more. */
    private static String describe(EngineState state, InetAddress a) {
        ClientTable.Client c = state.clients().get(a);
        Integer pin = state.clients().pins().get(a.getHostAddress());
        if (c == null && pin == null) throw new IllegalArgumentException("client " + a.getHostAddress() + " is not in the client table");
        StringBuilder b = new StringBuilder(a.getHostAddress());
        if (c != null) {
            b.append(" server ").append(c.server() < 0 ? "none" : Integer.toString(c.server()))
                    .append(" connects ").append(c.connects()).append(" sx ").append(c.sent()).append(" rx ").append(c.received())
                    .append(" last ").append(Math.max(0, (state.nowMillis() - c.lastMillis()) / 1000)).append(" s ago");
        }
        if (pin != null) b.append(" pinned to server ").append(pin);
        return b.append('\n').toString();
    }

    /** An IP address as typed; a host name is refused, since the table holds addresses. */
    static InetAddress address(String text) {
        InetAddress a = io.netty.util.NetUtil.createInetAddressFromIpAddressString(text);
        if (a == null) throw new IllegalArgumentException("client: '" + text + "' is not an IP address");
        return a;
    }

    /** {@code client A pin N} lines for {@code write}: pins are the operator's, learned entries are not saved. */
    static List<String> pinLines(EngineState state) {
        return state.clients().pins().entrySet().stream()
                .map(e -> "client " + e.getKey() + " pin " + e.getValue()).toList();
    }
}
