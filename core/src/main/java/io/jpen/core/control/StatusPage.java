package io.jpen.core.control;

import io.jpen.core.engine.Connection;
import io.jpen.core.engine.EngineState;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;
import io.jpen.core.select.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Pen's status page ({@code status}, {@code -w file}) as valid HTML5: the servers, the active clients and the
 * active connections, Pen's three tables with Pen's columns (descriptors aside), readable in any browser.
 */
public final class StatusPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** More rows than this make a page no one reads; the totals above each table still count every one. */
    static final int MAX_ROWS = 10_000;

    private StatusPage() {}

    /** An instant as the page writes it: {@code 2026-12-06 10:15:02 UTC}. */
    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    public static String render(EngineState state) {
        long now = state.nowMillis();
        List<Server> servers = state.servers();
        List<ClientTable.Client> clients = state.clients().list();
        List<Connection> connections = List.copyOf(state.connections().all());
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>jpen status page</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("th,td{border:1px solid #999;padding:2px 8px;text-align:right}")
                .append("th{background:#80f080}td.text{text-align:left}\n</style>\n</head>\n<body>\n")
                .append("<h1>jpen status page</h1>\n<p>Time ").append(TIME.format(Instant.ofEpochMilli(now)))
                .append(", ").append(servers.size()).append(" servers, ").append(connections.size())
                .append(" current</p>\n");
        Settings m = state.settings();
        // jpen's operator modes, which Pen's page leaves out.
        b.append("<p>Modes: dummy ").append(m.dummy() ? "on" : "off")
                .append(", idlers ").append(state.idlersOpen()).append('/').append(m.idlers())
                .append(", tcp_fastclose ").append(m.fastClose().word())
                .append(", idle_timeout ").append(m.idleTimeoutSeconds()).append(" s")
                .append(", keepalive ").append(m.keepalive() ? "on" : "off")
                .append(", tcp_nodelay ").append(m.tcpNodelay() ? "on" : "off")
                .append(", pending_max ").append(m.pendingMax())
                .append("</p>\n");
        // What a pair of balancers needs to agree on, and this node's part in it (keepalived's report).
        b.append("<p>High availability: role ").append(escape(Replies.role(state.role())))
                .append(", hash_method ").append(m.hashMethod().word()).append("</p>\n");

        b.append("<h2>Servers</h2>\n");
        boolean lifecycle = Replies.lifecycleInUse(servers);
        if (lifecycle) {
            io.jpen.core.model.HealthSettings h = state.health();
            b.append("<p>Health checks every ").append(io.jpen.core.model.HealthSettings.Seconds.text(h.intervalMillis()))
                    .append(" s, timeout ").append(io.jpen.core.model.HealthSettings.Seconds.text(h.timeoutMillis(m.timeoutSeconds())))
                    .append(" s, up after ").append(h.rise()).append(" passed, down after ").append(h.fall())
                    .append(" failed</p>\n<table>\n<tr>");
            headers(b, "server", "address", "status", "port", "connections", "max soft", "max hard", "sent",
                    "received", "weight", "prio", "check", "last check");
        } else {
            b.append("<table>\n<tr>");
            headers(b, "server", "address", "status", "port", "connections", "max soft", "max hard", "sent",
                    "received", "weight", "prio");
        }
        for (Server s : servers) {
            ServerSpec p = s.spec();
            String status = status(s, now);
            if (!lifecycle) {
                row(b, s.index(), text(p.host()), text(status), p.port(), s.connections(), p.soft(), p.hard(),
                        s.bytesSent(), s.bytesReceived(), p.weight(), p.prio());
                continue;
            }
            io.jpen.core.model.HealthCheck c = s.options().check();
            var report = state.healthReport(s);
            String last = report == null || report.last() == null ? "" : (report.last().ok() ? "passed: " : "failed: ")
                    + report.last().text() + String.format(java.util.Locale.ROOT, ", %.1f ms", report.last().millis());
            row(b, s.index(), text(p.host()), text(status), p.port(), s.connections(), p.soft(), p.hard(),
                    s.bytesSent(), s.bytesReceived(), p.weight(), p.prio(), text(c == null ? "none" : c.words()), text(last));
        }
        b.append("</table>\n");

        b.append("<h2>Active clients</h2>\n<p>Max number of clients: ").append(state.settings().clientsMax())
                .append("</p>\n<table>\n<tr>");
        headers(b, "client", "address", "age(secs)", "last server", "connects", "sent", "received");
        int n = 0;
        java.util.Map<String, Integer> pins = state.clients().pins();
        for (ClientTable.Client c : clients) {
            if (n == MAX_ROWS) break;
            Integer pin = pins.get(c.address().getHostAddress());
            row(b, n++, text(c.address().getHostAddress()), Math.max(0, (now - c.lastMillis()) / 1000),
                    text((c.server() < 0 ? "none" : Integer.toString(c.server())) + (pin == null ? "" : " (pinned to " + pin + ")")),
                    c.connects(), c.sent(), c.received());
        }
        b.append("</table>\n");

        b.append("<h2>Active connections</h2>\n<p>Number of connections: ").append(state.settings().connMax())
                .append(" max, ").append(connections.size()).append(" used</p>\n<table>\n<tr>");
        headers(b, "connection", "state", "client", "server", "age(secs)", "sent", "received");
        n = 0;
        for (Connection c : connections) {
            if (n++ == MAX_ROWS) break;
            row(b, c.id(), text(c.state().name().toLowerCase(java.util.Locale.ROOT)),
                    text(Replies.address(c.clientSocket(), null)), text(Target.name(c.target())),
                    Math.max(0, (now - c.createdMillis()) / 1000), c.bytesUp(), c.bytesDown());
        }
        b.append("</table>\n</body>\n</html>\n");
        return b.toString();
    }

    /**
     * A server's state for the page: the word ({@code up}, {@code down}, {@code blacklisted}, {@code drain},
     * {@code maint}; Pen's {@code unused} for an empty slot), the time left of a blacklist or timed drain, the
     * reason, and since when.
     */
    static String status(Server s, long now) {
        io.jpen.core.select.ServerState st = s.state(now);
        if (st == io.jpen.core.select.ServerState.DISABLED) return "unused";
        StringBuilder t = new StringBuilder(st.word());
        long until = st == io.jpen.core.select.ServerState.BLACKLISTED ? s.blacklistedUntilMillis()
                : st == io.jpen.core.select.ServerState.DRAIN ? s.drainDeadlineMillis() : 0;
        if (until > 0) t.append(", ").append(Math.max(0, (until - now + 999) / 1000)).append(" s left");
        if (st != io.jpen.core.select.ServerState.UP && st == s.notedState()) {
            if (!s.reason().isEmpty()) t.append(": ").append(s.reason());
            if (s.stateSinceMillis() > 0) t.append(" (since ").append(time(s.stateSinceMillis())).append(')');
        }
        return t.toString();
    }

    /** Writes the page atomically, so a browser or scraper never reads half of it. */
    public static void writeTo(Path file, String html) {
        try {
            AtomicFile.write(file, html);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write status page " + file + ": " + e.getMessage());
        }
    }

    private record Text(String value) {}

    private static Text text(String s) {
        return new Text(s);
    }

    private static void headers(StringBuilder b, String... names) {
        for (String h : names) b.append("<th>").append(escape(h)).append("</th>");
        b.append("</tr>\n");
    }

    private static void row(StringBuilder b, Object... cells) {
        b.append("<tr>");
        for (Object c : cells) {
            if (c instanceof Text t) b.append("<td class=\"text\">").append(escape(t.value())).append("</td>");
            else b.append("<td>").append(c).append("</td>");
        }
        b.append("</tr>\n");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
