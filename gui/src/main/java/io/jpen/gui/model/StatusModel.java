package io.jpen.gui.model;

import io.jpen.core.console.Console;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The status bar and the banner: what the console is attached to, uptime, transport, the node's HA role, and
 * whether the balancer can be reached. A snapshot that stops coming for {@link #STALE_MILLIS} counts as lost, whatever the console says.
 */
public final class StatusModel {
    static final long STALE_MILLIS = 5_000;
    private static final java.time.format.DateTimeFormatter SINCE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault());

    private final Console console;
    private final ReadOnlyStringWrapper target = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper uptime = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper transport = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper listen = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper role = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper roleSince = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyStringWrapper banner = new ReadOnlyStringWrapper("");
    private long lastSnapshotNanos = System.nanoTime();
    private Snapshot last;

    public StatusModel(Console console) {
        this.console = console;
        target.set(console.target());
    }

    public void update(Snapshot s) {
        last = s;
        lastSnapshotNanos = System.nanoTime();
        uptime.set(Format.duration(s.takenMillis() - s.startedMillis()));
        io.jpen.core.model.ListenerView l = s.listener();
        // what the balancer speaks on its listener, and with which event loop
        transport.set(l == null ? s.transport() : l.protocol() + (l.tls() ? " + TLS" : "") + " · " + s.transport());
        listen.set(s.listen());
        // keepalived's report: nothing to show on a balancer that is not part of a pair
        io.jpen.core.model.NodeRole r = s.role();
        role.set(r.known() ? r.role() + " for " + Format.duration(s.takenMillis() - r.sinceMillis()) : "");
        roleSince.set(r.known() ? r.role() + " since " + SINCE.format(java.time.Instant.ofEpochMilli(r.sinceMillis())) : "");
        check();
    }

    /** Re-evaluates reachability; called at each snapshot and by a once-a-second timer (snapshots may stop). */
    public void check() {
        long silentMillis = (System.nanoTime() - lastSnapshotNanos) / 1_000_000;
        boolean ok = console.connected() && silentMillis < STALE_MILLIS;
        connected.set(ok);
        target.set(console.target());
        if (ok) {
            banner.set("");
        } else if (last == null) {
            banner.set("Cannot reach " + console.target() + why() + " — retrying…");
        } else {
            banner.set("Lost contact with " + console.target() + " " + Format.duration(silentMillis) + " ago" + why()
                    + " — reconnecting… (the figures shown are from before)");
        }
    }

    private String why() {
        String error = console.lastError(); // a remote console's (or an SSH one's) last failure; null for a local one
        return error == null || error.isBlank() ? "" : " (" + error + ")";
    }

    public ReadOnlyStringProperty targetProperty() { return target.getReadOnlyProperty(); }
    public ReadOnlyStringProperty uptimeProperty() { return uptime.getReadOnlyProperty(); }
    public ReadOnlyStringProperty transportProperty() { return transport.getReadOnlyProperty(); }
    public ReadOnlyStringProperty listenProperty() { return listen.getReadOnlyProperty(); }
    /** The HA role and how long it has held ({@code master for 3 m 05 s}), or empty when none was reported. */
    public ReadOnlyStringProperty roleProperty() { return role.getReadOnlyProperty(); }
    /** When the role last changed, in local time. */
    public ReadOnlyStringProperty roleSinceProperty() { return roleSince.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty connectedProperty() { return connected.getReadOnlyProperty(); }
    public ReadOnlyStringProperty bannerProperty() { return banner.getReadOnlyProperty(); }
}
