package io.jpen.gui.model;

import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The Overview's picture of the flow: clients → jpen → servers. Each edge has a rate (bytes per second both
 * ways, averaged over the last second) and a share from 0 to 1 that the view turns into its width; each server
 * its state's tone. Property values are set only when they change, so a quiet tick costs the view nothing.
 */
public final class FlowModel {
    /** Below this, an edge counts as idle (a few keep-alive bytes should not look like traffic). */
    static final double IDLE_BYTES_PER_SECOND = 64;

    /** One server's node and the edge from the balancer to it. */
    public static final class Server {
        private final int index;
        private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
        private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper("");
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("");
        private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper("");
        private final ReadOnlyObjectWrapper<ServerRow.State> state = new ReadOnlyObjectWrapper<>(ServerRow.State.UP);
        private final ReadOnlyObjectWrapper<Tone> tone = new ReadOnlyObjectWrapper<>(Tone.OK);
        private final ReadOnlyDoubleWrapper rate = new ReadOnlyDoubleWrapper();
        private final ReadOnlyDoubleWrapper share = new ReadOnlyDoubleWrapper();
        private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();

        Server(int index) {
            this.index = index;
        }

        public int index() { return index; }
        /** "0 · alpha", or "server 0" when the session names none. */
        public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }
        public ReadOnlyStringProperty addressProperty() { return address.getReadOnlyProperty(); }
        /** Its state in words with its live connections: "up · 12 conn", "blacklisted 14 s". */
        public ReadOnlyStringProperty detailProperty() { return detail.getReadOnlyProperty(); }
        /** Its state in full, with the reason: "blacklisted 11 s: a connect failed, out for 20 s". */
        public ReadOnlyStringProperty stateTextProperty() { return stateText.getReadOnlyProperty(); }
        public ReadOnlyObjectProperty<ServerRow.State> stateProperty() { return state.getReadOnlyProperty(); }
        /** The colour of its node and edge: from {@link ServerRow.State#tone()}, the one mapping. */
        public ReadOnlyObjectProperty<Tone> toneProperty() { return tone.getReadOnlyProperty(); }
        /** Bytes per second to and from it, averaged over the last second. */
        public ReadOnlyDoubleProperty rateProperty() { return rate.getReadOnlyProperty(); }
        /** Its edge's width from 0 (idle) to 1 (the busiest edge). */
        public ReadOnlyDoubleProperty shareProperty() { return share.getReadOnlyProperty(); }
        public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    }

    private final ObservableList<Server> servers = FXCollections.observableArrayList();
    private final ObservableList<Server> serversView = FXCollections.unmodifiableObservableList(servers);
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyDoubleWrapper clientRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper clientShare = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper clientDetail = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper balancerDetail = new ReadOnlyStringWrapper("");

    /** The servers' nodes, in Pen's order. */
    public ObservableList<Server> servers() { return serversView; }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    /** Bytes per second between clients and the balancer, both ways, averaged over the last second. */
    public ReadOnlyDoubleProperty clientRateProperty() { return clientRate.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty clientShareProperty() { return clientShare.getReadOnlyProperty(); }
    /** "24 connections · 3.2 new/s". */
    public ReadOnlyStringProperty clientDetailProperty() { return clientDetail.getReadOnlyProperty(); }
    /** Where it listens and how it chooses: "127.0.0.1:8080 · round robin". */
    public ReadOnlyStringProperty balancerDetailProperty() { return balancerDetail.getReadOnlyProperty(); }

    /** Every tick: states, names and connection counts (cheap, and a state change should show at once). */
    void states(Snapshot s, List<ServerRow> rows) {
        List<ServerView> views = s.servers();
        fit(views);
        for (int i = 0; i < views.size(); i++) {
            ServerView v = views.get(i);
            Server n = servers.get(i);
            ServerRow row = i < rows.size() && !rows.get(i).emergency() ? rows.get(i) : null;
            String name = row == null ? "" : row.name();
            n.title.set(name.isEmpty() ? "server " + v.index() : v.index() + " · " + name);
            n.address.set(v.address() + ":" + v.port());
            ServerRow.State state = row == null ? ServerRow.State.of(v.state(), false) : row.state();
            n.state.set(state);
            n.tone.set(state.tone());
            n.connections.set(v.connections());
            String full = row == null ? state.word() : row.stateText();
            n.stateText.set(full);
            // the node is narrow: the state and its seconds; why is in the node's tooltip ("down: HTTP 503 …")
            int why = full.indexOf(": ");
            n.detail.set((why < 0 ? full : full.substring(0, why)) + " · " + v.connections() + " conn");
        }
        connections.set(s.totals().connections());
        Settings settings = s.settings();
        balancerDetail.set(s.listen() + " · " + ModesModel.Algorithm.of(settings));
    }

    /** Once a second: the rates averaged over the second, and the widths they give. */
    void rates(double clientBytesPerSecond, double newPerSecond, double[] serverBytesPerSecond) {
        double peak = clientBytesPerSecond;
        for (double r : serverBytesPerSecond) peak = Math.max(peak, r);
        clientRate.set(clientBytesPerSecond);
        clientShare.set(share(clientBytesPerSecond, peak));
        for (int i = 0; i < servers.size() && i < serverBytesPerSecond.length; i++) {
            servers.get(i).rate.set(serverBytesPerSecond[i]);
            servers.get(i).share.set(share(serverBytesPerSecond[i], peak));
        }
        clientDetail.set(connections.get() + (connections.get() == 1 ? " connection" : " connections") + " · "
                + Format.perSecond(newPerSecond) + " new");
    }

    /**
     * Width by the square root of the rate against the busiest edge: a server with a quarter of the traffic gets
     * half the width, so small flows stay visible next to a big one.
     */
    static double share(double rate, double peak) {
        if (rate < IDLE_BYTES_PER_SECOND || peak <= 0) return 0;
        return Math.sqrt(Math.min(1, rate / peak));
    }

    private void fit(List<ServerView> views) {
        if (servers.size() == views.size()) return;
        if (servers.size() > views.size()) {
            servers.remove(views.size(), servers.size());
        } else {
            List<Server> added = new ArrayList<>();
            for (int i = servers.size(); i < views.size(); i++) added.add(new Server(views.get(i).index()));
            servers.addAll(added);
        }
    }
}
