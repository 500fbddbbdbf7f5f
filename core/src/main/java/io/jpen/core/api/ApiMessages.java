package io.jpen.core.api;

import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON bodies of API v1 requests and responses. Field names are the component names; changing one is a new
 * API version. Every response carries {@code version} ({@link Snapshot#VERSION}).
 */
public final class ApiMessages {
    public static final int VERSION = Snapshot.VERSION;
    /** An address word in a penctl line: no spaces (they would split the line), nothing that starts a comment. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]%]{1,253}");

    private ApiMessages() {}

    /** {@code POST /api/v1/command}. */
    public record CommandRequest(String command) {}

    /** The answer to every request that runs commands. */
    public record CommandResponse(int version, boolean ok, String reply) {
        public CommandResponse(boolean ok, String reply) {
            this(VERSION, ok, reply);
        }
    }

    /** {@code POST /api/v1/connections/close}. */
    public record CloseRequest(List<Integer> ids) {}

    /** Which of the asked-for connections were closed and which did not exist (any more). */
    public record CloseResponse(int version, List<Integer> closed, List<Integer> missing) {}

    /** {@code GET /api/v1/connections}: one page, ordered by id, and the total count. */
    public record ConnectionPage(int version, int total, int offset, int limit, List<ConnectionView> connections) {}

    /** Every error: 400, 401, 404, 405, 413, 422, 431, 503. */
    public record ApiError(int version, String error) {
        public ApiError(String error) {
            this(VERSION, error);
        }
    }

    /**
     * {@code PUT /api/v1/settings}: only the fields given change, all or none. The names are those of
     * {@link io.jpen.core.model.Settings}; each becomes the penctl command that changes it.
     */
    public record SettingsChange(Boolean roundrobin, Boolean hash, Boolean weight, Boolean prio, Boolean stubborn,
                                 Integer trackingSeconds, Integer clientsMax, Integer blacklistSeconds,
                                 Integer timeoutSeconds, Integer connMax, Integer pendingMax,
                                 Boolean tcpNodelay, Boolean keepalive, String fastClose, Integer idleTimeoutSeconds,
                                 Integer idlers, Boolean dummy, Boolean http, Integer debug, String hashMethod,
                                 Double healthIntervalSeconds, Double healthTimeoutSeconds, Integer healthRise,
                                 Integer healthFall) {

        public List<String> commandLines() {
            List<String> lines = new ArrayList<>();
            flag(lines, "roundrobin", roundrobin);
            flag(lines, "hash", hash);
            flag(lines, "weight", weight);
            flag(lines, "prio", prio);
            flag(lines, "stubborn", stubborn);
            number(lines, "tracking", trackingSeconds);
            number(lines, "clients_max", clientsMax);
            number(lines, "blacklist", blacklistSeconds);
            number(lines, "timeout", timeoutSeconds);
            number(lines, "conn_max", connMax);
            number(lines, "pending_max", pendingMax);
            flag(lines, "tcp_nodelay", tcpNodelay);
            flag(lines, "keepalive", keepalive);
            if (fastClose != null) {
                if (!fastClose.matches("[A-Za-z]{1,8}")) {
                    throw new ApiJson.BadRequestException("field 'fastClose': '" + fastClose + "' is not one of up, down, both, off");
                }
                lines.add("tcp_fastclose " + fastClose.toLowerCase(java.util.Locale.ROOT));
            }
            number(lines, "idle_timeout", idleTimeoutSeconds);
            number(lines, "idlers", idlers);
            flag(lines, "dummy", dummy);
            flag(lines, "http", http);
            number(lines, "debug", debug);
            if (hashMethod != null) {
                if (!hashMethod.matches("[A-Za-z]{1,8}")) {
                    throw new ApiJson.BadRequestException("field 'hashMethod': '" + hashMethod + "' is not one of modulo, maglev");
                }
                lines.add("hash_method " + hashMethod.toLowerCase(java.util.Locale.ROOT));
            }
            seconds(lines, "health_interval", "healthIntervalSeconds", healthIntervalSeconds);
            seconds(lines, "health_timeout", "healthTimeoutSeconds", healthTimeoutSeconds);
            number(lines, "health_rise", healthRise);
            number(lines, "health_fall", healthFall);
            if (lines.isEmpty()) throw new ApiJson.BadRequestException("the settings change names no field");
            return lines;
        }

        private static void flag(List<String> lines, String word, Boolean v) {
            if (v != null) lines.add(v ? word : "no " + word);
        }

        private static void number(List<String> lines, String word, Integer v) {
            if (v != null) lines.add(word + " " + v);
        }

        /** Seconds with up to three decimals, as the penctl command takes them. */
        private static void seconds(List<String> lines, String word, String field, Double v) {
            if (v == null) return;
            if (v.isNaN() || v < 0 || v > 86_400) throw new ApiJson.BadRequestException("field '" + field + "' must be 0-86400 seconds");
            java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
            if (d.scale() > 3) throw new ApiJson.BadRequestException("field '" + field + "' takes at most three decimals (milliseconds)");
            lines.add(word + " " + d.toPlainString());
        }
    }

    /**
     * {@code PUT /api/v1/servers/{n}}: only the fields given change. Names follow
     * {@link io.jpen.core.model.ServerView} ({@code soft} is penctl's {@code max}; {@code proxy} is
     * {@code "off"}, {@code "v1"} or {@code "v2"}).
     */
    public record ServerChange(String address, Integer port, Integer soft, Integer hard, Integer weight,
                               Integer prio, Integer acl, Integer blacklistSeconds,
                               String state, Integer drainSeconds, String check, Integer checkPort,
                               Integer slowstartSeconds, String proxy) {

        /** Pen's fields only (the form from before server states and checks). */
        public ServerChange(String address, Integer port, Integer soft, Integer hard, Integer weight,
                            Integer prio, Integer acl, Integer blacklistSeconds) {
            this(address, port, soft, hard, weight, prio, acl, blacklistSeconds, null, null, null, null, null, null);
        }

        /**
         * The penctl lines of the change, run as one: {@code server N …} for the fields, then
         * {@code server N check …} and {@code server N ready|drain [S]|maint}.
         */
        public List<String> commandLines(int index) {
            List<String> lines = new ArrayList<>();
            StringBuilder b = new StringBuilder("server ").append(index);
            int plain = b.length();
            fields(b);
            append(b, "check_port", checkPort);
            append(b, "slowstart", slowstartSeconds);
            if (b.length() > plain) lines.add(b.toString());
            if (check != null) {
                if (check.indexOf('\n') >= 0 || check.indexOf('\r') >= 0 || check.isBlank()) {
                    throw new ApiJson.BadRequestException("field 'check' must be one line, e.g. \"http /healthz\" or \"off\"");
                }
                lines.add("server " + index + " check " + check.strip());
            }
            if (drainSeconds != null && !"drain".equals(state)) {
                throw new ApiJson.BadRequestException("field 'drainSeconds' goes with \"state\": \"drain\"");
            }
            if (state != null) {
                switch (state) {
                    case "ready", "maint" -> lines.add("server " + index + " " + state);
                    case "drain" -> lines.add("server " + index + " drain" + (drainSeconds == null ? "" : " " + drainSeconds));
                    default -> throw new ApiJson.BadRequestException("field 'state': '" + state + "' is not one of ready, drain, maint");
                }
            }
            if (lines.isEmpty()) throw new ApiJson.BadRequestException("the server change names no field");
            return lines;
        }

        /** Pen's fields as one {@code server N …} line. */
        public String commandLine(int index) {
            StringBuilder b = new StringBuilder("server ").append(index);
            fields(b);
            if (b.indexOf(" ", "server ".length()) < 0) throw new ApiJson.BadRequestException("the server change names no field");
            return b.toString();
        }

        private void fields(StringBuilder b) {
            if (address != null) {
                if (!WORD.matcher(address).matches()) {
                    throw new ApiJson.BadRequestException("field 'address': '" + address + "' is not a host name or IP address");
                }
                b.append(" address ").append(address);
            }
            append(b, "port", port);
            append(b, "max", soft);
            append(b, "hard", hard);
            append(b, "weight", weight);
            append(b, "prio", prio);
            append(b, "acl", acl);
            append(b, "blacklist", blacklistSeconds);
            if (proxy != null) {
                try {
                    b.append(" proxy ").append(io.jpen.core.model.ProxyVersion.parse(proxy).word());
                } catch (IllegalArgumentException e) {
                    throw new ApiJson.BadRequestException("field 'proxy': " + e.getMessage());
                }
            }
        }

        private static void append(StringBuilder b, String word, Integer v) {
            if (v != null) b.append(' ').append(word).append(' ').append(v);
        }
    }
}
