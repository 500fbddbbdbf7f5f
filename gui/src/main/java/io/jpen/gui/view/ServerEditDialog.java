package io.jpen.gui.view;

import io.jpen.gui.model.ServerEdit;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.model.Tone;
import javafx.beans.property.IntegerProperty;
import javafx.beans.value.ObservableValue;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * "Edit server N": the fields of a {@link ServerEdit}, its hints under the weight and prio (they have no effect
 * unless that selection is on), and what is wrong with the form; OK sends the change, or stays open when it cannot.
 */
final class ServerEditDialog extends Dialog<ButtonType> {

    ServerEditDialog(ServerEdit form, ServerRow row, Window owner) {
        setTitle("Server " + form.index());
        setHeaderText("Edit server " + form.index() + (row.name().isEmpty() ? "" : " “" + row.name() + "”")
                + " (" + row.address() + ":" + row.port() + ")");
        TextField address = new TextField();
        address.setId("edit-address");
        address.textProperty().bindBidirectional(form.addressProperty());
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(6);
        g.setPadding(new Insets(10));
        int r = 0;
        g.addRow(r++, new Label("Address"), address);
        g.addRow(r++, new Label("Port"), spinner("edit-port", 1, 65535, form.portProperty()));
        g.addRow(r++, new Label("Max connections (0 = no limit)"), spinner("edit-max", 0, 1_000_000, form.softProperty()));
        g.addRow(r++, new Label("Hard limit (returning clients)"), spinner("edit-hard", 0, 1_000_000, form.hardProperty()));
        g.addRow(r++, new Label("Weight"), spinner("edit-weight", 0, 1_000_000, form.weightProperty()));
        g.add(hint("edit-weight-hint", form.weightHintProperty()), 1, r++);
        g.addRow(r++, new Label("Prio (lower first)"), spinner("edit-prio", 0, 1_000_000, form.prioProperty()));
        g.add(hint("edit-prio-hint", form.prioHintProperty()), 1, r++);
        Label error = hint("edit-error", form.errorProperty());
        Tones.paint(error, Tone.DANGER);
        g.add(error, 0, r, 2, 1);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("edit-ok");
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            if (!form.save()) e.consume(); // stays open: the error line says what to fix
        });
        if (owner != null) {
            initOwner(owner);
            if (owner.getScene() != null) getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
    }

    private static Spinner<Integer> spinner(String id, int min, int max, IntegerProperty value) {
        Spinner<Integer> s = new Spinner<>(min, max, value.get());
        s.setId(id);
        s.valueProperty().addListener((o, was, now) -> value.set(now));
        // typed text counts once the field is left, as a click on OK does
        s.getEditor().focusedProperty().addListener((o, was, now) -> {
            if (!now) s.increment(0);
        });
        WholeNumberFields.editable(s);
        return s;
    }

    private static Label hint(String id, ObservableValue<String> text) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(360);
        l.textProperty().bind(text);
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        Tones.paint(l, Tone.WARNING);
        return l;
    }
}
