package io.jpen.core.control;

import io.jpen.core.engine.Command;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.CommandWords;
import io.jpen.core.model.HealthCheck;
import io.jpen.core.model.HealthSettings;
import io.jpen.core.select.Server;

import java.util.List;
import java.util.Set;

/**
 * The commands of server health and lifecycle: {@code server N check …}, {@code server N drain [SECONDS]},
 * {@code server N maint}, {@code server N ready}, {@code server N close}, and the globals {@code health_interval},
 * {@code health_timeout}, {@code health_rise}, {@code health_fall}. ({@code check_port} and {@code slowstart} are
 * fields of the ordinary {@code server N …} line.) Every form is checked here, before anything runs; a server
 * that does not exist is refused when the command runs, since a config file may add it on an earlier line.
 */
final class ServerLifecycle {
    /** The words that may follow {@code server N} to make it one of these commands. */
    static final Set<String> VERBS = Set.of("check", "drain", "maint", "ready", "close");

    private ServerLifecycle() {}

    static Command parse(String line, String[] args) {
        int index = CommandParser.number("server", args[0]);
        String verb = args[1];
        String what = "server " + index + " " + verb;
        return switch (verb) {
            case "check" -> check(index, line);
            case "drain" -> {
                if (args.length > 3) throw new IllegalArgumentException(what + " takes at most a number of seconds");
                int seconds = args.length == 3 ? CommandParser.number(what, args[2], 1) : 0;
                if (seconds > 86_400) throw new IllegalArgumentException(what + ": " + seconds + " is above the maximum 86400 seconds");
                yield admin(index, Server.Admin.DRAIN, seconds);
            }
            case "maint" -> {
                none(args, what);
                yield admin(index, Server.Admin.MAINT, 0);
            }
            case "ready" -> {
                none(args, what);
                yield admin(index, Server.Admin.READY, 0);
            }
            case "close" -> {
                none(args, what);
                yield state -> {
                    existing(state, index);
                    int n = state.closeServerConnections(index);
                    return Reply.ok("Forcibly closing " + n + (n == 1 ? " connection" : " connections") + " of server " + index + "\n");
                };
            }
            default -> throw new IllegalArgumentException("server " + index + ": unknown field '" + verb + "'");
        };
    }

    private static void none(String[] args, String what) {
        if (args.length > 2) throw new IllegalArgumentException(what + " takes no arguments");
    }

    private static Server existing(EngineState state, int index) {
        List<Server> servers = state.servers();
        if (index >= servers.size()) {
            throw new IllegalArgumentException("no server " + index + (servers.isEmpty() ? " (there are no servers)"
                    : " (servers are 0-" + (servers.size() - 1) + ")"));
        }
        return servers.get(index);
    }

    private static Command admin(int index, Server.Admin admin, int drainSeconds) {
        return state -> {
            existing(state, index);
            state.serverAdmin(index, admin, drainSeconds);
            return Reply.EMPTY;
        };
    }

    /**
     * {@code server N check} (prints it), {@code check tcp}, {@code check http PATH [CODE]},
     * {@code check send TEXT expect TEXT}, {@code check off}.
     */
    private static Command check(int index, String line) {
        List<String> w;
        try {
            w = CommandWords.split(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server " + index + " check: " + e.getMessage());
        }
        List<String> a = w.subList(3, w.size()); // after "server N check"
        String what = "server " + index + " check";
        if (a.isEmpty()) {
            return state -> {
                HealthCheck c = existing(state, index).options().check();
                return Reply.ok((c == null ? "off" : c.words()) + "\n");
            };
        }
        HealthCheck check;
        try {
            check = switch (a.get(0)) {
                case "off" -> {
                    if (a.size() > 1) throw new IllegalArgumentException(what + " off takes no arguments");
                    yield null;
                }
                case "tcp" -> {
                    if (a.size() > 1) throw new IllegalArgumentException(what + " tcp takes no arguments");
                    yield HealthCheck.tcp();
                }
                case "http" -> {
                    if (a.size() < 2 || a.size() > 3) {
                        throw new IllegalArgumentException(what + " http takes a path and optionally a status, e.g. 'check http /healthz' or 'check http /healthz 204'");
                    }
                    int code = a.size() == 3 ? CommandParser.number(what + " http", a.get(2)) : 0;
                    yield HealthCheck.http(a.get(1), code);
                }
                case "send" -> {
                    if (a.size() != 4 || !a.get(2).equals("expect")) {
                        throw new IllegalArgumentException(what + " send takes TEXT expect TEXT, e.g. 'check send PING expect PONG'"
                                + " or 'check send \"HELLO there\\r\\n\" expect \"200 \"' (quote a text with spaces)");
                    }
                    yield HealthCheck.send(a.get(1), a.get(3));
                }
                default -> throw new IllegalArgumentException(what + ": unknown kind '" + a.get(0)
                        + "' (tcp, http PATH [CODE], send TEXT expect TEXT, off)");
            };
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(m.startsWith("server ") ? m : "server " + index + " " + m);
        }
        return state -> {
            Server s = existing(state, index);
            if (check != null && s.spec().unused()) {
                throw new IllegalArgumentException("server " + index + " is an unused slot (port 0): nothing to check");
            }
            state.serverOptions(index, s.options().withCheck(check));
            return Reply.EMPTY;
        };
    }

    /** {@code health_interval [SECONDS]} and {@code health_timeout [SECONDS]} (0 = the connect timeout). */
    static Command healthSeconds(String[] w, boolean timeout) {
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes at most a number of seconds");
        if (w.length == 1) {
            return state -> {
                HealthSettings h = state.health();
                return Reply.ok(HealthSettings.Seconds.text(timeout ? h.timeoutMillis() : h.intervalMillis()) + "\n");
            };
        }
        long millis = HealthSettings.Seconds.parse(w[0], w[1]);
        HealthSettings probe = HealthSettings.DEFAULTS;
        // checks the range now, so a bad value is refused before anything runs
        if (timeout) probe.withTimeoutMillis(millis); else probe.withIntervalMillis(millis);
        return state -> {
            HealthSettings h = state.health();
            state.health(timeout ? h.withTimeoutMillis(millis) : h.withIntervalMillis(millis));
            return Reply.ok(HealthSettings.Seconds.text(millis) + "\n");
        };
    }

    /** {@code health_rise [N]} and {@code health_fall [N]}. */
    static Command healthCount(String[] w, boolean rise) {
        if (w.length > 2) throw new IllegalArgumentException(w[0] + " takes at most one number");
        if (w.length == 1) return state -> Reply.ok((rise ? state.health().rise() : state.health().fall()) + "\n");
        int v = CommandParser.number(w[0], w[1], 1);
        if (rise) HealthSettings.DEFAULTS.withRise(v); else HealthSettings.DEFAULTS.withFall(v);
        return state -> {
            HealthSettings h = state.health();
            state.health(rise ? h.withRise(v) : h.withFall(v));
            return Reply.ok(v + "\n");
        };
    }
}
