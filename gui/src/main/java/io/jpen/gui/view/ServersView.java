package io.jpen.gui.view;

import io.jpen.core.model.ProxyVersion;
import io.jpen.gui.model.Format;
import io.jpen.gui.model.ServerEdit;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.model.ServersModel;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;

import java.util.function.Function;

/**
 * The servers table with Pen's columns, a coloured state with its reason, each server's check and the PROXY header it
 * gets; plus edit, blacklist and re-enable, drain, maintenance, ready, close all connections (after a confirmation
 * naming how many), a check editor and the PROXY choice for the selected server.
 */
public final class ServersView extends BorderPane {
    private final ServersModel model;
    private final TableView<ServerRow> table = new TableView<>();
    private final Spinner<Integer> blacklistSeconds = new Spinner<>(0, 86_400, 30, 5);
    /** A drain's time: what is left is closed after it (0 = never). */
    private final Spinner<Integer> drainSeconds = new Spinner<>(0, 86_400, 0, 10);
    private final Label reply = new Label();
    private final ChoiceBox<ProxyVersion> proxy = new ChoiceBox<>();
    private final javafx.beans.value.ChangeListener<String> proxyListener = (o, was, now) -> showProxyOf(selected());
    private javafx.beans.property.ReadOnlyStringProperty watchedProxy;
    /** True while the choice is set from the balancer's word, so that does not send it back. */
    private boolean syncingProxy;

    public ServersView(ServersModel model) {
        this.model = model;
        getStyleClass().add("servers");
        table.setId("servers-table");
        table.setItems(model.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        table.setPlaceholder(new Label("No servers yet"));
        table.getColumns().add(column("#", 30, r -> Bindings.createStringBinding(() -> r.emergency() ? "e" : Integer.toString(r.index()))));
        TableColumn<ServerRow, String> name = column("Name", 104, ServerRow::nameProperty);
        name.visibleProperty().bind(model.namedProperty()); // only sessions that name their servers (the demo)
        table.getColumns().add(name);
        // address and port in one column, as they are typed: the table has eighteen columns to fit in the window
        table.getColumns().add(column("Address", 124, r -> Bindings.createStringBinding(
                () -> r.addressProperty().get() + ":" + r.portProperty().get(), r.addressProperty(), r.portProperty())));
        table.getColumns().add(stateColumn());
        table.getColumns().add(column("Conn", 48, r -> r.connectionsProperty().asString()));
        table.getColumns().add(column("Max", 46, r -> r.softProperty().asString()));
        table.getColumns().add(column("Hard", 50, r -> r.hardProperty().asString()));
        table.getColumns().add(column("Weight", 72, r -> r.weightProperty().asString()));
        table.getColumns().add(column("Prio", 42, r -> r.prioProperty().asString()));
        table.getColumns().add(column("PROXY", 68, ServerRow::proxyProperty));
        table.getColumns().add(column("Total", 58, r -> r.totalProperty().asString()));
        table.getColumns().add(column("Failed", 66, r -> r.failuresProperty().asString()));
        table.getColumns().add(explained(column("Connect", 104, ServerRow::connectTimeProperty), "servers-connect-time",
                "Time to connect to the server over the last minute: median / 99th percentile"));
        table.getColumns().add(explained(column("First byte", 104, ServerRow::firstByteTimeProperty), "servers-first-byte-time",
                "HTTP mode: time from a request to the first byte of the server's answer over the last minute:"
                        + " median / 99th percentile"));
        table.getColumns().add(column("Sent (sx)", 86, r -> Bindings.createStringBinding(() -> Format.bytes(r.sent()), r.sentProperty())));
        table.getColumns().add(column("Received (rx)", 118, r -> Bindings.createStringBinding(() -> Format.bytes(r.received()), r.receivedProperty())));
        table.getColumns().add(column("Sent/s", 78, r -> Bindings.createStringBinding(() -> Format.rate(r.sentRateProperty().get()), r.sentRateProperty())));
        table.getColumns().add(column("Received/s", 98, r -> Bindings.createStringBinding(() -> Format.rate(r.receivedRateProperty().get()), r.receivedRateProperty())));
        table.getColumns().add(checkColumn());
        table.setRowFactory(t -> {
            TableRow<ServerRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) edit();
            });
            return row;
        });

        Button edit = new Button("Edit…");
        edit.setId("server-edit");
        edit.setTooltip(new Tooltip("Change address, port, limits, weight and prio (Enter)"));
        edit.setOnAction(e -> edit());
        Button blacklist = new Button("Blacklist");
        blacklist.setId("server-blacklist");
        blacklist.setTooltip(new Tooltip("Take the server out of rotation for the given seconds (Ctrl+B)"));
        blacklist.setOnAction(e -> blacklist());
        Button enable = new Button("Re-enable");
        enable.setId("server-enable");
        enable.setTooltip(new Tooltip("Lift the blacklist now (Ctrl+E)"));
        enable.setOnAction(e -> enable());
        Button drain = new Button("Drain");
        drain.setId("server-drain");
        drain.setTooltip(new Tooltip("No new clients; established connections go on (closed after the given seconds, 0 = never)"));
        drain.setOnAction(e -> drain());
        Button maint = new Button("Maintenance");
        maint.setId("server-maint");
        maint.setTooltip(new Tooltip("Take the server out by hand: no new clients, no checks"));
        maint.setOnAction(e -> maintenance());
        Button ready = new Button("Ready");
        ready.setId("server-ready");
        ready.setTooltip(new Tooltip("Back to normal after drain or maintenance"));
        ready.setOnAction(e -> ready());
        Button closeAll = new Button("Close all…");
        closeAll.setId("server-close-all");
        closeAll.setTooltip(new Tooltip("Close every live connection of the server now (asks first)"));
        closeAll.setOnAction(e -> closeAll());
        Button check = new Button("Check…");
        check.setId("server-check");
        check.setTooltip(new Tooltip("Set the server's active health check, its port and slow start"));
        check.setOnAction(e -> editCheck());
        WholeNumberFields.editable(blacklistSeconds);
        blacklistSeconds.setPrefWidth(90);
        WholeNumberFields.editable(drainSeconds);
        drainSeconds.setPrefWidth(90);
        var noRegular = Bindings.createBooleanBinding(() -> selected() == null, table.getSelectionModel().selectedItemProperty());
        for (Button b : new Button[] {edit, blacklist, enable, drain, maint, ready, closeAll, check}) b.disableProperty().bind(noRegular);
        proxy.setId("server-proxy");
        proxy.getItems().setAll(ProxyVersion.values());
        proxy.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(ProxyVersion v) { return v == null ? "" : v.word(); }
            @Override public ProxyVersion fromString(String s) { return ProxyVersion.parse(s); }
        });
        proxy.setTooltip(new Tooltip("The PROXY protocol header (HAProxy's, read by nginx, HAProxy, Envoy...) that tells"
                + " the server the client's address: off, v1 (text) or v2 (binary)"));
        proxy.disableProperty().bind(noRegular);
        proxy.setOnAction(e -> {
            ServerRow r = selected();
            if (!syncingProxy && r != null && proxy.getValue() != null && !proxy.getValue().word().equals(r.proxy())) {
                model.proxy(r.index(), proxy.getValue());
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> showProxyOf(now));
        reply.setId("servers-reply");
        reply.getStyleClass().add("reply");
        reply.textProperty().bind(model.notice().textProperty());
        Tones.follow(reply, model.notice().toneProperty());
        // Two rows: one toolbar with every control would push the last ones into its overflow menu.
        ToolBar states = new ToolBar(edit, sep(), blacklist, new Label("for"), blacklistSeconds, new Label("s"), enable,
                sep(), drain, new Label("close after"), drainSeconds, new Label("s"), maint, ready, closeAll);
        ToolBar settings = new ToolBar(check, sep(), new Label("PROXY header"), proxy, sep(), new StatusLine(reply));
        setTop(new javafx.scene.layout.VBox(states, settings));
        setCenter(table);
    }

    public TableView<ServerRow> table() {
        return table;
    }

    /** The PROXY choice follows the selected server, and what the balancer says at each tick. */
    private void showProxyOf(ServerRow r) {
        if (watchedProxy != null) watchedProxy.removeListener(proxyListener);
        watchedProxy = r == null || r.emergency() ? null : r.proxyProperty();
        if (watchedProxy != null) watchedProxy.addListener(proxyListener);
        syncingProxy = true;
        try {
            proxy.setValue(watchedProxy == null ? null : ProxyVersion.parse(watchedProxy.get()));
        } finally {
            syncingProxy = false;
        }
    }

    /** The selected regular server (the emergency row cannot be edited by number). */
    private ServerRow selected() {
        ServerRow r = table.getSelectionModel().getSelectedItem();
        return r == null || r.emergency() ? null : r;
    }

    public void blacklist() {
        ServerRow r = selected();
        if (r != null) model.blacklist(r.index(), blacklistSeconds.getValue());
    }

    public void enable() {
        ServerRow r = selected();
        if (r != null) model.enable(r.index());
    }

    public void drain() {
        ServerRow r = selected();
        if (r != null) model.drain(r.index(), drainSeconds.getValue());
    }

    public void maintenance() {
        ServerRow r = selected();
        if (r != null) model.maintenance(r.index());
    }

    public void ready() {
        ServerRow r = selected();
        if (r != null) model.ready(r.index());
    }

    /** Asks first, naming how many connections would close; then {@code server N close}. */
    public void closeAll() {
        ServerRow r = selected();
        if (r == null) return;
        javafx.scene.control.Alert ask = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                confirmation(r), ButtonType.OK, ButtonType.CANCEL);
        ask.setTitle("Close connections");
        ask.setHeaderText("Close all connections of server " + r.index() + "?");
        ask.getDialogPane().setId("close-all-confirmation");
        owned(ask);
        ask.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> model.closeAll(r.index()));
    }

    /** "Close all 3 connections of server 0 (127.0.0.1:8081) now? Their clients are cut off." */
    public static String confirmation(ServerRow r) {
        int n = r.connections();
        return "Close " + (n == 1 ? "the 1 connection" : "all " + n + " connections") + " of server " + r.index()
                + " (" + r.address() + ":" + r.port() + ") now? Their clients are cut off.";
    }

    /** The check editor: kind (off, tcp, http, send/expect), its fields, the check port and slow start. */
    public void editCheck() {
        ServerRow r = selected();
        if (r == null) return;
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Check of server " + r.index());
        d.setHeaderText("Active health check of server " + r.index() + " (" + r.address() + ":" + r.port() + ")");
        javafx.scene.control.ChoiceBox<String> kind = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList("off", "tcp", "http", "send"));
        kind.setId("check-kind");
        String current = r.check();
        String[] words = current.isEmpty() ? new String[] {"off"} : current.split(" ", 3);
        kind.setValue(words[0]);
        TextField path = new TextField(words[0].equals("http") ? words[1] : "/healthz");
        path.setId("check-path");
        TextField code = new TextField(words[0].equals("http") && words.length == 3 ? words[2] : "");
        code.setId("check-code");
        code.setPromptText("any 2xx or 3xx");
        TextField send = new TextField();
        send.setId("check-send");
        send.setPromptText("sent as a line; \\r \\n \\t allowed");
        TextField expect = new TextField();
        expect.setId("check-expect");
        if (words[0].equals("send")) {
            io.jpen.core.model.HealthCheck c = parseSend(current);
            if (c != null) {
                send.setText(escape(c.send()));
                expect.setText(escape(c.expect()));
            }
        }
        Spinner<Integer> port = intSpinner(0, 65535, r.checkPort());
        Spinner<Integer> slow = intSpinner(0, 86_400, r.slowstart());
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Kind"), kind);
        g.addRow(1, new Label("HTTP path"), path);
        g.addRow(2, new Label("HTTP status (empty = 2xx/3xx)"), code);
        g.addRow(3, new Label("Send"), send);
        g.addRow(4, new Label("Expect in the reply"), expect);
        g.addRow(5, new Label("Check port (0 = the server's)"), port);
        g.addRow(6, new Label("Slow start (seconds)"), slow);
        Label last = new Label(r.lastCheck().isEmpty() ? "no check has run yet" : "last check " + r.lastCheck());
        last.setWrapText(true);
        g.add(last, 0, 7, 2, 1);
        path.disableProperty().bind(kind.valueProperty().isNotEqualTo("http"));
        code.disableProperty().bind(kind.valueProperty().isNotEqualTo("http"));
        send.disableProperty().bind(kind.valueProperty().isNotEqualTo("send"));
        expect.disableProperty().bind(kind.valueProperty().isNotEqualTo("send"));
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        owned(d);
        d.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            try {
                io.jpen.core.model.HealthCheck c = switch (kind.getValue()) {
                    case "tcp" -> io.jpen.core.model.HealthCheck.tcp();
                    case "http" -> io.jpen.core.model.HealthCheck.http(path.getText().strip(),
                            code.getText().isBlank() ? 0 : Integer.parseInt(code.getText().strip()));
                    case "send" -> io.jpen.core.model.HealthCheck.send(unescape(send.getText()), unescape(expect.getText()));
                    default -> null;
                };
                model.check(r.index(), c, port.getValue(), slow.getValue());
            } catch (NumberFormatException e) {
                model.notice().show("the HTTP status must be a number, e.g. 200", io.jpen.gui.model.Tone.DANGER);
            } catch (IllegalArgumentException e) {
                model.notice().show(e.getMessage(), io.jpen.gui.model.Tone.DANGER);
            }
        });
    }

    /** The texts of a send/expect check from its penctl words, through the same reader the balancer uses. */
    private static io.jpen.core.model.HealthCheck parseSend(String words) {
        java.util.List<String> w = io.jpen.core.model.CommandWords.split(words);
        return w.size() == 4 ? io.jpen.core.model.HealthCheck.send(w.get(1), w.get(3)) : null;
    }

    /** A text as typed in the editor: the quoted form without its quotes. */
    private static String escape(String text) {
        String q = io.jpen.core.model.HealthCheck.quote(text);
        return q.substring(1, q.length() - 1);
    }

    private static String unescape(String typed) {
        return io.jpen.core.model.CommandWords.unescape(typed);
    }

    private void owned(Dialog<?> d) {
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets()); // light or dark, as the window
        }
    }

    /** Opens the edit dialog on the selected server; OK sends one command (see {@link ServerEdit}). */
    public void edit() {
        ServerRow r = selected();
        if (r == null) return;
        new ServerEditDialog(model.edit(r), r, getScene() == null ? null : getScene().getWindow()).showAndWait();
    }

    private static Spinner<Integer> intSpinner(int min, int max, int value) {
        return WholeNumberFields.editable(new Spinner<>(min, max, value));
    }

    /** A column whose header explains it on hover (a column has no tooltip of its own: its header label gets one). */
    private static TableColumn<ServerRow, String> explained(TableColumn<ServerRow, String> c, String id, String explanation) {
        c.setId(id);
        c.setMinWidth(c.getPrefWidth()); // "0.20 / 16.5 ms" whole, however narrow the window
        Label header = new Label(c.getText());
        header.setTooltip(new Tooltip(explanation));
        c.setText(null);
        c.setGraphic(header);
        return c;
    }

        private static TableColumn<ServerRow, String> column(String title, double width, Function<ServerRow, ObservableValue<String>> value) {
        TableColumn<ServerRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(width); // a narrow window scrolls the table sideways rather than cutting titles to "C…"
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setSortable(false); // Pen's order is the meaning of the index
        return c;
    }

    /** The check's words, with the last result in a tooltip. */
    private static TableColumn<ServerRow, String> checkColumn() {
        TableColumn<ServerRow, String> c = column("Check", 80, ServerRow::checkProperty);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String check, boolean empty) {
                super.updateItem(check, empty);
                ServerRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(row == null ? null : check == null || check.isEmpty() ? "none" : check);
                setTooltip(row == null || row.lastCheck().isEmpty() ? null : new Tooltip("last check " + row.lastCheck()));
            }
        });
        return c;
    }

    private static TableColumn<ServerRow, ServerRow.State> stateColumn() {
        TableColumn<ServerRow, ServerRow.State> c = new TableColumn<>("State");
        c.setPrefWidth(160);
        c.setMinWidth(160);
        c.setSortable(false);
        c.setCellValueFactory(f -> f.getValue().stateProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private ServerRow bound;

            @Override
            protected void updateItem(ServerRow.State state, boolean empty) {
                super.updateItem(state, empty);
                textProperty().unbind();
                if (empty || state == null || getTableRow() == null || getTableRow().getItem() == null) {
                    setText(null);
                    Tones.clear(this);
                    return;
                }
                bound = getTableRow().getItem();
                textProperty().bind(bound.stateTextProperty());
                Tones.paint(this, state.tone());
                setTooltip(bound.reasonProperty().get().isEmpty() ? null : new Tooltip(bound.reasonProperty().get()));
            }
        });
        return c;
    }

    private static Separator sep() {
        return new Separator(javafx.geometry.Orientation.VERTICAL);
    }
}
