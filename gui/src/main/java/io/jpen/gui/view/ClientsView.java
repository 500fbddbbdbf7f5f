package io.jpen.gui.view;

import atlantafx.base.controls.CustomTextField;
import io.jpen.gui.model.ClientRow;
import io.jpen.gui.model.ClientsModel;
import io.jpen.gui.model.Format;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Pen's client table: which server each client is tracked to, its traffic; forget, pin and unpin clients. */
public final class ClientsView extends BorderPane {
    private final ClientsModel model;
    private final TableView<ClientRow> table = new TableView<>();
    private final CustomTextField filter = new CustomTextField();
    private final ToggleButton top = new ToggleButton("Top talkers");

    public ClientsView(ClientsModel model) {
        this.model = model;
        table.setId("clients-table");
        table.setItems(model.view());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        table.setFixedCellSize(24);
        Label placeholder = new Label();
        placeholder.setId("clients-placeholder");
        placeholder.textProperty().bind(model.placeholderProperty());
        table.setPlaceholder(placeholder);
        table.getColumns().add(textColumn("Client", 200, ClientRow::address, r -> Bindings.createStringBinding(r::address)));
        table.getColumns().add(textColumn("Tracked to", 100, ClientRow::server, ClientRow::serverProperty));
        table.getColumns().add(textColumn("Pinned to", 100, ClientRow::pin, ClientRow::pinProperty));
        table.getColumns().add(longColumn("Live", 60, ClientRow::connections,
                r -> Bindings.createStringBinding(() -> Integer.toString(r.connections()), r.connectionsProperty())));
        table.getColumns().add(longColumn("Client → server", 110, ClientRow::bytesUp,
                r -> Bindings.createStringBinding(() -> Format.bytes(r.bytesUp()), r.bytesUpProperty())));
        table.getColumns().add(longColumn("Server → client", 110, ClientRow::bytesDown,
                r -> Bindings.createStringBinding(() -> Format.bytes(r.bytesDown()), r.bytesDownProperty())));
        table.getColumns().add(longColumn("Connects", 80, ClientRow::connects,
                r -> Bindings.createStringBinding(() -> Long.toString(r.connects()), r.connectsProperty())));
        table.getColumns().add(longColumn("Last seen", 90, r -> r.seenAgo() < 0 ? Long.MAX_VALUE : r.seenAgo(),
                r -> Bindings.createStringBinding(() -> r.seenAgo() < 0 ? "not yet" : Format.duration(r.seenAgo()) + " ago",
                        r.seenAgoProperty())));
        // the model owns the order; the table only says which one it wants
        table.setSortPolicy(t -> {
            model.sortBy(comparator(t));
            return true;
        });

        FilterFields.clearable(filter, "clients-filter", "Filter: address, server, pinned", 22);
        model.filterProperty().bind(filter.textProperty());
        top.setId("clients-top");
        top.setTooltip(new Tooltip("The " + ClientsModel.TOP + " clients that moved the most bytes, busiest first"));
        model.topTalkersProperty().bind(top.selectedProperty());

        var selected = table.getSelectionModel().getSelectedItems();
        Button forget = new Button("Forget");
        forget.setId("clients-forget");
        forget.setTooltip(new Tooltip("Drop the selected clients from the table: their next connection is chosen afresh"));
        forget.disableProperty().bind(Bindings.isEmpty(selected));
        forget.setOnAction(e -> model.forget(addresses()));
        Button pin = new Button("Pin to server…");
        pin.setId("clients-pin");
        pin.setTooltip(new Tooltip("Send the selected clients to one server whenever it can take them (kept by write)"));
        pin.disableProperty().bind(Bindings.isEmpty(selected));
        pin.setOnAction(e -> pinSelected());
        Button unpin = new Button("Unpin");
        unpin.setId("clients-unpin");
        unpin.setTooltip(new Tooltip("Hand the selected clients back to client tracking"));
        unpin.disableProperty().bind(Bindings.isEmpty(selected));
        unpin.setOnAction(e -> model.unpin(List.copyOf(table.getSelectionModel().getSelectedItems())));

        Label reply = new Label();
        reply.setId("clients-reply");
        reply.getStyleClass().add("reply");
        reply.textProperty().bind(model.notice().textProperty());
        Tones.follow(reply, model.notice().toneProperty());
        Label count = new Label();
        count.setId("clients-count");
        count.textProperty().bind(model.summaryProperty());
        setTop(new ToolBar(filter, top, new Separator(javafx.geometry.Orientation.VERTICAL), forget, pin, unpin,
                new StatusLine(reply, count)));
        setCenter(table);
    }

    public TableView<ClientRow> table() { return table; }
    public TextField filter() { return filter; }
    public ToggleButton topTalkers() { return top; }

    private List<String> addresses() {
        return table.getSelectionModel().getSelectedItems().stream().map(ClientRow::address).toList();
    }

    /** Asks which server (the balancer's servers, by number and address), then pins the selected clients to it. */
    public void pinSelected() {
        List<String> addresses = addresses();
        if (addresses.isEmpty()) return;
        ChoiceDialog<String> ask = new ChoiceDialog<>(model.serverChoices().isEmpty() ? null : model.serverChoices().get(0),
                model.serverChoices());
        ask.setTitle("Pin clients");
        ask.setHeaderText(addresses.size() == 1 ? "Pin client " + addresses.get(0) + " to which server?"
                : "Pin " + addresses.size() + " clients to which server?");
        ask.setContentText("While that server can take clients, they go there in every mode; otherwise to the next one.");
        ask.getDialogPane().setId("pin-dialog");
        if (getScene() != null) {
            ask.initOwner(getScene().getWindow());
            ask.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        ask.getDialogPane().lookupButton(javafx.scene.control.ButtonType.OK).setId("confirm-pin");
        ask.showAndWait().ifPresent(choice -> model.pin(addresses, choice));
    }

    private static Comparator<ClientRow> comparator(TableView<ClientRow> t) {
        return SortColumns.comparator(t);
    }

    private static TableColumn<ClientRow, String> textColumn(String title, double width, Function<ClientRow, String> key,
                                                             Function<ClientRow, ObservableValue<String>> value) {
        return SortColumns.text(title, width, key, value);
    }

    private static TableColumn<ClientRow, String> longColumn(String title, double width, ToLongFunction<ClientRow> key,
                                                             Function<ClientRow, ObservableValue<String>> value) {
        return SortColumns.number(title, width, key, value);
    }
}
