package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Settings;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Pen's command language (penctl, config files, -O): one line in, one {@link Command} out. A malformed line is
 * an {@link IllegalArgumentException} whose message says what is wrong; it never yields a command. Where Pen
 * silently ignores a bad line, jpen says why.
 *
 * <p>This class is the grammar: which first word makes which command. What each group of commands does lives with
 * the group: {@link SettingCommands}, {@link ServerFields}, {@link ServerLifecycle}, {@link ConnectionCommands},
 * {@link DaemonCommands} (the process and its files).
 */
public final class CommandParser {
    /** Pen's default window for {@code recent}. */
    static final int RECENT_DEFAULT_SECONDS = 300;

    /** The commands about the process around the engine (control port, -F file, status file, exit) and its files. */
    private final DaemonCommands daemonCommands;

    /**
     * A parser for lines about the engine {@code daemon} surrounds. Lines from the operator (the command line's
     * {@code -O}, a config file, the in-process console) may name any file ({@link FileRoots#ANY}); files a line
     * from the control port or the API names ({@code write}, {@code log}, {@code web_stats}, {@code include}, and
     * every line of an included file) must lie in {@code files}' directories.
     */
    public CommandParser(Daemon daemon, FileRoots files) {
        this.daemonCommands = new DaemonCommands(java.util.Objects.requireNonNull(daemon), java.util.Objects.requireNonNull(files));
    }

    /** One line's command; throws {@link IllegalArgumentException} saying what is wrong with a malformed one. */
    public Command parse(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) return state -> Reply.EMPTY;
        String[] w = trimmed.split("\\s+");
        String[] args = Arrays.copyOfRange(w, 1, w.length);
        return switch (w[0]) {
            case "servers" -> noArgs(w, state -> Reply.ok(Replies.servers(state.servers(), state.nowMillis())));
            case "server" -> args.length >= 2 && ServerLifecycle.VERBS.contains(args[1])
                    ? ServerLifecycle.parse(trimmed, args) : ServerFields.parse(args);
            case "health_interval" -> ServerLifecycle.healthSeconds(w, false);
            case "health_timeout" -> ServerLifecycle.healthSeconds(w, true);
            case "health_rise" -> ServerLifecycle.healthCount(w, true);
            case "health_fall" -> ServerLifecycle.healthCount(w, false);
            case "mode" -> noArgs(w, state -> Reply.ok(state.settings().modeLine() + "\n"));
            case "roundrobin", "hash", "weight", "prio", "stubborn", "http", "dummy", "tcp_nodelay", "keepalive",
                    "ascii" -> SettingCommands.flag(w, true);
            case "abort_on_error" -> throw new IllegalArgumentException(Settings.NO_ABORT_ON_ERROR); // "no" is what jpen does
            case "no" -> no(args);
            case "blacklist" -> SettingCommands.intSetting(w, 0, Settings::blacklistSeconds, Settings::withBlacklistSeconds);
            case "timeout" -> SettingCommands.intSetting(w, 1, Settings::timeoutSeconds, Settings::withTimeoutSeconds);
            case "tracking" -> SettingCommands.intSetting(w, 0, Settings::trackingSeconds, Settings::withTrackingSeconds);
            case "conn_max" -> SettingCommands.intSetting(w, 1, Settings::connMax, Settings::withConnMax);
            case "clients_max" -> SettingCommands.intSetting(w, 1, Settings::clientsMax, Settings::withClientsMax);
            case "debug" -> SettingCommands.intSetting(w, 0, Settings::debug, Settings::withDebug);
            case "pending_max" -> SettingCommands.intSetting(w, 1, Settings::pendingMax, Settings::withPendingMax);
            case "idle_timeout" -> SettingCommands.idleTimeout(w);
            case "idlers" -> SettingCommands.idlers(w);
            case "tcp_fastclose" -> SettingCommands.fastClose(w);
            case "hash_method" -> SettingCommands.hashMethod(w);
            case "health" -> noArgs(w, Health::reply);
            case "role" -> SettingCommands.role(w);
            case "close" -> ConnectionCommands.close(w);
            case "acl" -> SettingCommands.acl(args);
            case "source" -> SettingCommands.source(w);
            case "transparent" -> {
                if (w.length > 1) throw new IllegalArgumentException("transparent takes no arguments");
                yield state -> {
                    state.upstream(state.upstream().withTransparent(true));
                    return Reply.EMPTY;
                };
            }
            case "ssl_option" -> SettingCommands.tls(w, 1, t -> t.withOption(w[1]));
            case "ssl_ciphers" -> {
                if (w.length != 2) throw new IllegalArgumentException("ssl_ciphers takes one cipher list, e.g. ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384");
                io.jpen.core.tls.Ciphers.toJdk(w[1]); // refuse unmappable names now, with the name in the message
                yield SettingCommands.tls(w, 1, t -> t.withCiphers(w[1]));
            }
            case "ssl_sni_path" -> SettingCommands.tls(w, 1, t -> t.withSniPath(java.nio.file.Path.of(w[1])));
            case "ssl_certificate" -> SettingCommands.tls(w, 1, t -> t.withCertificate(java.nio.file.Path.of(w[1])));
            case "ssl_key" -> SettingCommands.tls(w, 1, t -> t.withKey(java.nio.file.Path.of(w[1])));
            case "ssl_ca_file" -> SettingCommands.tls(w, 1, t -> t.withCaFile(java.nio.file.Path.of(w[1])));
            case "ssl_ca_dir" -> SettingCommands.tls(w, 1, t -> t.withCaDir(java.nio.file.Path.of(w[1])));
            case "ssl_require_client_cert" -> SettingCommands.tls(w, 0, t -> t.withRequireClientCert(true));
            case "ssl_protocol" -> SettingCommands.tls(w, 1, t -> t.withProtocol(w[1]));
            case "ssl_compat" -> SettingCommands.tls(w, 0, t -> t.withCompat(true));
            case "accept_proxy" -> SettingCommands.acceptProxy(w);
            case "client_acl" -> SettingCommands.aclSetting(w, Settings::clientAcl, (s, v) -> s.withClientAcl(v));
            case "control_acl" -> SettingCommands.aclSetting(w, Settings::controlAcl, (s, v) -> s.withControlAcl(v));
            case "connection" -> ConnectionCommands.connection(w);
            case "socket" -> ConnectionCommands.socket(w);
            case "recent" -> ConnectionCommands.recent(w);
            case "client" -> ClientCommands.parse(args);
            case "status" -> noArgs(w, daemonCommands::status);
            case "listen" -> ConnectionCommands.listen(w);
            case "control" -> noArgs(w, daemonCommands.control());
            case "pid" -> noArgs(w, daemonCommands.pid());
            case "log" -> daemonCommands.log(w);
            case "web_stats" -> daemonCommands.webStats(w);
            case "include" -> daemonCommands.include(w, this);
            case "write" -> daemonCommands.write(w);
            case "exit" -> noArgs(w, daemonCommands::exit);
            case "epoll", "poll", "select", "kqueue" -> noArgs(w, state -> Reply.ok(
                    "jpen chooses its event loop at start-up; it runs on " + state.transport().word() + "\n"));
            case "block", "delayed_forward" -> noArgs(w, state -> Reply.EMPTY); // obsolete in Pen: no effect
            default -> throw unknown(w[0]);
        };
    }

    static IllegalArgumentException unknown(String word) {
        return new IllegalArgumentException("do_cmd: ignoring command starting with '" + word + "'");
    }

    static Command noArgs(String[] w, Command c) {
        if (w.length > 1) throw new IllegalArgumentException(w[0] + " takes no arguments");
        return c;
    }


    private Command no(String[] args) {
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
        if (what.equals("log")) return noArgs(args, state -> DaemonCommands.openLog(state, null));
        if (what.equals("web_stats")) return noArgs(args, state -> daemonCommands.statusFile(state, null));
        if (what.equals("block") || what.equals("delayed_forward")) return noArgs(args, state -> Reply.EMPTY);
        if (SettingCommands.flagSetter(what) == null) throw unknown("no " + what);
        return SettingCommands.flag(args, false);
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
}
