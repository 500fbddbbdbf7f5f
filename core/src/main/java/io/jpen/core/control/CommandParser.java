package io.jpen.core.control;

import io.jpen.core.engine.Connection;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Addresses;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * Pen's command language (penctl, config files, -O): one line in, one {@link Command} out. A malformed line is
 * an {@link IllegalArgumentException} whose message says what is wrong; it never yields a command. Where Pen
 * silently ignores a bad line, jpen says why.
 */
public final class CommandParser {
    /** Pen's default window for {@code recent}. */
    static final int RECENT_DEFAULT_SECONDS = 300;

    private CommandParser() {}

    /** A line from the operator: the command line ({@code -O}), a config file, the in-process console. */
    public static Command parse(String line) {
        return parse(line, FileRoots.ANY);
    }

    /**
     * A line from the control port or the API: files it names ({@code write}, {@code log}, {@code web_stats},
     * {@code include}, and every line of an included file) must lie in {@code files}' directories.
     */
    public static Command parse(String line, FileRoots files) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return state -> Reply.EMPTY;
        String[] w = trimmed.split("\\s+");
        String[] args = Arrays.copyOfRange(w, 1, w.length);
        return switch (w[0]) {
            case "servers" -> noArgs(w, state -> Reply.ok(Replies.servers(state.servers(), state.nowMillis())));
            case "server" -> args.length >= 2 && ServerLifecycle.VERBS.contains(args[1])
                    ? ServerLifecycle.parse(trimmed, args) : server(args);
            case "health_interval" -> ServerLifecycle.healthSeconds(w, false);
            case "health_timeout" -> ServerLifecycle.healthSeconds(w, true);
            case "health_rise" -> ServerLifecycle.healthCount(w, true);
            case "health_fall" -> ServerLifecycle.healthCount(w, false);
            case "mode" -> noArgs(w, state -> Reply.ok(state.settings().modeLine() + "\n"));
            case "roundrobin", "hash", "weight", "prio", "stubborn", "http", "dummy", "tcp_nodelay", "keepalive",
                    "ascii" -> flag(w, true);
            case "abort_on_error" -> throw new IllegalArgumentException(Settings.NO_ABORT_ON_ERROR); // "no" is what jpen does
            case "no" -> no(args);
            case "blacklist" -> intSetting(w, 0, Settings::blacklistSeconds, Settings::withBlacklistSeconds);
            case "timeout" -> intSetting(w, 1, Settings::timeoutSeconds, Settings::withTimeoutSeconds);
            case "tracking" -> intSetting(w, 0, Settings::trackingSeconds, Settings::withTrackingSeconds);
            case "conn_max" -> intSetting(w, 1, Settings::connMax, Settings::withConnMax);
            case "clients_max" -> intSetting(w, 1, Settings::clientsMax, Settings::withClientsMax);
            case "debug" -> intSetting(w, 0, Settings::debug, Settings::withDebug);
            case "pending_max" -> intSetting(w, 1, Settings::pendingMax, Settings::withPendingMax);
            case "idle_timeout" -> idleTimeout(w);
            case "idlers" -> idlers(w);
            case "tcp_fastclose" -> fastClose(w);
            case "hash_method" -> hashMethod(w);
            case "health" -> noArgs(w, Health::reply);
            case "role" -> role(w);
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
            case "accept_proxy" -> acceptProxy(w);
            case "client_acl" -> aclSetting(w, Settings::clientAcl, (s, v) -> s.withClientAcl(v));
            case "control_acl" -> aclSetting(w, Settings::controlAcl, (s, v) -> s.withControlAcl(v));
            case "connection" -> connection(w);
            case "socket" -> socket(w);
            case "recent" -> recent(w);
            case "client" -> ClientCommands.parse(args);
            case "status" -> noArgs(w, CommandParser::status);
            case "listen" -> listen(w);
            case "control" -> noArgs(w, state -> Reply.ok(line(state.daemon().control())));
            case "pid" -> noArgs(w, state -> Reply.ok(state.daemon().pid() + "\n"));
            case "log" -> log(w, files);
            case "web_stats" -> webStats(w, files);
            case "include" -> include(w, files);
            case "write" -> write(w, files);
            case "exit" -> noArgs(w, CommandParser::exit);
            case "epoll", "poll", "select", "kqueue" -> noArgs(w, state -> Reply.ok(
                    "jpen chooses its event loop at start-up; it runs on " + state.transport().word() + "\n"));
            case "block", "delayed_forward" -> noArgs(w, state -> Reply.EMPTY); // obsolete in Pen: no effect
            default -> throw unknown(w[0]);
        };
    }

    private static IllegalArgumentException unknown(String word) {
        return new IllegalArgumentException("do_cmd: ignoring command starting with '" + word + "'");
    }

    private static Command noArgs(String[] w, Command c) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        return c;
    }

    private static Function<Boolean, UnaryOperator<Settings>> flagSetter(String word) {
        return switch (word) {
            case "roundrobin" -> v -> s -> s.withRoundrobin(v);
            case "hash" -> v -> s -> s.withHash(v);
            case "weight" -> v -> s -> s.withWeight(v);
            case "prio" -> v -> s -> s.withPrio(v);
            case "stubborn" -> v -> s -> s.withStubborn(v);
            case "http" -> v -> s -> s.withHttp(v);
            case "dummy" -> v -> s -> s.withDummy(v);
            case "tcp_nodelay" -> v -> s -> s.withTcpNodelay(v);
            case "keepalive" -> v -> s -> s.withKeepalive(v);
            case "ascii" -> v -> s -> s.withAscii(v);
            case "abort_on_error" -> v -> s -> s.withAbortOnError(v);
            default -> null;
        };
    }

    private static Command flag(String[] w, boolean on) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        UnaryOperator<Settings> change = flagSetter(w[0]).apply(on);
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
        if (args.length >= 1 && args[0].equals("accept_proxy")) {
            if (args.length > 1) throw new IllegalArgumentException("no accept_proxy takes no arguments");
            return state -> {
                state.acceptProxy(io.jpen.core.model.AcceptProxy.OFF);
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
        if (args.length == 0) throw new IllegalArgumentException("no needs a word after it, e.g. 'no hash'");
        String what = args[0];
        if (what.equals("log")) return noArgs(args, state -> openLog(state, null));
        if (what.equals("web_stats")) return noArgs(args, state -> statusFile(state, null));
        if (what.equals("block") || what.equals("delayed_forward")) return noArgs(args, state -> Reply.EMPTY);
        if (flagSetter(what) == null) throw unknown("no " + what);
        return flag(args, false);
    }

    interface IntWith {
        Settings apply(Settings s, int v);
    }

    /** {@code word} replies the value; {@code word N} sets it and replies the new value, as Pen does. */
    private static Command intSetting(String[] w, int min, ToIntFunction<Settings> get, IntWith with) {
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes at most one number");
        if (w.length == 1) return state -> Reply.ok(get.applyAsInt(state.settings()) + "\n");
        int v = number(w[0], w[1], min);
        return state -> {
            state.settings(with.apply(state.settings(), v));
            return Reply.ok(v + "\n");
        };
    }

    private static Command idleTimeout(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("idle_timeout takes at most one number");
        Integer v = w.length == 2 ? number("idle_timeout", w[1], 0) : null;
        return state -> {
            if (v != null) state.settings(state.settings().withIdleTimeoutSeconds(v));
            return Reply.ok("Idle timeout: " + state.settings().idleTimeoutSeconds() + " seconds\n");
        };
    }

    private static Command idlers(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("idlers takes at most one number");
        Integer v = w.length == 2 ? number("idlers", w[1], 0) : null;
        return state -> {
            if (v != null) state.settings(state.settings().withIdlers(v));
            return Reply.ok("Idlers: " + state.idlersOpen() + "/" + state.settings().idlers() + "\n");
        };
    }

    private static Command fastClose(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("tcp_fastclose takes one of up, down, both, off");
        if (w.length == 1) return state -> Reply.ok(state.settings().fastClose().word() + "\n");
        FastClose f = FastClose.parse(w[1]);
        return state -> {
            state.settings(state.settings().withFastClose(f));
            return Reply.EMPTY;
        };
    }

    /** {@code hash_method [modulo|maglev]}: without an argument, prints the method in use. */
    private static Command hashMethod(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("hash_method takes modulo or maglev");
        if (w.length == 1) return state -> Reply.ok(state.settings().hashMethod().word() + "\n");
        io.jpen.core.model.HashMethod m = io.jpen.core.model.HashMethod.parse(w[1]);
        return state -> {
            state.settings(state.settings().withHashMethod(m));
            return Reply.EMPTY;
        };
    }

    /**
     * {@code role [master|backup|fault]}: what keepalived's notify script reports (run-time state, not saved by
     * {@code write}); without an argument, prints the role and since when it holds.
     */
    private static Command role(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("role takes master, backup or fault");
        if (w.length == 1) return state -> Reply.ok(Replies.role(state.daemon().role()) + "\n");
        String next = io.jpen.core.model.NodeRole.parse(w[1]);
        return state -> {
            io.jpen.core.model.NodeRole before = state.daemon().role();
            io.jpen.core.model.NodeRole after = before.to(next, state.nowMillis());
            if (after == before) return Reply.EMPTY;
            state.daemon().role(after);
            state.onRollback(() -> state.daemon().role(before));
            state.events().add("role", "this node is now " + next + " (was " + before.role() + ")");
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
        if (arity == 1 && w[0].matches("ssl_(certificate|key|ca_file)")) FileRoots.notSpecial(w[0], path(w[0], w[1]));
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

    /**
     * {@code accept_proxy [N]}: new connections must start with a PROXY header, sent by any peer or, with N, only
     * by peers that ACL N permits.
     */
    private static Command acceptProxy(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("accept_proxy takes at most one ACL number 0-9");
        int acl = w.length == 2 ? number("accept_proxy", w[1]) : -1;
        if (acl > 9) throw new IllegalArgumentException("accept_proxy: acl " + acl + " out of range 0-9");
        io.jpen.core.model.AcceptProxy next = new io.jpen.core.model.AcceptProxy(true, acl);
        return state -> {
            state.acceptProxy(next);
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
        return number(what, text, 0);
    }

    static int number(String what, String text, int min) {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
        if (v < min) throw new IllegalArgumentException(what + ": " + v + " is below the minimum " + min);
        return v;
    }

    private static int oneNumber(String[] w, String noun) {
        if (w.length != 2) throw new IllegalArgumentException(w[0] + " takes " + noun);
        return number(w[0], w[1]);
    }

    private static Command close(String[] w) {
        int id = oneNumber(w, "a connection number");
        return state -> {
            Connection c = state.connections().get(id);
            if (c == null) throw new IllegalArgumentException("close: no connection " + id);
            c.abort();
            return Reply.ok("Forcibly closing connection " + id + "\n");
        };
    }

    private static Command connection(String[] w) {
        int id = oneNumber(w, "a connection number");
        return state -> {
            Connection c = state.connections().get(id);
            if (c == null) throw new IllegalArgumentException("connection: no connection " + id);
            return Reply.ok(Replies.connection(c));
        };
    }

    private static Command socket(String[] w) {
        int fd = oneNumber(w, "a socket (file descriptor) number");
        return state -> Reply.ok("Socket " + fd + " belongs to connection "
                + Replies.connectionOfSocket(state.connections(), fd) + "\n");
    }

    private static Command recent(String[] w) {
        if (w.length > 2) throw new IllegalArgumentException("recent takes at most a number of seconds");
        int seconds = w.length == 2 ? number("recent", w[1], 0) : RECENT_DEFAULT_SECONDS;
        return state -> Reply.ok(Replies.recent(state, seconds));
    }

    private static Reply status(EngineState state) {
        String html = StatusPage.render(state);
        Path file = state.daemon().statusFile();
        if (file != null) StatusPage.writeTo(file, html);
        return Reply.ok(html);
    }

    private static Command listen(String[] w) {
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

    /**
     * A command that needs {@code host}'s address while it holds the command lock (binding a listener, penlogd's
     * socket): the name is looked up first, before the lock, with NameLookup's time limit, so a slow name service
     * holds up only this command; the lookup under the lock then finds the answer in the JVM's cache (30 s).
     */
    private record LookedUpFirst(String host, Command command) implements Command {
        @Override
        public Command prepare(io.jpen.core.engine.NameLookup names) {
            names.resolve(host);
            return command;
        }

        @Override
        public Reply apply(EngineState state) {
            return command.apply(state);
        }
    }

    /** Whether {@code to} names the listener already bound, so a config written by {@code write} reloads cleanly. */
    private static boolean sameListener(EngineState state, Endpoint to) {
        Endpoint now = state.listen();
        if (to.equals(now)) return true;
        SocketAddress bound = state.listenAddress();
        return now instanceof Endpoint.Tcp t && to instanceof Endpoint.Tcp n && bound instanceof InetSocketAddress isa
                && java.util.Objects.equals(t.host(), n.host()) && n.port() == isa.getPort();
    }

    private static String line(Object value) {
        return value == null ? "" : value + "\n";
    }

    private static Command log(String[] w, FileRoots files) {
        if (w.length > 2) throw new IllegalArgumentException("log takes at most one file name");
        if (w.length == 1) return state -> Reply.ok(line(state.daemon().accessLog().destination()));
        String destination = w[1]; // a file, or penlogd's host:port (AccessLog tells them apart as Pen does)
        // A file is held to the directories remote commands may use; penlogd's address names no file.
        if (!AccessLog.network(destination)) files.forWriting("log", path("log", destination));
        Command open = state -> openLog(state, destination);
        if (!AccessLog.network(destination)) return open;
        try {
            return new LookedUpFirst(Addresses.hostPort(destination).host(), open);
        } catch (IllegalArgumentException notAnAddress) {
            return open; // opening it says what is wrong
        }
    }

    private static Reply openLog(EngineState state, String destination) {
        AccessLog accessLog = state.daemon().accessLog();
        String before = accessLog.destination();
        accessLog.open(destination);
        state.onRollback(() -> accessLog.open(before));
        return Reply.ok(line(destination));
    }

    private static Command webStats(String[] w, FileRoots files) {
        if (w.length > 2) throw new IllegalArgumentException("web_stats takes at most one file name");
        if (w.length == 1) return state -> Reply.ok(line(state.daemon().statusFile()));
        Path file = files.forWriting("web_stats", path("web_stats", w[1]));
        return state -> statusFile(state, file);
    }

    private static Reply statusFile(EngineState state, Path file) {
        Path before = state.daemon().statusFile();
        state.daemon().statusFile(file);
        state.onRollback(() -> state.daemon().statusFile(before));
        return Reply.ok(line(file));
    }

    private static Command include(String[] w, FileRoots files) {
        if (w.length != 2) throw new IllegalArgumentException("include takes one file name");
        Path file = files.forReading("include", path("include", w[1]));
        return ConfigFile.include(file, text -> parse(text, files), files.restricted());
    }

    private static Command write(String[] w, FileRoots files) {
        if (w.length > 2) throw new IllegalArgumentException("write takes at most one file name");
        // Without a name it writes the -F file, which the operator named.
        Path named = w.length == 2 ? files.forWriting("write", path("write", w[1])) : null;
        return state -> {
            Path file = named != null ? named : state.daemon().configFile();
            if (file == null) throw new IllegalArgumentException("write: no file named and jpen was started without -F");
            String text = ConfigWriter.write(state);
            try {
                AtomicFile.write(file, text);
            } catch (IOException e) {
                throw new IllegalArgumentException("write: cannot write " + file + ": " + e.getMessage());
            }
            return Reply.EMPTY;
        };
    }

    private static Path path(String command, String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(command + ": not a file name");
        }
    }

    private static Reply exit(EngineState state) {
        if (!state.daemon().exitEnabled()) throw new IllegalArgumentException("Exit is not enabled; restart with -X flag");
        state.daemon().requestExit();
        return Reply.EMPTY;
    }

    /** {@code server N [address A] [port P] [max M] [hard H] [weight W] [prio R] [blacklist T] [acl L] [proxy V]}. */
    private static Command server(String[] args) {
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
