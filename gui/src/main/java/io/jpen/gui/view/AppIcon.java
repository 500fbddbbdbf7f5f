package io.jpen.gui.view;

import io.jpen.icons.Icons;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** The jpen icon from the icons module, in every size it ships, so the desktop picks the best fit. */
public final class AppIcon {
    private AppIcon() {}

    public static void apply(Stage stage) {
        for (int size : Icons.SIZES) {
            if (size <= 256) stage.getIcons().add(new Image(Icons.url(size).toExternalForm()));
        }
    }
}
