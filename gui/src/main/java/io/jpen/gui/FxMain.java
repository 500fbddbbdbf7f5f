package io.jpen.gui;

import javafx.application.Application;

/** The hop from the plain launcher into JavaFX; loaded only once a display is known to be there. */
final class FxMain {
    private FxMain() {}

    static void launch(LaunchOptions options) {
        ConsoleApp.options = options;
        Application.launch(ConsoleApp.class);
    }
}
