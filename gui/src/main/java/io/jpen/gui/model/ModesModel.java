package io.jpen.gui.model;

import io.jpen.core.model.Reply;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.HashMethod;
import io.jpen.core.model.Settings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.List;

/**
 * The balancer's modes as read from each snapshot, and the commands that change them. The properties show what
 * the balancer says, never what a control was set to: a refused command leaves them (and so the controls) as
 * they were, and the reply says why.
 */
public final class ModesModel {
    /** Pen's selection algorithms, in the order of its precedence (the first set one wins). */
    public enum Algorithm {
        TRACKING("client tracking"), ROUNDROBIN("round robin"), HASH("hash"), WEIGHT("weight"), PRIO("prio");

        private final String label;

        Algorithm(String label) { this.label = label; }

        @Override public String toString() { return label; }

        static Algorithm of(Settings s) {
            if (s.prio()) return PRIO;
            if (s.weight()) return WEIGHT;
            if (s.hash()) return HASH;
            if (s.roundrobin()) return ROUNDROBIN;
            return TRACKING;
        }

        /** The command lines that leave exactly this algorithm set. */
        List<String> commands() {
            return List.of(this == ROUNDROBIN ? "roundrobin" : "no roundrobin", this == HASH ? "hash" : "no hash",
                    this == WEIGHT ? "weight" : "no weight", this == PRIO ? "prio" : "no prio");
        }
    }

    private final Commands commands;
    private final ReadOnlyObjectWrapper<Algorithm> algorithm = new ReadOnlyObjectWrapper<>(Algorithm.TRACKING);
    private final ReadOnlyBooleanWrapper stubborn = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper dummy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyIntegerWrapper idlersWanted = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper idlersCurrent = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<FastClose> fastClose = new ReadOnlyObjectWrapper<>(FastClose.OFF);
    private final ReadOnlyObjectWrapper<HashMethod> hashMethod = new ReadOnlyObjectWrapper<>(HashMethod.MODULO);
    private final ReadOnlyIntegerWrapper idleTimeout = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper tcpNodelay = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper http = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper acceptProxy = new ReadOnlyBooleanWrapper();
    /** The ACL a PROXY sender must pass, -1 for any peer. */
    private final ReadOnlyIntegerWrapper acceptProxyAcl = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyStringWrapper acceptProxyCounts = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper modeLine = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastReply = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper lastReplyOk = new ReadOnlyBooleanWrapper(true);

    public ModesModel(Commands commands) {
        this.commands = commands;
    }

    public void update(io.jpen.core.model.Snapshot snapshot) {
        Settings s = snapshot.settings();
        idlersCurrent.set(s.idlers() == 0 && snapshot.totals().idlers() == 0 ? "" : snapshot.totals().idlers() + " open now");
        algorithm.set(Algorithm.of(s));
        stubborn.set(s.stubborn());
        dummy.set(s.dummy());
        idlersWanted.set(s.idlers());
        fastClose.set(s.fastClose());
        hashMethod.set(s.hashMethod());
        idleTimeout.set(s.idleTimeoutSeconds());
        tcpNodelay.set(s.tcpNodelay());
        http.set(s.http());
        modeLine.set(s.modeLine());
        io.jpen.core.model.ProxyView p = snapshot.listener() == null ? null : snapshot.listener().proxy();
        acceptProxy.set(p != null && p.accept());
        acceptProxyAcl.set(p == null ? -1 : p.acl());
        long refused = p == null ? 0 : p.rejected().values().stream().mapToLong(Long::longValue).sum();
        acceptProxyCounts.set(p == null || p.accepted() + refused == 0 ? ""
                : p.accepted() + " headers read, " + refused + " connections refused");
    }

    public void algorithm(Algorithm a) { sendAll(a.commands()); }
    public void stubborn(boolean on) { send(on ? "stubborn" : "no stubborn"); }
    public void dummy(boolean on) { send(on ? "dummy" : "no dummy"); }
    public void tcpNodelay(boolean on) { send(on ? "tcp_nodelay" : "no tcp_nodelay"); }
    public void http(boolean on) { send(on ? "http" : "no http"); }
    public void fastClose(FastClose f) { send("tcp_fastclose " + f.word()); }
    public void hashMethod(HashMethod m) { send("hash_method " + m.word()); }
    public void idleTimeout(int seconds) { send("idle_timeout " + seconds); }

    /** {@code accept_proxy [N]} or {@code no accept_proxy}; {@code acl} -1 takes headers from any peer. */
    public void acceptProxy(boolean on, int acl) {
        send(!on ? "no accept_proxy" : acl < 0 ? "accept_proxy" : "accept_proxy " + acl);
    }

    public void idlers(int n) {
        commands.send("idlers " + n, this::show);
    }

    /** Pen's {@code write FILE}: the running configuration as commands, written by the balancer. */
    public void write(String file) {
        if (file == null || file.isBlank()) {
            lastReplyOk.set(false);
            lastReply.set("write needs a file name");
            return;
        }
        String f = file.strip();
        commands.send("write " + f, r -> show(r.ok() && r.text().isBlank() ? io.jpen.core.model.Reply.ok("wrote the running configuration to " + f) : r));
    }

    private void send(String line) {
        commands.send(line, this::show);
    }

    private void sendAll(List<String> lines) {
        commands.sendAll(lines, replies -> show(replies.get(replies.size() - 1)));
    }

    private void show(Reply r) {
        lastReplyOk.set(r.ok());
        lastReply.set(r.ok() ? (r.text().isBlank() ? "ok" : r.text().strip()) : r.text().strip());
    }

    public ReadOnlyObjectProperty<Algorithm> algorithmProperty() { return algorithm.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty stubbornProperty() { return stubborn.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty dummyProperty() { return dummy.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty idlersWantedProperty() { return idlersWanted.getReadOnlyProperty(); }
    public ReadOnlyStringProperty idlersCurrentProperty() { return idlersCurrent.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<FastClose> fastCloseProperty() { return fastClose.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<HashMethod> hashMethodProperty() { return hashMethod.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty idleTimeoutProperty() { return idleTimeout.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty tcpNodelayProperty() { return tcpNodelay.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty httpProperty() { return http.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty acceptProxyProperty() { return acceptProxy.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty acceptProxyAclProperty() { return acceptProxyAcl.getReadOnlyProperty(); }
    public ReadOnlyStringProperty acceptProxyCountsProperty() { return acceptProxyCounts.getReadOnlyProperty(); }
    public ReadOnlyStringProperty modeLineProperty() { return modeLine.getReadOnlyProperty(); }
    public ReadOnlyStringProperty lastReplyProperty() { return lastReply.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty lastReplyOkProperty() { return lastReplyOk.getReadOnlyProperty(); }
}
