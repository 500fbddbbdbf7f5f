package io.jpen.core.control;

import io.jpen.core.engine.ConnectionTable;
import io.jpen.core.engine.EngineEvents;
import io.jpen.core.engine.EngineState;
import io.jpen.core.engine.Transport;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs several commands as one: every change made through it is journaled, and {@link #rollback} undoes them in
 * reverse order. This is how a config file (or {@code include}) is applied whole or not at all. Effects outside
 * the engine's state (closing a connection, writing a file) cannot be undone.
 */
final class Transaction implements EngineState {
    private final EngineState real;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean rolledBack;

    Transaction(EngineState real) {
        this.real = real;
    }

    /** Undoes every change, newest first. Each undo restores a state that was valid, so none should fail. */
    void rollback() {
        rolledBack = true;
        Runnable r;
        while ((r = undo.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                real.events().add("rollback", "could not undo a change: " + e.getMessage());
            }
        }
    }

    @Override public Settings settings() { return real.settings(); }

    @Override
    public void settings(Settings next) {
        Settings before = real.settings();
        real.settings(next);
        undo.push(() -> real.settings(before));
    }

    @Override public List<Server> servers() { return real.servers(); }

    @Override
    public void server(int index, ServerSpec spec) {
        server(index, spec, null, false);
    }

    @Override
    public void server(int index, ServerSpec spec, InetAddress host) {
        server(index, spec, host, true);
    }

    private void server(int index, ServerSpec spec, InetAddress host, boolean resolved) {
        List<Server> servers = real.servers();
        if (index > servers.size()) {
            throw new IllegalArgumentException("no server " + index + " (servers are 0-" + (servers.size() - 1) + ")");
        }
        if (index == servers.size()) {
            if (resolved) real.server(index, spec, host); else real.server(index, spec);
            undo.push(() -> real.truncateServers(index));
            return;
        }
        Server old = servers.get(index);
        ServerSpec before = old.spec();
        // Put back the address as it was, without asking the name service again under the lock.
        InetAddress beforeHost = old.address() == null ? null : old.address().getAddress();
        if (resolved) real.server(index, spec, host); else real.server(index, spec);
        undo.push(() -> real.server(index, before, beforeHost));
    }

    @Override
    public void blacklistServer(int index, int seconds) {
        List<Server> servers = real.servers();
        if (index < 0 || index >= servers.size()) throw new IllegalArgumentException("no server " + index);
        long until = servers.get(index).blacklistedUntilMillis();
        real.blacklistServer(index, seconds);
        undo.push(() -> {
            long left = until - real.nowMillis();
            real.blacklistServer(index, left <= 0 ? 0 : (int) ((left + 999) / 1000));
        });
    }

    @Override public io.jpen.core.model.HealthSettings health() { return real.health(); }

    @Override
    public void health(io.jpen.core.model.HealthSettings next) {
        io.jpen.core.model.HealthSettings before = real.health();
        real.health(next);
        undo.push(() -> real.health(before));
    }

    private Server existing(int index) {
        List<Server> servers = real.servers();
        if (index < 0 || index >= servers.size()) throw new IllegalArgumentException("no server " + index);
        return servers.get(index);
    }

    @Override
    public void serverOptions(int index, io.jpen.core.model.ServerOptions options) {
        io.jpen.core.model.ServerOptions before = existing(index).options();
        real.serverOptions(index, options);
        undo.push(() -> real.serverOptions(index, before));
    }

    @Override
    public void serverAdmin(int index, Server.Admin admin, int drainSeconds) {
        Server.Admin before = existing(index).admin();
        real.serverAdmin(index, admin, drainSeconds);
        undo.push(() -> real.serverAdmin(index, before, 0)); // a timed drain comes back untimed
    }

    @Override public int closeServerConnections(int index) { return real.closeServerConnections(index); }
    @Override public io.jpen.core.engine.health.HealthChecks.Report healthReport(Server s) { return real.healthReport(s); }

    @Override public ConnectionTable connections() { return real.connections(); }
    @Override public ClientTable clients() { return real.clients(); }
    @Override public Endpoint listen() { return real.listen(); }
    @Override public SocketAddress listenAddress() { return real.listenAddress(); }

    @Override
    public void listen(Endpoint endpoint) {
        Endpoint before = real.listen();
        if (before instanceof Endpoint.Tcp t && t.port() == 0 && real.listenAddress() instanceof java.net.InetSocketAddress isa) {
            before = new Endpoint.Tcp(t.host(), isa.getPort()); // go back to the port clients know, not a new one
        }
        Endpoint restore = before;
        real.listen(endpoint);
        undo.push(() -> real.listen(restore));
    }

    @Override public EngineEvents events() { return real.events(); }
    @Override public long nowMillis() { return real.nowMillis(); }
    @Override public long startedMillis() { return real.startedMillis(); }
    @Override public Transport transport() { return real.transport(); }
    @Override public io.jpen.core.engine.AccessLog accessLog() { return real.accessLog(); }
    @Override public io.jpen.core.model.NodeRole role() { return real.role(); }

    @Override
    public void role(io.jpen.core.model.NodeRole next) {
        io.jpen.core.model.NodeRole before = real.role();
        real.role(next);
        undo.push(() -> real.role(before));
    }
    @Override public int idlersOpen() { return real.idlersOpen(); }
    @Override public void truncateServers(int count) { real.truncateServers(count); }

    @Override public io.jpen.core.acl.Acls acls() { return real.acls(); }

    @Override
    public void acls(io.jpen.core.acl.Acls next) {
        io.jpen.core.acl.Acls before = real.acls();
        real.acls(next);
        undo.push(() -> real.acls(before));
    }

    @Override public io.jpen.core.tls.TlsConfig tls() { return real.tls(); }

    @Override
    public void tls(io.jpen.core.tls.TlsConfig next) {
        io.jpen.core.tls.TlsConfig before = real.tls();
        real.tls(next);
        undo.push(() -> real.tls(before));
    }

    @Override public io.jpen.core.engine.Upstream upstream() { return real.upstream(); }

    @Override
    public void upstream(io.jpen.core.engine.Upstream next) {
        io.jpen.core.engine.Upstream before = real.upstream();
        real.upstream(next);
        undo.push(() -> real.upstream(before));
    }

    @Override public io.jpen.core.model.AcceptProxy acceptProxy() { return real.acceptProxy(); }

    @Override
    public void acceptProxy(io.jpen.core.model.AcceptProxy next) {
        io.jpen.core.model.AcceptProxy before = real.acceptProxy();
        real.acceptProxy(next);
        undo.push(() -> real.acceptProxy(before));
    }

    @Override
    public void onRollback(Runnable r) {
        undo.push(r);
    }

    /** Work after the lock is the real state's, but a rejected file's lines leave none behind. */
    @Override
    public void afterLock(Runnable work) {
        real.afterLock(() -> {
            if (!rolledBack) work.run();
        });
    }
}
