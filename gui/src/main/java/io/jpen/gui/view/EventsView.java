package io.jpen.gui.view;

import io.jpen.gui.model.EventsModel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import java.util.function.Function;

/** The engine's events (server failed, client refused, setting changed), newest at the bottom. */
public final class EventsView extends BorderPane {

    public EventsView(EventsModel model) {
        TableView<EventsModel.Row> table = new TableView<>(model.rows());
        table.setId("events-table");
        table.setPlaceholder(new Label("No events yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        table.getColumns().add(column("Time", 80, EventsModel.Row::time));
        TableColumn<EventsModel.Row, String> kind = column("Kind", 120, EventsModel.Row::kind);
        kind.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                EventsModel.Row row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : text);
                if (row == null) Tones.clear(this);
                else Tones.paint(this, row.tone());
            }
        });
        table.getColumns().add(kind);
        TableColumn<EventsModel.Row, String> message = column("Message", 700, EventsModel.Row::message);
        table.getColumns().add(message);
        model.rows().addListener((javafx.collections.ListChangeListener<EventsModel.Row>) c -> {
            if (!model.rows().isEmpty()) table.scrollTo(model.rows().size() - 1);
        });
        setCenter(table);
    }

    private static TableColumn<EventsModel.Row, String> column(String title, double width, Function<EventsModel.Row, String> value) {
        TableColumn<EventsModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())).getReadOnlyProperty());
        return c;
    }
}
