package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Reply;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.select.Server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.jpen.core.control.CommandParser.number;

/** {@code server N field value ...}: the fields are checked here; the command adds or changes server N. */
final class ServerFields {
    private ServerFields() {}

    /** {@code server N [address A] [port P] [max M] [hard H] [weight W] [prio R] [blacklist T] [acl L] [proxy V]}. */
    static Command parse(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("server takes a server number");
        int index = number("server", args[0]);
        if (args.length % 2 == 0) throw new IllegalArgumentException("server " + index + ": '" + args[args.length - 1] + "' has no value");
        List<UnaryOperator<ServerSpec>> changes = new ArrayList<>();
        Integer blacklist = null;
        List<UnaryOperator<io.jpen.core.model.ServerOptions>> extras = new ArrayList<>();
        String host = null;
        for (int i = 1; i < args.length; i += 2) {
            String key = args[i];
            String val = args[i + 1];
            switch (key) {
                case "address" -> {
                    host = val;
                    changes.add(s -> s.withHost(val));
                }
                case "port" -> {
                    int p = number("port", val);
                    if (p > 65535) throw new IllegalArgumentException("port " + p + " out of range 0-65535");
                    changes.add(s -> s.withPort(p));
                }
                case "max" -> { int v = number("max", val); changes.add(s -> s.withSoft(v)); }
                case "hard" -> { int v = number("hard", val); changes.add(s -> s.withHard(v)); }
                case "weight" -> { int v = number("weight", val); changes.add(s -> s.withWeight(v)); }
                case "prio" -> { int v = number("prio", val); changes.add(s -> s.withPrio(v)); }
                case "acl" -> {
                    int v = number("acl", val);
                    if (v > 9) throw new IllegalArgumentException("acl " + v + " out of range 0-9");
                    changes.add(s -> s.withAcl(v));
                }
                case "blacklist" -> blacklist = number("blacklist", val);
                case "check_port" -> {
                    int p = number("check_port", val);
                    if (p > 65535) throw new IllegalArgumentException("check_port " + p + " out of range 0-65535 (0 = the server's port)");
                    extras.add(o -> o.withCheckPort(p));
                }
                case "slowstart" -> {
                    int v = number("slowstart", val);
                    if (v > 86_400) throw new IllegalArgumentException("slowstart " + v + " out of range 0-86400 seconds");
                    extras.add(o -> o.withSlowstartSeconds(v));
                }
                case "proxy" -> {
                    io.jpen.core.model.ProxyVersion v = io.jpen.core.model.ProxyVersion.parse(val);
                    changes.add(s -> s.withProxy(v));
                }
                default -> throw new IllegalArgumentException("server " + index + ": unknown field '" + key + "'"
                        + (ServerLifecycle.VERBS.contains(key) ? " (" + key + " comes right after the server number)" : ""));
            }
        }
        return new ServerCommand(index, changes, extras, blacklist, host, null);
    }

    /**
     * {@code server N ...}: a new address is looked up before the command lock is taken ({@link #prepare}), so a
     * slow name service holds up only this command; an unchanged one keeps the address it has.
     */
    private record ServerCommand(int index, List<UnaryOperator<ServerSpec>> changes,
                                 List<UnaryOperator<io.jpen.core.model.ServerOptions>> extras, Integer blacklist,
                                 String host, java.net.InetAddress looked) implements Command {
        @Override
        public Command prepare(io.jpen.core.engine.NameLookup names) {
            if (host == null || looked != null) return this;
            return new ServerCommand(index, changes, extras, blacklist, host, names.resolve(host));
        }

        @Override
        public Reply apply(EngineState state) {
            List<Server> servers = state.servers();
            // The next free number adds a server, so a config file alone can describe the whole balancer.
            if (index > servers.size()) {
                throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (servers.size() - 1)
                        + "; " + servers.size() + " adds one)");
            }
            Server current = index == servers.size() ? null : servers.get(index);
            ServerSpec spec = current == null ? ServerSpec.UNUSED : current.spec();
            for (UnaryOperator<ServerSpec> c : changes) spec = c.apply(spec);
            if (current == null && spec.unused()) {
                throw new IllegalArgumentException("server " + index + ": a new server needs an address and a port");
            }
            if (looked != null && spec.host().equals(host)) {
                state.server(index, spec, looked);
            } else if (current != null && current.address() != null && spec.host().equals(current.spec().host())) {
                state.server(index, spec, current.address().getAddress());
            } else {
                state.server(index, spec); // not prepared (run inside another command): looked up here
            }
            if (blacklist != null) state.blacklistServer(index, blacklist);
            if (!extras.isEmpty()) {
                io.jpen.core.model.ServerOptions o = state.servers().get(index).options();
                for (UnaryOperator<io.jpen.core.model.ServerOptions> c : extras) o = c.apply(o);
                state.serverOptions(index, o);
            }
            return Reply.EMPTY;
        }
    }
}
