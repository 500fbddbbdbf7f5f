package io.jpen.core.control;

import java.util.Set;

/**
 * Tells a line that only asks (Pen's {@code servers}, {@code status}, {@code timeout} without a value) from one that
 * acts, so that a script polling the control port every second does not push the operators' actions out of the
 * engine's event log.
 */
final class Questions {
    /** Words that only ask, whatever follows them. */
    private static final Set<String> ALWAYS = Set.of("servers", "mode", "health", "status", "control", "pid",
            "recent", "connection", "socket", "clients", "epoll", "poll", "select", "kqueue");

    /** Words that ask when alone and set something when given a value. */
    private static final Set<String> ALONE = Set.of("blacklist", "timeout", "tracking", "conn_max", "clients_max",
            "debug", "pending_max", "idle_timeout", "idlers", "tcp_fastclose", "hash_method", "role", "source",
            "listen", "log", "web_stats", "acl", "client_acl", "control_acl", "accept_proxy", "health_interval",
            "health_timeout", "health_rise", "health_fall", "ssl_option", "ssl_ciphers", "ssl_protocol",
            "ssl_sni_path", "ssl_certificate", "ssl_key", "ssl_ca_file", "ssl_ca_dir");

    private Questions() {}

    /** Whether {@code line} (stripped, not empty) only asks. */
    static boolean only(String line) {
        String[] w = line.split("\\s+");
        return ALWAYS.contains(w[0]) || (w.length == 1 && ALONE.contains(w[0]));
    }
}
