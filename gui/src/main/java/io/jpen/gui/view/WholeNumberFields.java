package io.jpen.gui.view;

import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.util.StringConverter;

/**
 * Editable whole-number spinners whose typed text that is no number (an emptied field) keeps the value shown before,
 * as the arrows would. JavaFX's own converter made such text null, and whatever read the value then threw on the FX
 * thread.
 */
final class WholeNumberFields {
    private WholeNumberFields() {}

    /** Makes {@code s} editable, keeping its value on text that is no number and showing that value again. */
    static Spinner<Integer> editable(Spinner<Integer> s) {
        s.setEditable(true);
        SpinnerValueFactory<Integer> factory = s.getValueFactory();
        factory.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : v.toString();
            }

            @Override
            public Integer fromString(String text) {
                try {
                    return Integer.valueOf(text.strip());
                } catch (NumberFormatException e) {
                    return factory.getValue();
                }
            }
        });
        // the spinner commits the text as the field is left; a value kept does not change, so the field shows it again
        s.getEditor().focusedProperty().addListener((o, was, now) -> {
            if (!now) s.getEditor().setText(factory.getConverter().toString(factory.getValue()));
        });
        return s;
    }
}
