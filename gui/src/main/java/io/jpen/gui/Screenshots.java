package io.jpen.gui;

import io.jpen.gui.view.MainView;
import io.jpen.gui.view.Theme;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;

/**
 * {@code --screenshot DIR}: lets the session run long enough for live data, then saves a PNG of each main view
 * in the light appearance, six of them in the dark one, and the start page, and exits. For the README.
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
        run(ShotSequence.WARM_UP, Platform::exit);
    }

    /** Takes the shots after {@code warmUp}; {@code last} runs once all are saved and the start page shows. */
    void run(Duration warmUp, Runnable last) {
        shot(1, "overview", () -> main.show(MainView.Page.OVERVIEW));
        shot(2, "servers", () -> {
            main.show(MainView.Page.SERVERS);
            main.servers().table().getSelectionModel().select(0);
        });
        shot(3, "connections", () -> {
            main.show(MainView.Page.CONNECTIONS);
            main.connections().table().getSelectionModel().selectRange(1, 3);
        });
        shot(4, "modes", () -> {
            penctl("idlers 2");
            penctl("tcp_nodelay");
            main.show(MainView.Page.MODES);
        });
        shot(5, "penctl", () -> {
            main.show(MainView.Page.PENCTL);
            penctl("servers");
            penctl("mode");
            penctl("tcp_fastclose sideways");
        });
        shot(6, "events", () -> main.show(MainView.Page.EVENTS));
        // the Clients view came later than the numbers above: its files follow the fleet's (12-14)
        shot(15, "clients", () -> main.show(MainView.Page.CLIENTS));
        // the same console in the dark appearance
        shot(7, "overview-dark", () -> {
            theme.toggle(stage.getScene());
            main.show(MainView.Page.OVERVIEW);
        });
        shot(8, "servers-dark", () -> main.show(MainView.Page.SERVERS));
        shot(9, "connections-dark", () -> main.show(MainView.Page.CONNECTIONS));
        shot(10, "penctl-dark", () -> main.show(MainView.Page.PENCTL));
        shot(16, "clients-dark", () -> main.show(MainView.Page.CLIENTS));
        shot(17, "events-dark", () -> main.show(MainView.Page.EVENTS));
        shot(11, "start-page", () -> {
            theme.toggle(stage.getScene());
            showStartPage.run();
        });
        shots.start(warmUp, last);
    }

    /** Types a command into the penctl pane, as a user would. */
    private void penctl(String line) {
        main.penctl().input().setText(line);
        main.penctl().input().fireEvent(new javafx.event.ActionEvent());
    }

    /**
     * Saved as {@code NN-name.png}: the numbers stay those the README links to, so a view added later gets the
     * next free number wherever it falls in the sequence.
     */
    private void shot(int number, String name, Runnable prepare) {
        shots.shot(String.format("%02d-%s.png", number, name), prepare);
    }
}
