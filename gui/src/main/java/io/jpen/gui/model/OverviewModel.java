package io.jpen.gui.model;

import io.jpen.core.model.ServerView;
import io.jpen.core.model.Snapshot;
import io.jpen.core.model.Totals;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

import java.util.List;

/**
 * The overview's numbers, its picture of the flow ({@link FlowModel}) and its rolling charts: one series per server
 * of throughput (both ways) and of connections, one point a second over the last {@link #WINDOW_SECONDS} seconds.
 */
public final class OverviewModel {
    public static final int WINDOW_SECONDS = 180;
    /**
     * Points further apart than this (a point comes every second) have an outage between them: no snapshot came
     * for as long as the status bar takes to say contact is lost, so nothing is known there, and a chart leaves a
     * gap instead of drawing a line across.
     */
    public static final double GAP_SECONDS = StatusModel.STALE_MILLIS / 1000.0;

    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ReadOnlyDoubleWrapper connectionRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper upRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper downRate = new ReadOnlyDoubleWrapper();
    private final ReadOnlyLongWrapper accepted = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper bytesUp = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper bytesDown = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper splicedUp = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper splicedDown = new ReadOnlyLongWrapper();
    private final ReadOnlyDoubleWrapper now = new ReadOnlyDoubleWrapper();
    private final ObservableList<XYChart.Series<Number, Number>> throughput = FXCollections.observableArrayList();
    private final ObservableList<XYChart.Series<Number, Number>> perServerConnections = FXCollections.observableArrayList();
    /** p99 time to connect per server, then (HTTP mode) p99 time to first byte per server, in milliseconds. */
    private final ObservableList<XYChart.Series<Number, Number>> latency = FXCollections.observableArrayList();
    private final FlowModel flow = new FlowModel();
    private final List<ServerRow> rows;
    private long lastPointMillis;
    /** Each server's state at the last tick, and the change waiting for the next point (by server index). */
    private final java.util.Map<Integer, String> lastState = new java.util.HashMap<>();
    private final java.util.Map<Integer, StateMark> pendingMarks = new java.util.HashMap<>();
    private java.util.function.Function<StateMark, javafx.scene.Node> markers;
    private double upSum, downSum, connSum;
    private double[] serverSums = new double[0];
    private int samples;

    /** @param rows the servers view model's rows, whose states the flow picture shows */
    public OverviewModel(List<ServerRow> rows) {
        this.rows = rows;
    }

    /** A server's change of state, marked on its series at the point that follows it. */
    public record StateMark(int server, String from, String to, String reason) {
        /** "server 0 down: HTTP 503 from /healthz (was up)". */
        public String text() {
            return "server " + server + " " + to + (reason == null || reason.isEmpty() ? "" : ": " + reason) + " (was " + from + ")";
        }

        /** The tone of the state it went to: the servers' one mapping (ServerRow.State). */
        public Tone tone() {
            return ServerRow.State.of(to, false).tone();
        }
    }

    /** How a mark is drawn (the view's job); without it, changes are recorded on the points but not drawn. */
    public void markers(java.util.function.Function<StateMark, javafx.scene.Node> factory) {
        this.markers = factory;
    }

    public void update(Snapshot s) {
        noteStates(s.servers());
        Totals t = s.totals();
        connections.set(t.connections());
        accepted.set(t.acceptedTotal());
        bytesUp.set(t.bytesUp());
        bytesDown.set(t.bytesDown());
        splicedUp.set(t.splicedUp());
        splicedDown.set(t.splicedDown());
        // smooth the headline rates over the chart's one-second step so they do not flicker at every tick
        upSum += t.bytesUpPerSecond();
        downSum += t.bytesDownPerSecond();
        connSum += t.connectionsPerSecond();
        List<ServerView> servers = s.servers();
        if (serverSums.length != servers.size()) serverSums = new double[servers.size()];
        for (int i = 0; i < servers.size(); i++) serverSums[i] += servers.get(i).sentPerSecond() + servers.get(i).receivedPerSecond();
        samples++;
        flow.states(s, rows);
        if (s.takenMillis() - lastPointMillis < 1000 && lastPointMillis != 0) return;
        lastPointMillis = s.takenMillis();
        upRate.set(upSum / samples);
        downRate.set(downSum / samples);
        connectionRate.set(connSum / samples);
        double[] serverRates = new double[serverSums.length];
        for (int i = 0; i < serverRates.length; i++) serverRates[i] = serverSums[i] / samples;
        flow.rates(upRate.get() + downRate.get(), connectionRate.get(), serverRates);
        upSum = downSum = connSum = 0;
        java.util.Arrays.fill(serverSums, 0);
        samples = 0;

        double x = s.takenMillis() / 1000.0;
        now.set(x);
        fit(throughput, servers, rows);
        fit(perServerConnections, servers, rows);
        for (int i = 0; i < servers.size(); i++) {
            ServerView v = servers.get(i);
            StateMark mark = pendingMarks.remove(v.index());
            add(throughput.get(i), x, v.sentPerSecond() + v.receivedPerSecond(), mark);
            add(perServerConnections.get(i), x, v.connections(), mark);
        }
        latencyPoints(servers, s.settings() != null && s.settings().http(), x);
    }

    /**
     * One point per server a second: its p99 over the last minute. A minute without a connect has no point, so
     * the line breaks there (as over an outage) rather than claiming 0 ms.
     */
    private void latencyPoints(List<ServerView> servers, boolean http, double x) {
        int n = servers.size();
        int wanted = http ? 2 * n : n;
        while (latency.size() > wanted) latency.remove(latency.size() - 1);
        while (latency.size() < wanted) latency.add(new XYChart.Series<>());
        for (int i = 0; i < n; i++) {
            ServerView v = servers.get(i);
            String known = i < rows.size() && !rows.get(i).emergency() ? rows.get(i).name() : "";
            String name = v.index() + "  " + (known.isEmpty() ? v.address() + ":" + v.port() : known);
            name(latency.get(i), http ? name + " connect" : name);
            if (v.connectsLastMinute() > 0) add(latency.get(i), x, v.connectP99Millis(), null);
            else trim(latency.get(i).getData(), x);
            if (!http) continue;
            name(latency.get(n + i), name + " first byte");
            if (v.firstBytesLastMinute() > 0) add(latency.get(n + i), x, v.firstByteP99Millis(), null);
            else trim(latency.get(n + i).getData(), x);
        }
    }

    private static void name(XYChart.Series<Number, Number> series, String name) {
        if (!name.equals(series.getName())) series.setName(name);
    }

    /** At every tick, so a change between two points is not missed. */
    private void noteStates(List<ServerView> servers) {
        for (ServerView v : servers) {
            String before = lastState.put(v.index(), v.state());
            if (before != null && !before.equals(v.state())) {
                StateMark earlier = pendingMarks.get(v.index());
                pendingMarks.put(v.index(), new StateMark(v.index(), earlier != null ? earlier.from() : before, v.state(), v.reason()));
            }
        }
    }

    private static void fit(ObservableList<XYChart.Series<Number, Number>> series, List<ServerView> servers, List<ServerRow> rows) {
        while (series.size() > servers.size()) series.remove(series.size() - 1);
        while (series.size() < servers.size()) series.add(new XYChart.Series<>());
        for (int i = 0; i < servers.size(); i++) {
            ServerView v = servers.get(i);
            String known = i < rows.size() && !rows.get(i).emergency() ? rows.get(i).name() : "";
            String name = v.index() + "  " + (known.isEmpty() ? v.address() + ":" + v.port() : known);
            if (!name.equals(series.get(i).getName())) series.get(i).setName(name);
        }
    }

    private void add(XYChart.Series<Number, Number> series, double x, double y, StateMark mark) {
        ObservableList<XYChart.Data<Number, Number>> data = series.getData();
        XYChart.Data<Number, Number> point = new XYChart.Data<>(x, y);
        if (mark != null) {
            point.setExtraValue(mark);
            if (markers != null) point.setNode(markers.apply(mark));
        }
        data.add(point);
        trim(data, x);
    }

    private static void trim(ObservableList<XYChart.Data<Number, Number>> data, double x) {
        int excess = 0;
        while (excess < data.size() && data.get(excess).getXValue().doubleValue() < x - WINDOW_SECONDS) excess++;
        if (excess > 0) data.remove(0, excess);
    }

    /** The picture of the flow: clients → jpen → servers. */
    public FlowModel flow() { return flow; }
    public ReadOnlyIntegerProperty connectionsProperty() { return connections.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty connectionRateProperty() { return connectionRate.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty upRateProperty() { return upRate.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty downRateProperty() { return downRate.getReadOnlyProperty(); }
    public ReadOnlyLongProperty acceptedProperty() { return accepted.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesUpProperty() { return bytesUp.getReadOnlyProperty(); }
    public ReadOnlyLongProperty bytesDownProperty() { return bytesDown.getReadOnlyProperty(); }
    /** Of the bytes from clients, those the balancer spliced rather than copied. */
    public ReadOnlyLongProperty splicedUpProperty() { return splicedUp.getReadOnlyProperty(); }
    /** Of the bytes from servers, those the balancer spliced rather than copied. */
    public ReadOnlyLongProperty splicedDownProperty() { return splicedDown.getReadOnlyProperty(); }
    /** The newest point's time in epoch seconds: the charts' right edge. */
    public ReadOnlyDoubleProperty nowProperty() { return now.getReadOnlyProperty(); }
    public ObservableList<XYChart.Series<Number, Number>> throughput() { return throughput; }
    public ObservableList<XYChart.Series<Number, Number>> perServerConnections() { return perServerConnections; }
    /** p99 latency per server (ms): time to connect, and in HTTP mode time to first byte. */
    public ObservableList<XYChart.Series<Number, Number>> latency() { return latency; }
}
