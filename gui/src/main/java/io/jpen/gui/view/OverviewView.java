package io.jpen.gui.view;

import io.jpen.gui.model.Format;
import io.jpen.gui.model.OverviewModel;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** The live picture of the flow first, then headline numbers and rolling charts per server. */
public final class OverviewView extends VBox {
    private final FlowView flow;
    private final LineChart<Number, Number> throughput;
    private final LineChart<Number, Number> connections;
    private final LineChart<Number, Number> latency;

    public OverviewView(OverviewModel m) {
        getStyleClass().add("overview");
        setSpacing(10);
        setPadding(new Insets(12));
        flow = new FlowView(m.flow());

        HBox tiles = new HBox(12,
                tile("Connections now", Bindings.createStringBinding(() -> Integer.toString(m.connectionsProperty().get()), m.connectionsProperty()),
                        Bindings.createStringBinding(() -> m.acceptedProperty().get() + " accepted in all", m.acceptedProperty())),
                tile("New connections", Bindings.createStringBinding(() -> Format.perSecond(m.connectionRateProperty().get()), m.connectionRateProperty()),
                        Bindings.createStringBinding(() -> "per second", m.connectionRateProperty())),
                tile("Client → server", Bindings.createStringBinding(() -> Format.rate(m.upRateProperty().get()), m.upRateProperty()),
                        Bindings.createStringBinding(() -> inAll(m.bytesUpProperty().get(), m.splicedUpProperty().get()),
                                m.bytesUpProperty(), m.splicedUpProperty())),
                tile("Server → client", Bindings.createStringBinding(() -> Format.rate(m.downRateProperty().get()), m.downRateProperty()),
                        Bindings.createStringBinding(() -> inAll(m.bytesDownProperty().get(), m.splicedDownProperty().get()),
                                m.bytesDownProperty(), m.splicedDownProperty())));
        tiles.getChildren().forEach(t -> HBox.setHgrow(t, Priority.ALWAYS));
        tiles.getChildren().get(2).setId("overview-up");

        // A change of a server's state is a dot on its lines, in the state's tone, that says what happened.
        m.markers(mark -> {
            javafx.scene.layout.Region dot = new javafx.scene.layout.Region();
            dot.getStyleClass().add("state-marker");
            Tones.paint(dot, mark.tone());
            javafx.scene.control.Tooltip.install(dot, new javafx.scene.control.Tooltip(mark.text()));
            return dot;
        });
        throughput = chart("Throughput per server (both ways)", m, true);
        throughput.setId("overview-throughput");
        throughput.setData(m.throughput());
        connections = chart("Connections per server", m, false);
        connections.setId("overview-connections");
        connections.setData(m.perServerConnections());
        latency = chart("Latency per server (p99 of the last minute, ms)", m, false);
        latency.setId("overview-latency");
        latency.setData(m.latency());
        HBox charts = new HBox(12, throughput, connections, latency);
        charts.getChildren().forEach(c -> HBox.setHgrow(c, Priority.ALWAYS));
        VBox.setVgrow(charts, Priority.ALWAYS);
        getChildren().addAll(flow, tiles, charts);
    }

    public FlowView flow() { return flow; }
    public LineChart<Number, Number> throughputChart() { return throughput; }
    public LineChart<Number, Number> connectionsChart() { return connections; }
    public LineChart<Number, Number> latencyChart() { return latency; }

    /** Bytes so far, and how many of them the balancer spliced (epoll's zero-copy path) where it did. */
    private static String inAll(long bytes, long spliced) {
        return Format.bytes(bytes) + " in all" + (spliced > 0 ? ", " + Format.bytes(spliced) + " spliced" : "");
    }

    private static VBox tile(String caption, javafx.beans.value.ObservableValue<String> value, javafx.beans.value.ObservableValue<String> detail) {
        Label c = new Label(caption);
        c.getStyleClass().add("tile-caption");
        Label v = new Label();
        v.textProperty().bind(value);
        v.getStyleClass().add("tile-value");
        Label d = new Label();
        d.textProperty().bind(detail);
        d.getStyleClass().add("tile-detail");
        VBox box = new VBox(2, c, v, d);
        box.getStyleClass().add("tile");
        box.setMaxWidth(Double.MAX_VALUE);
        return box;
    }

    private static LineChart<Number, Number> chart(String title, OverviewModel m, boolean bytes) {
        NumberAxis x = new NumberAxis();
        x.setAutoRanging(false);
        x.setForceZeroInRange(false);
        x.setTickUnit(30);
        x.setMinorTickVisible(false);
        // x is the wall clock in epoch seconds: ticks fall on whole half-minutes and read as times of day
        // the left edge on a whole half-minute, so the ticks (every 30 s from it) read :00 and :30
        x.lowerBoundProperty().bind(Bindings.createDoubleBinding(
                () -> Math.ceil((m.nowProperty().get() - OverviewModel.WINDOW_SECONDS) / 30) * 30, m.nowProperty()));
        x.upperBoundProperty().bind(m.nowProperty());
        x.setTickLabelFormatter(new StringConverter<>() {
            private final java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                    .withZone(java.time.ZoneId.systemDefault());
            @Override public String toString(Number n) {
                return clock.format(java.time.Instant.ofEpochMilli((long) (n.doubleValue() * 1000)));
            }
            @Override public Number fromString(String s) { return 0; }
        });
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(true);
        y.setMinorTickVisible(false);
        if (bytes) {
            y.setTickLabelFormatter(new StringConverter<>() {
                @Override public String toString(Number n) { return Format.rate(n.doubleValue()); }
                @Override public Number fromString(String s) { return 0; }
            });
        }
        LineChart<Number, Number> chart = new GapLineChart(x, y, OverviewModel.GAP_SECONDS);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        chart.setMinHeight(160);
        chart.setMinWidth(200);
        chart.setMaxWidth(Double.MAX_VALUE);
        chart.getStyleClass().add("server-chart");
        return chart;
    }
}
