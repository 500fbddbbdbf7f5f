package io.jpen.core.control;

import io.jpen.core.engine.EngineState;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.Server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * {@code write}: the running state as a config file of penctl commands. Loading it and writing again gives the
 * same text (no time stamps), and it saves what Pen's own {@code write} forgets (idle_timeout, idlers, dummy,
 * keepalive, pending_max, conn_max, clients_max, TLS), and jpen's hash_method when it is not Pen's modulo. Clients
 * the operator pinned ({@code client A pin N}) are saved; what tracking learned is not: it is traffic, not configuration.
 */
public final class ConfigWriter {
    static final String HEADER = "# jpen configuration written by 'write'; load it with -F or 'include'";

    private ConfigWriter() {}

    /** The running state of the engine {@code daemon} surrounds (whose -w file is saved as web_stats). */
    public static String write(EngineState state, Daemon daemon) {
        Settings s = state.settings();
        StringBuilder b = new StringBuilder(1024);
        b.append(HEADER).append('\n');
        line(b, "listen " + listenText(state.listen(), state.listenAddress()));
        line(b, "blacklist " + s.blacklistSeconds());
        line(b, "clients_max " + s.clientsMax());
        line(b, "conn_max " + s.connMax());
        line(b, "debug " + s.debug());
        line(b, "idle_timeout " + s.idleTimeoutSeconds());
        line(b, "idlers " + s.idlers());
        line(b, "pending_max " + s.pendingMax());
        line(b, "timeout " + s.timeoutSeconds());
        line(b, "tracking " + s.trackingSeconds());
        line(b, "tcp_fastclose " + s.fastClose().word());
        flag(b, "roundrobin", s.roundrobin());
        flag(b, "hash", s.hash());
        flag(b, "weight", s.weight());
        flag(b, "prio", s.prio());
        flag(b, "stubborn", s.stubborn());
        flag(b, "http", s.http());
        flag(b, "dummy", s.dummy());
        flag(b, "tcp_nodelay", s.tcpNodelay());
        flag(b, "keepalive", s.keepalive());
        flag(b, "ascii", s.ascii());
        flag(b, "abort_on_error", s.abortOnError());
        // Only when not Pen's: by default the file stays what Pen's write gives. The HA role is not saved: it is
        // keepalived's to report, and a restarted jpen must not claim a role it may no longer have.
        if (s.hashMethod() != io.jpen.core.model.HashMethod.MODULO) line(b, "hash_method " + s.hashMethod().word());
        // Access lists before client_acl/control_acl, TLS files before the certificate that turns TLS on.
        for (String l : state.acls().commands()) line(b, l);
        if (s.clientAcl() >= 0) line(b, "client_acl " + s.clientAcl());
        if (s.controlAcl() >= 0) line(b, "control_acl " + s.controlAcl());
        line(b, state.acceptProxy().command());
        InetAddress source = state.upstream().source();
        line(b, source == null ? "no source" : "source " + source.getHostAddress());
        flag(b, "transparent", state.upstream().transparent());
        if (!state.tls().enabled()) line(b, "no ssl");
        for (String l : state.tls().commands()) line(b, l);
        String log = state.accessLog().destination();
        line(b, log == null ? "no log" : "log " + log);
        Path web = daemon.statusFile();
        line(b, web == null ? "no web_stats" : "web_stats " + web);
        for (Server server : state.servers()) {
            ServerSpec p = server.spec();
            StringBuilder l = new StringBuilder("server ").append(server.index())
                    .append(" address ").append(p.host()).append(" port ").append(p.port())
                    .append(" max ").append(p.soft()).append(" hard ").append(p.hard())
                    .append(" weight ").append(p.weight()).append(" prio ").append(p.prio());
            if (p.acl() >= 0) l.append(" acl ").append(p.acl());
            if (p.proxy() != io.jpen.core.model.ProxyVersion.OFF) l.append(" proxy ").append(p.proxy().word());
            lifecycleFields(l, server);
            line(b, l.toString());
        }
        lifecycleLines(b, state);
        for (String l : ClientCommands.pinLines(state)) line(b, l); // after the servers they name
        return b.toString();
    }

    /** check_port and slowstart, where set, on the server's own line. */
    private static void lifecycleFields(StringBuilder l, Server server) {
        io.jpen.core.model.ServerOptions o = server.options();
        if (o.checkPort() != 0) l.append(" check_port ").append(o.checkPort());
        if (o.slowstartSeconds() != 0) l.append(" slowstart ").append(o.slowstartSeconds());
    }

    /**
     * The health settings when not the defaults, each server's check, and maintenance, after every server line.
     * A drain is not saved: it is a passing step (the server is on its way to maint or back to ready), and a
     * restarted jpen should not come up refusing new clients to a server because of it. Nothing is written when
     * nothing is set, so the file stays what it was before checks existed.
     */
    private static void lifecycleLines(StringBuilder b, EngineState state) {
        io.jpen.core.model.HealthSettings h = state.health();
        io.jpen.core.model.HealthSettings d = io.jpen.core.model.HealthSettings.DEFAULTS;
        if (h.intervalMillis() != d.intervalMillis()) line(b, "health_interval " + io.jpen.core.model.HealthSettings.Seconds.text(h.intervalMillis()));
        if (h.timeoutMillis() != d.timeoutMillis()) line(b, "health_timeout " + io.jpen.core.model.HealthSettings.Seconds.text(h.timeoutMillis()));
        if (h.rise() != d.rise()) line(b, "health_rise " + h.rise());
        if (h.fall() != d.fall()) line(b, "health_fall " + h.fall());
        for (Server server : state.servers()) {
            if (server.options().check() != null) line(b, "server " + server.index() + " check " + server.options().check().words());
            if (server.admin() == Server.Admin.MAINT) line(b, "server " + server.index() + " maint");
        }
    }

    /** The configured listen address with the port actually bound, so a port 0 is saved as the real port. */
    static String listenText(Endpoint configured, SocketAddress bound) {
        if (configured instanceof Endpoint.Tcp t && bound instanceof InetSocketAddress isa) {
            return new Endpoint.Tcp(t.host(), isa.getPort()).toString();
        }
        return configured.toString();
    }

    private static void line(StringBuilder b, String text) {
        b.append(text).append('\n');
    }

    private static void flag(StringBuilder b, String word, boolean on) {
        line(b, on ? word : "no " + word);
    }
}
