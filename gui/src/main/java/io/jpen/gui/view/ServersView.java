package io.jpen.gui.view;

import io.jpen.core.control.Reply;
import io.jpen.core.model.ProxyVersion;
import io.jpen.gui.model.Format;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.model.ServersModel;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;

import java.util.function.Function;

/**
 * The servers table with Pen's columns, a coloured state and the PROXY header each server gets, plus edit,
 * blacklist, re-enable and the PROXY choice for the selected server.
 */
public final class ServersView extends BorderPane {
    private final ServersModel model;
    private final TableView<ServerRow> table = new TableView<>();
    private final Spinner<Integer> blacklistSeconds = new Spinner<>(0, 86_400, 30, 5);
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
        table.setPlaceholder(new Label("No servers yet"));
        table.getColumns().add(column("#", 40, r -> Bindings.createStringBinding(() -> r.emergency() ? "e" : Integer.toString(r.index()))));
        table.getColumns().add(column("Address", 140, ServerRow::addressProperty));
        table.getColumns().add(column("Port", 60, r -> r.portProperty().asString()));
        table.getColumns().add(stateColumn());
        table.getColumns().add(column("Conn", 55, r -> r.connectionsProperty().asString()));
        table.getColumns().add(column("Max", 50, r -> r.softProperty().asString()));
        table.getColumns().add(column("Hard", 50, r -> r.hardProperty().asString()));
        table.getColumns().add(column("Weight", 60, r -> r.weightProperty().asString()));
        table.getColumns().add(column("Prio", 45, r -> r.prioProperty().asString()));
        table.getColumns().add(column("PROXY", 55, ServerRow::proxyProperty));
        table.getColumns().add(column("Total", 70, r -> r.totalProperty().asString()));
        table.getColumns().add(column("Failed", 55, r -> r.failuresProperty().asString()));
        table.getColumns().add(column("Sent (sx)", 85, r -> Bindings.createStringBinding(() -> Format.bytes(r.sent()), r.sentProperty())));
        table.getColumns().add(column("Received (rx)", 95, r -> Bindings.createStringBinding(() -> Format.bytes(r.received()), r.receivedProperty())));
        table.getColumns().add(column("Sent/s", 85, r -> Bindings.createStringBinding(() -> Format.rate(r.sentRateProperty().get()), r.sentRateProperty())));
        table.getColumns().add(column("Received/s", 85, r -> Bindings.createStringBinding(() -> Format.rate(r.receivedRateProperty().get()), r.receivedRateProperty())));
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
        blacklistSeconds.setEditable(true);
        blacklistSeconds.setPrefWidth(90);
        var noRegular = Bindings.createBooleanBinding(() -> selected() == null, table.getSelectionModel().selectedItemProperty());
        edit.disableProperty().bind(noRegular);
        blacklist.disableProperty().bind(noRegular);
        enable.disableProperty().bind(noRegular);
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
                model.proxy(r.index(), proxy.getValue(), this::show);
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> showProxyOf(now));
        reply.getStyleClass().add("reply");
        ToolBar bar = new ToolBar(edit, new Separator(), blacklist, new Label("for"), blacklistSeconds, new Label("s"), enable,
                new Separator(), new Label("PROXY header"), proxy, new Separator(), reply);
        setTop(bar);
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
        if (r != null) model.blacklist(r.index(), blacklistSeconds.getValue(), this::show);
    }

    public void enable() {
        ServerRow r = selected();
        if (r != null) model.enable(r.index(), this::show);
    }

    public void edit() {
        ServerRow r = selected();
        if (r == null) return;
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Server " + r.index());
        d.setHeaderText("Edit server " + r.index() + " (" + r.address() + ":" + r.port() + ")");
        TextField address = new TextField(r.address());
        address.setId("edit-address");
        Spinner<Integer> port = intSpinner(1, 65535, r.port());
        Spinner<Integer> soft = intSpinner(0, 1_000_000, r.soft());
        Spinner<Integer> hard = intSpinner(0, 1_000_000, r.hard());
        Spinner<Integer> weight = intSpinner(0, 1_000_000, r.weight());
        Spinner<Integer> prio = intSpinner(0, 1_000_000, r.prio());
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Address"), address);
        g.addRow(1, new Label("Port"), port);
        g.addRow(2, new Label("Max connections (0 = no limit)"), soft);
        g.addRow(3, new Label("Hard limit (returning clients)"), hard);
        g.addRow(4, new Label("Weight"), weight);
        g.addRow(5, new Label("Prio (lower first)"), prio);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets()); // light or dark, as the window
        }
        d.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            try {
                model.edit(r.index(), address.getText(), port.getValue(), soft.getValue(), hard.getValue(), weight.getValue(),
                        prio.getValue(), this::show);
            } catch (IllegalArgumentException e) {
                show(Reply.error(e.getMessage()));
            }
        });
    }

    private void show(Reply r) {
        reply.setText(r.ok() ? (r.text().isBlank() ? "ok" : r.text().strip()) : r.text());
        reply.getStyleClass().setAll("reply", r.ok() ? "reply-ok" : "reply-error");
    }

    private static Spinner<Integer> intSpinner(int min, int max, int value) {
        Spinner<Integer> s = new Spinner<>(min, max, value);
        s.setEditable(true);
        return s;
    }

    private static TableColumn<ServerRow, String> column(String title, double width, Function<ServerRow, ObservableValue<String>> value) {
        TableColumn<ServerRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setSortable(false); // Pen's order is the meaning of the index
        return c;
    }

    private static TableColumn<ServerRow, ServerRow.State> stateColumn() {
        TableColumn<ServerRow, ServerRow.State> c = new TableColumn<>("State");
        c.setPrefWidth(150);
        c.setSortable(false);
        c.setCellValueFactory(f -> f.getValue().stateProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private ServerRow bound;

            @Override
            protected void updateItem(ServerRow.State state, boolean empty) {
                super.updateItem(state, empty);
                getStyleClass().removeAll("state-up", "state-blacklisted", "state-disabled", "state-emergency");
                textProperty().unbind();
                if (empty || state == null || getTableRow() == null || getTableRow().getItem() == null) {
                    setText(null);
                    return;
                }
                bound = getTableRow().getItem();
                textProperty().bind(bound.stateTextProperty());
                getStyleClass().add("state-" + state.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        return c;
    }
}
