package io.jpen.gui.view;

import io.jpen.gui.model.Format;
import io.jpen.gui.model.ServerEdit;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.model.ServersModel;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
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

/** The servers table with Pen's columns and a coloured state, plus edit, blacklist and re-enable. */
public final class ServersView extends BorderPane {
    private final ServersModel model;
    private final TableView<ServerRow> table = new TableView<>();
    private final Spinner<Integer> blacklistSeconds = new Spinner<>(0, 86_400, 30, 5);
    private final Label reply = new Label();

    public ServersView(ServersModel model) {
        this.model = model;
        getStyleClass().add("servers");
        table.setId("servers-table");
        table.setItems(model.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        table.setPlaceholder(new Label("No servers yet"));
        table.getColumns().add(column("#", 34, r -> Bindings.createStringBinding(() -> r.emergency() ? "e" : Integer.toString(r.index()))));
        TableColumn<ServerRow, String> name = column("Name", 120, ServerRow::nameProperty);
        name.visibleProperty().bind(model.namedProperty()); // only sessions that name their servers (the demo)
        table.getColumns().add(name);
        table.getColumns().add(column("Address", 90, ServerRow::addressProperty));
        table.getColumns().add(column("Port", 58, r -> r.portProperty().asString()));
        table.getColumns().add(stateColumn());
        table.getColumns().add(column("Conn", 52, r -> r.connectionsProperty().asString()));
        table.getColumns().add(column("Max", 46, r -> r.softProperty().asString()));
        table.getColumns().add(column("Hard", 50, r -> r.hardProperty().asString()));
        table.getColumns().add(column("Weight", 66, r -> r.weightProperty().asString()));
        table.getColumns().add(column("Prio", 48, r -> r.prioProperty().asString()));
        table.getColumns().add(column("Total", 60, r -> r.totalProperty().asString()));
        table.getColumns().add(column("Failed", 62, r -> r.failuresProperty().asString()));
        table.getColumns().add(column("Sent (sx)", 80, r -> Bindings.createStringBinding(() -> Format.bytes(r.sent()), r.sentProperty())));
        table.getColumns().add(column("Received (rx)", 110, r -> Bindings.createStringBinding(() -> Format.bytes(r.received()), r.receivedProperty())));
        table.getColumns().add(column("Sent/s", 82, r -> Bindings.createStringBinding(() -> Format.rate(r.sentRateProperty().get()), r.sentRateProperty())));
        table.getColumns().add(column("Received/s", 96, r -> Bindings.createStringBinding(() -> Format.rate(r.receivedRateProperty().get()), r.receivedRateProperty())));
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
        reply.setId("servers-reply");
        reply.getStyleClass().add("reply");
        reply.textProperty().bind(model.notice().textProperty());
        Tones.follow(reply, model.notice().toneProperty());
        ToolBar bar = new ToolBar(edit, new Separator(javafx.geometry.Orientation.VERTICAL), blacklist, new Label("for"), blacklistSeconds, new Label("s"), enable,
                new Separator(javafx.geometry.Orientation.VERTICAL), reply);
        setTop(bar);
        setCenter(table);
    }

    public TableView<ServerRow> table() {
        return table;
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

    /** Opens the edit dialog on the selected server; OK sends one command (see {@link ServerEdit}). */
    public void edit() {
        ServerRow r = selected();
        if (r == null) return;
        new ServerEditDialog(model.edit(r), r, getScene() == null ? null : getScene().getWindow()).showAndWait();
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
        c.setPrefWidth(130);
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
            }
        });
        return c;
    }
}
