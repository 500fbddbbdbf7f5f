package io.jpen.gui;

import io.jpen.gui.view.MainView;
import io.jpen.gui.view.Theme;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --screenshot DIR}: lets the session run long enough for live data, then saves a PNG of each main view
 * in the light appearance, four of them in the dark one, and the start page, and exits. For the README.
 */
final class Screenshots {
    private static final Duration WARM_UP = Duration.seconds(Double.parseDouble(System.getProperty("jpen.screenshot.warmup", "20")));
    private static final Duration SETTLE = Duration.millis(900);

    private final Stage stage;
    private final MainView main;
    private final Theme theme;
    private final Path dir;
    private final Runnable showStartPage;
    private final List<Runnable> steps = new ArrayList<>();

    Screenshots(Stage stage, MainView main, Theme theme, Path dir, Runnable showStartPage) {
        this.stage = stage;
        this.main = main;
        this.theme = theme;
        this.dir = dir;
        this.showStartPage = showStartPage;
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
        steps.add(Platform::exit);
        after(WARM_UP, 0);
    }

    /** Types a command into the penctl pane, as a user would. */
    private void penctl(String line) {
        main.penctl().input().setText(line);
        main.penctl().input().fireEvent(new javafx.event.ActionEvent());
    }

    private void shot(String name, Runnable prepare) {
        int n = steps.size() / 2 + 1;
        steps.add(prepare);
        steps.add(() -> save(String.format("%02d-%s.png", n, name)));
    }

    private void after(Duration delay, int step) {
        PauseTransition p = new PauseTransition(delay);
        p.setOnFinished(e -> {
            try {
                steps.get(step).run();
            } catch (RuntimeException ex) {
                System.err.println("jpen-console: screenshot step failed: " + io.jpen.core.model.Reasons.words(ex));
            }
            if (step + 1 < steps.size()) after(step % 2 == 0 ? SETTLE : Duration.millis(50), step + 1);
        });
        p.play();
    }

    private void save(String file) {
        WritableImage image = stage.getScene().snapshot(null);
        try {
            Files.createDirectories(dir);
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(file).toFile());
            System.out.println("jpen-console: saved " + dir.resolve(file));
        } catch (IOException e) {
            System.err.println("jpen-console: cannot save " + file + ": " + e.getMessage());
        }
    }
}
