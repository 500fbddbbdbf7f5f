package io.jpen.gui.view;

import atlantafx.base.controls.CustomTextField;
import io.jpen.gui.model.EventsModel;
import io.jpen.gui.model.Tone;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The engine's events (server failed, client refused, setting changed) and the console's own (contact lost, the
 * balancer restarted), newest at the bottom: narrowed by kind and search text, copied, exported as text or CSV.
 */
public final class EventsView extends BorderPane {
    private final EventsModel model;
    private final TableView<EventsModel.Row> table;
    private final CustomTextField search = new CustomTextField();
    private final MenuButton kinds = new MenuButton("Kinds");
    private final Label reply = new Label();
    /** Where an export goes: asks with a file chooser; tests put their own answer in. */
    private Function<Window, Path> exportTarget = EventsView::askForFile;

    public EventsView(EventsModel model) {
        this.model = model;
        table = new TableView<>(model.view());
        table.setId("events-table");
        Label placeholder = new Label();
        placeholder.setId("events-placeholder");
        placeholder.textProperty().bind(model.placeholderProperty());
        table.setPlaceholder(placeholder);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getStyleClass().add("dense");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
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
        model.view().addListener((ListChangeListener<EventsModel.Row>) c -> {
            if (!model.view().isEmpty()) table.scrollTo(model.view().size() - 1);
        });
        KeyCombination copyKey = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        table.setOnKeyPressed(e -> {
            if (copyKey.match(e)) {
                copySelected();
                e.consume();
            }
        });

        FilterFields.clearable(search, "events-search", "Search events", 24);
        model.searchProperty().bind(search.textProperty());
        kinds.setId("events-kinds");
        kinds.setTooltip(new Tooltip("Which kinds of event to show"));
        model.kinds().addListener((ListChangeListener<String>) c -> rebuildKinds());
        rebuildKinds();

        Button copy = new Button("Copy");
        copy.setId("events-copy");
        copy.setTooltip(new Tooltip("Copy the selected events as text (Ctrl+C)"));
        copy.disableProperty().bind(Bindings.isEmpty(table.getSelectionModel().getSelectedItems()));
        copy.setOnAction(e -> copySelected());
        Button export = new Button("Export…");
        export.setId("events-export");
        export.setTooltip(new Tooltip("Save the events shown to a file: plain text, or CSV when the name ends in .csv"));
        export.disableProperty().bind(Bindings.isEmpty(model.view()));
        export.setOnAction(e -> export());
        reply.setId("events-reply");
        reply.getStyleClass().add("reply");
        Label count = new Label();
        count.setId("events-count");
        count.textProperty().bind(Bindings.createStringBinding(() -> model.view().size() == model.rows().size()
                ? model.rows().size() + " events" : model.view().size() + " of " + model.rows().size() + " events",
                model.view(), model.rows()));
        setTop(new ToolBar(search, kinds, copy, export, new StatusLine(reply, count)));
        setCenter(table);
    }

    public TableView<EventsModel.Row> table() { return table; }
    public MenuButton kinds() { return kinds; }

    /** Where {@link #export} writes (tests answer instead of the file chooser). */
    public void exportTarget(Function<Window, Path> target) {
        this.exportTarget = target;
    }

    private void rebuildKinds() {
        List<CheckMenuItem> items = model.kinds().stream().map(k -> {
            CheckMenuItem item = new CheckMenuItem(k);
            item.setId("events-kind-" + k);
            item.setSelected(model.showing(k));
            item.selectedProperty().addListener((o, a, on) -> model.show(k, on));
            return item;
        }).toList();
        kinds.getItems().setAll(items);
    }

    /** Copies the selected events, one line each, to the system clipboard. */
    public void copySelected() {
        List<EventsModel.Row> selected = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (selected.isEmpty()) return;
        ClipboardContent content = new ClipboardContent();
        content.putString(EventsModel.text(selected));
        javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        say((selected.size() == 1 ? "copied 1 event" : "copied " + selected.size() + " events"), Tone.OK);
    }

    /** Asks where, then writes the events shown there. */
    public void export() {
        Path file = exportTarget.apply(getScene() == null ? null : getScene().getWindow());
        if (file == null) return;
        try {
            int n = model.export(file);
            say("saved " + n + (n == 1 ? " event" : " events") + " to " + file, Tone.OK);
        } catch (IOException | RuntimeException e) {
            say("could not save to " + file + ": " + io.jpen.core.model.Reasons.words(e), Tone.DANGER);
        }
    }

    private void say(String text, Tone tone) {
        reply.setText(text);
        Tones.paint(reply, tone);
    }

    private static Path askForFile(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export events");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Plain text", "*.txt", "*.log"),
                new FileChooser.ExtensionFilter("CSV", "*.csv"));
        chooser.setInitialFileName("jpen-events.txt");
        File f = chooser.showSaveDialog(owner);
        return f == null ? null : f.toPath();
    }

    private static TableColumn<EventsModel.Row, String> column(String title, double width, Function<EventsModel.Row, String> value) {
        TableColumn<EventsModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())).getReadOnlyProperty());
        return c;
    }
}
