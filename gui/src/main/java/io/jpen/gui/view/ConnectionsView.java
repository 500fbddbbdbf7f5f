package io.jpen.gui.view;

import io.jpen.gui.model.ConnectionRow;
import io.jpen.gui.model.ConnectionsModel;
import io.jpen.gui.model.Format;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import atlantafx.base.controls.CustomTextField;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Live connections: filter, sort, multi-select, close with confirmation, pause. */
public final class ConnectionsView extends BorderPane {
    private final ConnectionsModel model;
    private final TableView<ConnectionRow> table = new TableView<>();
    private final CustomTextField filter = new CustomTextField();
    private final ToggleButton pause = new ToggleButton("Pause updates");
    private final Label reply = new Label();
    private final Label detail = new Label();

    public ConnectionsView(ConnectionsModel model) {
        this.model = model;
        table.setId("connections-table");
        table.setItems(model.view());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        Label placeholder = new Label();
        placeholder.setId("connections-placeholder");
        placeholder.textProperty().bind(model.placeholderProperty());
        table.setPlaceholder(placeholder);
        // rows of one height: the virtual flow then need not measure rows to size the scroll bar, which with
        // thousands of rows otherwise costs more than the rest of the tick
        table.setFixedCellSize(24);
        table.getColumns().add(longColumn("Id", 60, r -> r.id(), r -> Bindings.createStringBinding(() -> Integer.toString(r.id()))));
        table.getColumns().add(textColumn("Client", 170, ConnectionRow::client, ConnectionRow::clientProperty));
        table.getColumns().add(textColumn("Via (PROXY)", 130, ConnectionRow::via, ConnectionRow::viaProperty));
        table.getColumns().add(textColumn("Proto", 50, ConnectionRow::protocol, r -> Bindings.createStringBinding(r::protocol)));
        table.getColumns().add(textColumn("Server", 90, ConnectionRow::server, ConnectionRow::serverProperty));
        table.getColumns().add(textColumn("State", 100, ConnectionRow::state, ConnectionRow::stateProperty));
        table.getColumns().add(longColumn("Age", 80, ConnectionRow::age,
                r -> Bindings.createStringBinding(() -> Format.duration(r.age()), r.ageProperty())));
        table.getColumns().add(longColumn("Idle", 80, ConnectionRow::idle,
                r -> Bindings.createStringBinding(() -> Format.duration(r.idle()), r.idleProperty())));
        table.getColumns().add(longColumn("Client → server", 110, ConnectionRow::bytesUp,
                r -> Bindings.createStringBinding(() -> Format.bytes(r.bytesUp()), r.bytesUpProperty())));
        table.getColumns().add(longColumn("Server → client", 110, ConnectionRow::bytesDown,
                r -> Bindings.createStringBinding(() -> Format.bytes(r.bytesDown()), r.bytesDownProperty())));
        // the model owns the sorted list; the table only says which order it wants
        table.setSortPolicy(t -> {
            model.sortBy(comparator(t));
            return true;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                closeSelected();
                e.consume();
            }
        });

        FilterFields.clearable(filter, "connections-filter", "Filter: id, client, server, state  (Ctrl+F)", 26);
        model.filterProperty().bind(filter.textProperty());
        pause.setId("connections-pause");
        pause.setTooltip(new Tooltip("Freeze the table to read it; the balancer keeps running (Ctrl+P)"));
        model.pausedProperty().bind(pause.selectedProperty());
        Button close = new Button("Close selected…");
        close.setId("connections-close");
        close.setTooltip(new Tooltip("Close the selected connections (Delete)"));
        close.disableProperty().bind(Bindings.isEmpty(table.getSelectionModel().getSelectedItems()));
        close.setOnAction(e -> closeSelected());
        Label count = new Label();
        count.textProperty().bind(Bindings.createStringBinding(() -> {
            int shown = model.view().size();
            int listed = model.listedProperty().get();
            String s = model.totalProperty().get() + " live";
            if (model.truncatedProperty().get()) s += " (listing the newest " + listed + ")";
            if (shown != listed) s += ", " + shown + " match";
            return s;
        }, model.view(), model.totalProperty(), model.listedProperty(), model.truncatedProperty()));
        reply.setId("connections-reply");
        reply.getStyleClass().add("reply");
        reply.textProperty().bind(model.notice().textProperty());
        Tones.follow(reply, model.notice().toneProperty());
        setTop(new ToolBar(filter, pause, new Separator(javafx.geometry.Orientation.VERTICAL), close, new StatusLine(reply, count)));
        // the selected connection's story under the table; it stays when its row goes (the connection ended), so
        // how it ended can be read
        table.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
            if (row != null) model.select(row.id());
        });
        detail.setId("connection-detail");
        detail.getStyleClass().add("connection-detail");
        detail.textProperty().bind(model.detailTextProperty());
        detail.setWrapText(true);
        detail.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        detail.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        detail.setPadding(new javafx.geometry.Insets(8, 12, 8, 12));
        javafx.scene.control.ScrollPane story = new javafx.scene.control.ScrollPane(detail);
        story.setFitToWidth(true);
        javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(table, story);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.7);
        setCenter(split);
    }

    /** The selected connection's story, line by line. */
    public Label detail() { return detail; }

    public TableView<ConnectionRow> table() { return table; }
    public TextField filter() { return filter; }
    public ToggleButton pause() { return pause; }

    /** Asks, then sends {@code close N} for every selected connection. */
    public void closeSelected() {
        List<Integer> ids = table.getSelectionModel().getSelectedItems().stream().map(ConnectionRow::id).toList();
        if (ids.isEmpty()) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.setTitle("Close connections");
        confirm.setHeaderText(ids.size() == 1 ? "Close connection " + ids.get(0) + "?" : "Close " + ids.size() + " connections?");
        confirm.setContentText("The client and the server each see the connection end. Other connections are not touched.");
        if (getScene() != null) {
            confirm.initOwner(getScene().getWindow());
            confirm.getDialogPane().getStylesheets().setAll(getScene().getStylesheets()); // light or dark, as the window
        }
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-close");
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> model.close(ids));
    }

    private static Comparator<ConnectionRow> comparator(TableView<ConnectionRow> t) {
        return SortColumns.comparator(t);
    }

    private static TableColumn<ConnectionRow, String> textColumn(String title, double width, Function<ConnectionRow, String> key,
                                                             Function<ConnectionRow, ObservableValue<String>> value) {
        return SortColumns.text(title, width, key, value);
    }

    private static TableColumn<ConnectionRow, String> longColumn(String title, double width, ToLongFunction<ConnectionRow> key,
                                                             Function<ConnectionRow, ObservableValue<String>> value) {
        return SortColumns.number(title, width, key, value);
    }
}
