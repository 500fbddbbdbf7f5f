package io.jpen.gui.view;

import io.jpen.gui.model.FleetCommands;
import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.FleetModel;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fleet side by side: a card per balancer with its figures, one chart of connections per balancer, a command
 * line run on every ticked balancer, and actions on a server known by the same address on several balancers —
 * with a confirmation that names them — and each balancer's reply.
 */
public final class FleetOverviewView extends VBox {
    private final FleetModel fleet;
    private final FlowPane cards = new FlowPane(10, 10);
    private final Map<FleetMember, VBox> cardOf = new IdentityHashMap<>();
    private final LineChart<Number, Number> chart;
    private final TextField command = new TextField();
    private final ComboBox<String> server = new ComboBox<>();
    private final Label serverWhere = new Label();
    private final Label summary = new Label();
    private final ListView<FleetCommands.Outcome> outcomes = new ListView<>();
    private double now;

    public FleetOverviewView(FleetModel fleet) {
        this.fleet = fleet;
        getStyleClass().add("fleet-overview");
        setId("fleet-overview");

        Label title = new Label("Fleet");
        title.getStyleClass().add("fleet-title");
        summary.getStyleClass().add("hint");
        summary.setId("fleet-summary");
        HBox head = new HBox(12, title, summary);
        head.setAlignment(Pos.BASELINE_LEFT);

        cards.setId("fleet-cards");
        chart = chart();

        VBox commandBox = commandBar();
        VBox serverBox = serverBar();
        outcomes.setId("fleet-outcomes");
        outcomes.getStyleClass().add("fleet-outcomes");
        outcomes.setPrefHeight(110);
        outcomes.setPlaceholder(new Label("Each balancer's reply shows here."));
        outcomes.setItems(fleet.commands().outcomes());
        outcomes.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FleetCommands.Outcome o, boolean empty) {
                super.updateItem(o, empty);
                getStyleClass().removeAll("outcome-ok", "outcome-error");
                if (empty || o == null) {
                    setText(null);
                    return;
                }
                getStyleClass().add(o.ok() ? "outcome-ok" : "outcome-error");
                setText(o.balancer() + " ‹" + o.line() + "›  " + (o.ok() ? "ok" : "refused") + (o.reply().isEmpty() ? "" : ": "
                        + o.reply().replace('\n', ' ')));
            }
        });

        HBox actions = new HBox(16, commandBox, serverBox);
        HBox.setHgrow(commandBox, Priority.ALWAYS);
        HBox.setHgrow(serverBox, Priority.ALWAYS);

        ScrollPane cardScroll = new ScrollPane(cards);
        cardScroll.setFitToWidth(true);
        cardScroll.setPrefViewportHeight(190);
        cardScroll.setMinViewportHeight(150);
        cardScroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(chart, Priority.ALWAYS);
        getChildren().addAll(head, cardScroll, chart, actions, outcomes);
        setPadding(new Insets(12));

        fleet.members().addListener((ListChangeListener<FleetMember>) c -> sync());
        sync();
    }

    /** Cards and chart series follow the fleet's list. */
    private void sync() {
        List<VBox> inOrder = new ArrayList<>();
        for (FleetMember m : fleet.members()) inOrder.add(cardOf.computeIfAbsent(m, FleetMemberViews::card));
        cardOf.keySet().retainAll(fleet.members());
        cards.getChildren().setAll(inOrder);
        chart.getData().setAll(fleet.members().stream().map(FleetMember::history).collect(Collectors.toList()));
        summarize();
    }

    private void summarize() {
        long in = fleet.members().stream().filter(m -> m.inContactProperty().get()).count();
        int n = fleet.members().size();
        summary.setText(n + " balancer" + (n == 1 ? "" : "s") + " · " + in + " in contact"
                + (in < n ? " · " + (n - in) + " out of contact" : ""));
    }

    /** Called once a second: the chart's time axis moves, and the server list follows the balancers. */
    public void everySecond() {
        now = System.currentTimeMillis() / 1000.0;
        NumberAxis x = (NumberAxis) chart.getXAxis();
        x.setLowerBound(Math.ceil((now - io.jpen.gui.model.OverviewModel.WINDOW_SECONDS) / 30) * 30);
        x.setUpperBound(now);
        List<String> known = new ArrayList<>(fleet.commands().servers().keySet());
        if (!known.equals(server.getItems())) {
            String keep = server.getValue();
            server.getItems().setAll(known);
            if (keep != null && known.contains(keep)) server.setValue(keep);
        }
        updateWhere();
        summarize();
    }

    private LineChart<Number, Number> chart() {
        NumberAxis x = new NumberAxis();
        x.setAutoRanging(false);
        x.setTickUnit(30);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() {
            private final java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                    .withZone(java.time.ZoneId.systemDefault());
            @Override public String toString(Number n) { return clock.format(java.time.Instant.ofEpochMilli((long) (n.doubleValue() * 1000))); }
            @Override public Number fromString(String s) { return 0; }
        });
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(true);
        y.setMinorTickVisible(false);
        // connections are whole numbers: no 0.5 ticks on a quiet fleet
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override public String toString(Number n) { return n.doubleValue() == Math.rint(n.doubleValue()) ? Long.toString(n.longValue()) : ""; }
            @Override public Number fromString(String s) { return 0; }
        });
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setId("fleet-chart");
        c.setTitle("Connections per balancer");
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setMinHeight(180);
        c.getStyleClass().add("fleet-chart");
        return c;
    }

    private VBox commandBar() {
        Label t = new Label("Run on every ticked balancer");
        t.getStyleClass().add("fleet-section-title");
        command.setId("fleet-command");
        command.setPromptText("a penctl command, e.g. server 1 drain");
        Button run = new Button("Run");
        run.setId("fleet-run");
        run.disableProperty().bind(command.textProperty().isEmpty());
        run.setOnAction(e -> runCommand());
        command.setOnAction(e -> runCommand());
        HBox.setHgrow(command, Priority.ALWAYS);
        return new VBox(6, t, new HBox(8, command, run));
    }

    private void runCommand() {
        String line = command.getText().strip();
        if (line.isEmpty()) return;
        fleet.commands().runOnEach(fleet.commands().chosen(), line, null);
    }

    private VBox serverBar() {
        Label t = new Label("A server on every balancer that has it");
        t.getStyleClass().add("fleet-section-title");
        server.setId("fleet-server");
        server.setPromptText("server address");
        server.setOnAction(e -> updateWhere());
        serverWhere.getStyleClass().add("hint");
        serverWhere.setId("fleet-server-where");
        HBox buttons = new HBox(6);
        for (FleetCommands.ServerAction a : FleetCommands.ServerAction.values()) {
            Button b = new Button(a.label);
            b.setId("fleet-action-" + a.name().toLowerCase(java.util.Locale.ROOT));
            b.disableProperty().bind(server.valueProperty().isNull());
            b.setOnAction(e -> serverAction(a));
            buttons.getChildren().add(b);
        }
        return new VBox(6, t, new HBox(8, server, serverWhere), buttons);
    }

    private void updateWhere() {
        String s = server.getValue();
        int n = s == null ? 0 : fleet.commands().placesOf(s).size();
        serverWhere.setText(s == null ? "" : "on " + n + " balancer" + (n == 1 ? "" : "s"));
    }

    /** Asks, naming every balancer and the server's number there, then sends each its own line. */
    void serverAction(FleetCommands.ServerAction a) {
        String address = server.getValue();
        if (address == null) return;
        List<FleetCommands.ServerOn> places = fleet.commands().placesOf(address);
        if (places.isEmpty()) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.setTitle(a.label + " " + address);
        confirm.setHeaderText(a.label + " " + address + " on " + places.size() + " balancer" + (places.size() == 1 ? "" : "s") + "?");
        confirm.setContentText(places.stream().map(p -> "• " + p.member().nameProperty().get() + ": server " + p.index()
                + " " + a.words).collect(Collectors.joining("\n")));
        confirm.getDialogPane().setId("fleet-confirm");
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("fleet-confirm-ok");
        if (getScene() != null) {
            confirm.initOwner(getScene().getWindow());
            confirm.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> fleet.commands().onPlaces(places, a.words, null));
    }

    public TextField command() { return command; }
    public ComboBox<String> server() { return server; }
    public ListView<FleetCommands.Outcome> outcomes() { return outcomes; }
    public LineChart<Number, Number> connectionsChart() { return chart; }
}
