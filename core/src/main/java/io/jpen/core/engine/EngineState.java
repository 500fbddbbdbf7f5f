package io.jpen.core.engine;

import io.jpen.core.acl.Acls;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.core.select.ClientTable;
import io.jpen.core.select.Server;

import java.net.SocketAddress;
import java.util.List;

/**
 * What a command may read and change. Only {@link Engine#execute} hands this out, so every change of state goes
 * through a command. Each mutator validates fully before it changes anything.
 */
public interface EngineState {
    Settings settings();

    /** Replaces the settings; side effects (client table size, special servers' addresses) follow. */
    void settings(Settings next);

    List<Server> servers();

    /**
     * Replaces server {@code index}'s spec; {@code index == servers().size()} appends a server. A host name is looked
     * up here, under the command lock: commands use the form below with the address they looked up beforehand.
     */
    void server(int index, ServerSpec spec);

    /** As {@link #server(int, ServerSpec)} with the host already resolved to {@code host} (null for an unused slot). */
    void server(int index, ServerSpec spec, java.net.InetAddress host);

    /** Drops the servers from {@code count} on (undoes servers added by a rejected config file). */
    void truncateServers(int count);

    /** Blacklists server {@code index} for {@code seconds} (0 lifts it). */
    void blacklistServer(int index, int seconds);

    // ---- server lifecycle: active checks, drain, maintenance, slow start (see io.jpen.core.engine.health) ----

    /** health_interval, health_timeout, health_rise, health_fall. */
    io.jpen.core.model.HealthSettings health();

    void health(io.jpen.core.model.HealthSettings next);

    /** Replaces server {@code index}'s check, check port and slow start; checks follow at once. */
    void serverOptions(int index, io.jpen.core.model.ServerOptions options);

    /**
     * Sets the operator's state of server {@code index}: ready, drain (with {@code drainSeconds} &gt; 0, what is
     * left is closed after that time) or maint. The change is recorded as an event.
     */
    void serverAdmin(int index, Server.Admin admin, int drainSeconds);

    /** Closes every live connection of server {@code index} now; returns how many. */
    int closeServerConnections(int index);

    /** What server {@code s}'s active checks found so far; null when it never had one. */
    default io.jpen.core.engine.health.HealthChecks.Report healthReport(Server s) {
        return null;
    }

    ConnectionTable connections();

    ClientTable clients();

    Endpoint listen();

    /** The address the listener is bound to (the real port when 0 was asked for), or null before start. */
    SocketAddress listenAddress();

    /** Re-binds the listener; established connections stay up. Throws if the new address cannot be bound. */
    void listen(Endpoint endpoint);

    EngineEvents events();

    Acls acls();

    /** Replaces all ten access lists at once; new connections see the new lists, established ones stay. */
    void acls(Acls next);

    io.jpen.core.tls.TlsConfig tls();

    /**
     * Replaces the TLS configuration for connections accepted from now on. When it has a certificate every file is
     * read and checked first; a bad one throws and nothing changes.
     */
    void tls(io.jpen.core.tls.TlsConfig next);

    Upstream upstream();

    /** Replaces source/transparent for new upstream connections; throws if the address or capability is missing. */
    void upstream(Upstream next);

    /** Whether new connections must start with a PROXY header (accept_proxy) and from which peers. */
    io.jpen.core.model.AcceptProxy acceptProxy();

    /** Sets accept_proxy for connections accepted from now on; throws in UDP mode, which has no connections. */
    void acceptProxy(io.jpen.core.model.AcceptProxy next);

    long nowMillis();

    long startedMillis();

    Transport transport();

    /** Pen's access log ({@code -l}, {@code log}): a file or penlogd's address, written by the relay. */
    AccessLog accessLog();

    /** The node's HA role as keepalived last reported it ({@code role}), and since when. */
    io.jpen.core.model.NodeRole role();

    /** Records the role keepalived reports (run-time state: {@code write} does not save it). */
    void role(io.jpen.core.model.NodeRole next);

    /** Reliable idle connections open now (Pen's {@code Idlers: open/wanted}); {@code settings().idlers()} is how many are wanted. */
    int idlersOpen();

    /**
     * Registers how to undo a side effect that is not made through this interface (an opened log file), in case
     * the config file or include it belongs to is rejected. Outside a transaction nothing is ever undone.
     */
    default void onRollback(Runnable undo) {}

    /**
     * Hands {@code work} that may wait (writing a file a command rendered) to the moment the command lock is
     * released, so a slow disk holds up only its own command. It runs only if the command succeeds; an
     * {@link IllegalArgumentException} it throws becomes the command's error reply. A state with no lock around it
     * runs it at once.
     */
    default void afterLock(Runnable work) {
        work.run();
    }
}
