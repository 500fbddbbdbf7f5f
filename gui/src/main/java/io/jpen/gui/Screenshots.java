package io.jpen.gui;

import io.jpen.gui.view.MainView;
import io.jpen.gui.view.Theme;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;

/**
 * {@code --screenshot DIR}: lets the session run long enough for live data, then saves a PNG of each main view
 * in the light appearance, four of them in the dark one, and the start page, and exits. For the README.
 */
final class Screenshots {
    private final Stage stage;
    private final MainView main;
    private final Theme theme;
    private final Runnable showStartPage;
    private final ShotSequence shots;

    Screenshots(Stage stage, MainView main, Theme theme, Path dir, Runnable showStartPage) {
        this.stage = stage;
        this.main = main;
        this.theme = theme;
        this.showStartPage = showStartPage;
        this.shots = new ShotSequence(stage, dir, Duration.millis(900));
    }

    void run() {
        shot("overview", () -> main.show(MainView.Page.OVERVIEW));
        shot("servers", () -> {
            main.show(MainView.Page.SERVERS);
            main.servers().table().getSelectionModel().select(0);
        });
        shot("connections", () -> {
            main.show(MainView.Page.CONNECTIONS);
            main.connections().table().getSelectionModel().selectRange(1, 3);
        });
        shot("modes", () -> {
            penctl("idlers 2");
            penctl("tcp_nodelay");
            main.show(MainView.Page.MODES);
        });
        shot("penctl", () -> {
            main.show(MainView.Page.PENCTL);
            penctl("servers");
            penctl("mode");
            penctl("tcp_fastclose sideways");
        });
        shot("events", () -> main.show(MainView.Page.EVENTS));
        // the same console in the dark appearance
        shot("overview-dark", () -> {
            theme.toggle(stage.getScene());
            main.show(MainView.Page.OVERVIEW);
        });
        shot("servers-dark", () -> main.show(MainView.Page.SERVERS));
        shot("connections-dark", () -> main.show(MainView.Page.CONNECTIONS));
        shot("penctl-dark", () -> main.show(MainView.Page.PENCTL));
        shot("start-page", () -> {
            theme.toggle(stage.getScene());
            showStartPage.run();
        });
        shots.start(Platform::exit);
    }

    /** Types a command into the penctl pane, as a user would. */
    private void penctl(String line) {
        main.penctl().input().setText(line);
        main.penctl().input().fireEvent(new javafx.event.ActionEvent());
    }

    /** Numbered in order: 01-overview.png, 02-servers.png, … */
    private void shot(String name, Runnable prepare) {
        shots.shot(String.format("%02d-%s.png", shots.count() + 1, name), prepare);
    }
}
