package io.jpen.gui.view;

import javafx.scene.Scene;

/** Light and dark appearance: Modena plus the console's own style sheet, and a dark override on top. */
public final class Theme {
    private static final String BASE = Theme.class.getResource("/io/jpen/gui/console.css").toExternalForm();
    private static final String DARK = Theme.class.getResource("/io/jpen/gui/dark.css").toExternalForm();

    private boolean dark;

    public Theme(boolean dark) {
        this.dark = dark;
    }

    public boolean dark() {
        return dark;
    }

    public void apply(Scene scene) {
        scene.getStylesheets().setAll(dark ? java.util.List.of(BASE, DARK) : java.util.List.of(BASE));
    }

    public void toggle(Scene scene) {
        dark = !dark;
        apply(scene);
    }
}
