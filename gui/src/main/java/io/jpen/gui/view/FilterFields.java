package io.jpen.gui.view;

import atlantafx.base.controls.CustomTextField;
import javafx.scene.control.Button;

/** The filter box the tables share: a prompt and a ✕ that clears it, shown only while there is text. */
final class FilterFields {
    private FilterFields() {}

    /** Sets up {@code field} as {@code id} with a clear button {@code id-clear}; returns it. */
    static CustomTextField clearable(CustomTextField field, String id, String prompt, int columns) {
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(columns);
        Button clear = new Button("✕");
        clear.setId(id + "-clear");
        clear.getStyleClass().addAll("flat", "small");
        clear.setFocusTraversable(false);
        clear.setOnAction(e -> field.clear());
        clear.visibleProperty().bind(field.textProperty().isNotEmpty());
        field.setRight(clear);
        return field;
    }
}
