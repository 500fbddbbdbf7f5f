package io.jpen.core.control;

import io.jpen.core.engine.Connection;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Pen's command language (penctl, config files, -O): one line in, one {@link Command} out. A malformed line is
 * an {@link IllegalArgumentException} whose message says what is wrong; it never yields a command.
 */
public final class CommandParser {
    private CommandParser() {}

    public static Command parse(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return state -> Reply.EMPTY;
        String[] w = trimmed.split("\\s+");
        String[] args = Arrays.copyOfRange(w, 1, w.length);
        return switch (w[0]) {
            case "servers" -> noArgs(w, state -> Reply.ok(Replies.servers(state.servers())));
            case "server" -> server(args);
            case "mode" -> noArgs(w, state -> Reply.ok(state.settings().modeLine()));
            case "roundrobin" -> flag(w, s -> s.withRoundrobin(true));
            case "hash" -> flag(w, s -> s.withHash(true));
            case "weight" -> flag(w, s -> s.withWeight(true));
            case "prio" -> flag(w, s -> s.withPrio(true));
            case "stubborn" -> flag(w, s -> s.withStubborn(true));
            case "http" -> flag(w, s -> s.withHttp(true));
            case "no" -> no(args);
            case "blacklist" -> intSetting(w, Settings::blacklistSeconds, (s, v) -> s.withBlacklistSeconds(v));
            case "timeout" -> intSetting(w, Settings::timeoutSeconds, (s, v) -> s.withTimeoutSeconds(v));
            case "tracking" -> intSetting(w, Settings::trackingSeconds, (s, v) -> s.withTrackingSeconds(v));
            case "conn_max" -> intSetting(w, Settings::connMax, (s, v) -> s.withConnMax(v));
            case "clients_max" -> intSetting(w, Settings::clientsMax, (s, v) -> s.withClientsMax(v));
            case "close" -> close(w);
            case "acl" -> acl(args);
            case "source" -> source(w);
            case "transparent" -> {
                if (w.length > 1) throw new IllegalArgumentException("transparent takes no arguments");
                yield state -> {
                    state.upstream(state.upstream().withTransparent(true));
                    return Reply.EMPTY;
                };
            }
            case "ssl_option" -> tls(w, 1, t -> t.withOption(w[1]));
            case "ssl_ciphers" -> {
                if (w.length != 2) throw new IllegalArgumentException("ssl_ciphers takes one cipher list, e.g. ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384");
                io.jpen.core.tls.Ciphers.toJdk(w[1]); // refuse unmappable names now, with the name in the message
                yield tls(w, 1, t -> t.withCiphers(w[1]));
            }
            case "ssl_sni_path" -> tls(w, 1, t -> t.withSniPath(java.nio.file.Path.of(w[1])));
            case "ssl_certificate" -> tls(w, 1, t -> t.withCertificate(java.nio.file.Path.of(w[1])));
            case "ssl_key" -> tls(w, 1, t -> t.withKey(java.nio.file.Path.of(w[1])));
            case "ssl_ca_file" -> tls(w, 1, t -> t.withCaFile(java.nio.file.Path.of(w[1])));
            case "ssl_ca_dir" -> tls(w, 1, t -> t.withCaDir(java.nio.file.Path.of(w[1])));
            case "ssl_require_client_cert" -> tls(w, 0, t -> t.withRequireClientCert(true));
            case "ssl_protocol" -> tls(w, 1, t -> t.withProtocol(w[1]));
            case "ssl_compat" -> tls(w, 0, t -> t.withCompat(true));
            case "client_acl" -> aclSetting(w, Settings::clientAcl, (s, v) -> s.withClientAcl(v));
            case "control_acl" -> aclSetting(w, Settings::controlAcl, (s, v) -> s.withControlAcl(v));
            default -> throw new IllegalArgumentException("do_cmd: ignoring command starting with '" + w[0] + "'");
        };
    }

    private static Command noArgs(String[] w, Command c) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        return c;
    }

    private static Command flag(String[] w, UnaryOperator<Settings> change) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        return state -> {
            state.settings(change.apply(state.settings()));
            return Reply.EMPTY;
        };
    }

    private static Command no(String[] args) {
        if (args.length == 1 && (args[0].equals("transparent") || args[0].equals("source"))) {
            boolean transparent = args[0].equals("transparent");
            return state -> {
                state.upstream(transparent ? state.upstream().withTransparent(false) : state.upstream().withSource(null));
                return Reply.EMPTY;
            };
        }
        if (args.length == 1 && args[0].startsWith("ssl")) {
            UnaryOperator<io.jpen.core.tls.TlsConfig> off = switch (args[0]) {
                case "ssl" -> t -> t.withCertificate(null);
                case "ssl_require_client_cert" -> t -> t.withRequireClientCert(false);
                case "ssl_compat" -> t -> t.withCompat(false);
                case "ssl_ciphers" -> t -> t.withCiphers(null);
                case "ssl_sni_path" -> t -> t.withSniPath(null);
                default -> throw new IllegalArgumentException("do_cmd: ignoring command starting with 'no " + args[0] + "'");
            };
            return state -> {
                state.tls(off.apply(state.tls()));
                return Reply.EMPTY;
            };
        }
        if (args.length == 2 && args[0].equals("acl")) {
            int list = io.jpen.core.acl.Acls.checkIndex(number("no acl", args[1]));
            return state -> {
                state.acls(state.acls().cleared(list));
                return Reply.EMPTY;
            };
        }
        if (args.length != 1) throw new IllegalArgumentException("no takes one word, e.g. 'no hash'");
        UnaryOperator<Settings> change = switch (args[0]) {
            case "roundrobin" -> s -> s.withRoundrobin(false);
            case "hash" -> s -> s.withHash(false);
            case "weight" -> s -> s.withWeight(false);
            case "prio" -> s -> s.withPrio(false);
            case "stubborn" -> s -> s.withStubborn(false);
            case "http" -> s -> s.withHttp(false);
            default -> throw new IllegalArgumentException("do_cmd: ignoring command starting with 'no " + args[0] + "'");
        };
        return state -> {
            state.settings(change.apply(state.settings()));
            return Reply.EMPTY;
        };
    }

    interface IntWith {
        Settings apply(Settings s, int v);
    }

    private static Command intSetting(String[] w, java.util.function.ToIntFunction<Settings> get, IntWith with) {
        if (w.length == 1) return state -> Reply.ok(Integer.toString(get.applyAsInt(state.settings())));
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes at most one number");
        int v = number(w[0], w[1]);
        return state -> {
            state.settings(with.apply(state.settings(), v));
            return Reply.EMPTY;
        };
    }

    /**
     * The TLS commands: each builds the next configuration; the engine checks every file before it applies it, so a
     * bad path is refused with the old setup still in place. Words are checked here so errors come before applying.
     */
    private static Command tls(String[] w, int arity, UnaryOperator<io.jpen.core.tls.TlsConfig> change) {
        if (w.length != arity + 1) {
            throw new IllegalArgumentException(w[0] + (arity == 0 ? " takes no arguments" : " takes one argument"));
        }
        change.apply(io.jpen.core.tls.TlsConfig.NONE); // validates option and protocol words
        return state -> {
            state.tls(change.apply(state.tls()));
            return Reply.EMPTY;
        };
    }

    /** {@code source [IP]}: without an address, prints the one in use (Pen prints nothing when unset). */
    private static Command source(String[] w) {
        if (w.length == 1) {
            return state -> Reply.ok(state.upstream().source() == null ? "" : state.upstream().source().getHostAddress());
        }
        if (w.length > 2) throw new IllegalArgumentException("source takes one IP address");
        java.net.InetAddress a = io.netty.util.NetUtil.createInetAddressFromIpAddressString(w[1]);
        if (a == null) throw new IllegalArgumentException("source: '" + w[1] + "' is not an IP address");
        return state -> {
            state.upstream(state.upstream().withSource(a));
            return Reply.EMPTY;
        };
    }

    /** {@code acl N permit|deny IPv4 [mask]} or {@code acl N permit|deny IPv6[/len]}: appends to list N. */
    private static Command acl(String[] args) {
        if (args.length < 3) throw new IllegalArgumentException("acl takes N permit|deny ADDRESS [MASK]");
        int list = io.jpen.core.acl.Acls.checkIndex(number("acl", args[0]));
        io.jpen.core.acl.AclEntry entry = io.jpen.core.acl.AclEntry.parse(Arrays.copyOfRange(args, 1, args.length));
        return state -> {
            state.acls(state.acls().plus(list, entry));
            return Reply.EMPTY;
        };
    }

    /** {@code client_acl [N]} / {@code control_acl [N]}: without N, prints the list in use (-1 = none). */
    private static Command aclSetting(String[] w, java.util.function.ToIntFunction<Settings> get, IntWith with) {
        if (w.length == 1) return state -> Reply.ok(Integer.toString(get.applyAsInt(state.settings())));
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes one list number 0-9");
        int v = io.jpen.core.acl.Acls.checkIndex(number(w[0], w[1]));
        return state -> {
            state.settings(with.apply(state.settings(), v));
            return Reply.EMPTY;
        };
    }

    static int number(String what, String text) {
        try {
            int v = Integer.parseInt(text);
            if (v < 0) throw new IllegalArgumentException(what + ": '" + text + "' must not be negative");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
    }

    private static Command close(String[] w) {
        if (w.length != 2) throw new IllegalArgumentException("close takes a connection number");
        int id = number("close", w[1]);
        return state -> {
            Connection c = state.connections().get(id);
            if (c == null) throw new IllegalArgumentException("no connection " + id);
            c.abort();
            return Reply.ok("Forcibly closing connection " + id);
        };
    }

    /** {@code server N [address A] [port P] [max M] [hard H] [weight W] [prio R] [blacklist T] [acl L]}. */
    private static Command server(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("server takes a server number");
        int index = number("server", args[0]);
        if (args.length % 2 == 0) throw new IllegalArgumentException("server " + index + ": '" + args[args.length - 1] + "' has no value");
        List<UnaryOperator<ServerSpec>> changes = new ArrayList<>();
        Integer blacklist = null;
        for (int i = 1; i < args.length; i += 2) {
            String key = args[i];
            String val = args[i + 1];
            switch (key) {
                case "address" -> changes.add(s -> s.withHost(val));
                case "port" -> {
                    int p = number("port", val);
                    if (p > 65535) throw new IllegalArgumentException("port " + p + " out of range");
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
                default -> throw new IllegalArgumentException("server " + index + ": unknown field '" + key + "'");
            }
        }
        Integer bl = blacklist;
        return state -> {
            List<Server> servers = state.servers();
            if (index >= servers.size()) throw new IllegalArgumentException("no server " + index);
            ServerSpec spec = servers.get(index).spec();
            for (UnaryOperator<ServerSpec> c : changes) spec = c.apply(spec);
            state.server(index, spec);
            if (bl != null) state.blacklistServer(index, bl);
            return Reply.EMPTY;
        };
    }
}
