package io.jpen.gui.view;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

import java.util.List;

/**
 * Light and dark appearance: AtlantaFX's Primer light or dark as the application's base style, and the console's
 * one stylesheet on top. That stylesheet takes every colour from the theme's semantic colours, so switching the
 * base is all a switch of appearance needs.
 */
public final class Theme {
    private static final String CONSOLE = Theme.class.getResource("/io/jpen/gui/console.css").toExternalForm();

    private boolean dark;

    public Theme(boolean dark) {
        this.dark = dark;
    }

    public boolean dark() {
        return dark;
    }

    public void apply(Scene scene) {
        // the base style is the application's (dialogs and pop-ups follow it without being told)
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        scene.getStylesheets().setAll(List.of(CONSOLE));
    }

    public void toggle(Scene scene) {
        dark = !dark;
        apply(scene);
    }
}
