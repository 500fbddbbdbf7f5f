package io.jpen.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's story, live or recently closed: when it came, where it went and why, how long the connect and
 * (HTTP mode) the first byte of the answer took, what it carried, how it ended, and its TLS where jpen terminates it.
 *
 * @param acceptedMillis  when the client connected (epoch millis)
 * @param server          server index, or -1 (none yet, or jpen answered itself), -2 (emergency), -3 (abuse): see
 *                        {@code serverName}
 * @param serverAddress   the server's address as connected, or null before a connect
 * @param choice          why that server, in an operator's words ("round robin", "failover after server 1 failed")
 * @param failedAttempts  connect attempts that failed before this one
 * @param lastFailure     why the last of them failed, in plain words, or null
 * @param connectMillis   how long the connect to the server took; -1 when it has not completed
 * @param firstByteMillis HTTP mode: from the request to the first byte of the server's answer; -1 when not measured
 * @param bytesUp         client to server, over its life
 * @param bytesDown       server to client, over its life (counted as the client was sent them)
 * @param closedMillis    when it closed (epoch millis), 0 while open
 * @param closedBy        "client", "server", "operator", "jpen", "jpen (idle)"…; null while open
 * @param tls             the client's TLS session where jpen terminates TLS, else null
 */
public record ConnectionDetail(int id, String client, String via, long acceptedMillis, int server, String serverName,
                               String serverAddress, String choice, int failedAttempts, String lastFailure,
                               double connectMillis, double firstByteMillis, long bytesUp, long bytesDown,
                               String state, String protocol, long closedMillis, String closedBy, Tls tls) {

    /** A terminated TLS session: protocol, cipher suite, the name the client asked for (SNI), its certificate's subject. */
    public record Tls(String protocol, String cipher, String sni, String clientSubject) {}

    /** The story line by line, oldest first, as the console shows it. */
    public List<String> timeline() {
        List<String> lines = new ArrayList<>();
        lines.add("accepted from " + client + (via == null ? "" : " (via " + via + ")"));
        if (tls != null) {
            lines.add("TLS " + tls.protocol() + ", " + tls.cipher()
                    + (tls.sni() == null ? "" : ", SNI " + tls.sni())
                    + (tls.clientSubject() == null ? "" : ", client certificate " + tls.clientSubject()));
        }
        if (failedAttempts > 0) {
            lines.add(failedAttempts + (failedAttempts == 1 ? " connect attempt" : " connect attempts") + " failed"
                    + (lastFailure == null ? "" : ": " + lastFailure));
        }
        if (server != -1) lines.add(serverName + " chosen: " + choice); // -1: none (yet)
        if (connectMillis >= 0) {
            lines.add("connected to " + (serverAddress == null ? serverName : serverAddress) + " after "
                    + millis(connectMillis));
        }
        if (firstByteMillis >= 0) lines.add("first byte of the answer after " + millis(firstByteMillis));
        lines.add(bytesUp + " bytes up (client to server), " + bytesDown + " bytes down (server to client)");
        if (closedMillis > 0) {
            lines.add("closed" + (closedBy == null ? "" : " by " + closedBy) + " after "
                    + millis(closedMillis - acceptedMillis));
        } else {
            lines.add("open (" + state + ")");
        }
        return lines;
    }

    private static String millis(double ms) {
        if (ms < 10) return String.format(java.util.Locale.ROOT, "%.2f ms", ms);
        if (ms < 10_000) return String.format(java.util.Locale.ROOT, "%.0f ms", ms);
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000);
    }
}
