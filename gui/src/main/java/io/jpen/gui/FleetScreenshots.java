package io.jpen.gui;

import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.FleetModel;
import io.jpen.gui.view.FleetView;
import io.jpen.gui.view.Theme;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --screenshot DIR} with several balancers: once they have run a while, saves the fleet overview (light and
 * dark) and the first balancer chosen in the sidebar, then exits. For the README.
 */
final class FleetScreenshots {
    private static final Duration WARM_UP = Duration.seconds(Double.parseDouble(System.getProperty("jpen.screenshot.warmup", "20")));
    private static final Duration SETTLE = Duration.millis(1200);

    private final Stage stage;
    private final FleetModel fleet;
    private final FleetView view;
    private final Theme theme;
    private final Path dir;
    private final List<Runnable> steps = new ArrayList<>();

    FleetScreenshots(Stage stage, FleetModel fleet, FleetView view, Theme theme, Path dir) {
        this.stage = stage;
        this.fleet = fleet;
        this.view = view;
        this.theme = theme;
        this.dir = dir;
    }

    void run() {
        shot("fleet", () -> fleet.selectedProperty().set(null));
        shot("fleet-member", () -> {
            List<FleetMember> m = fleet.members();
            if (!m.isEmpty()) fleet.selectedProperty().set(m.get(0));
        });
        shot("fleet-dark", () -> {
            theme.toggle(stage.getScene());
            fleet.selectedProperty().set(null);
        });
        steps.add(Platform::exit);
        after(WARM_UP, 0);
    }

    private void shot(String name, Runnable prepare) {
        steps.add(prepare);
        steps.add(() -> save(name + ".png"));
    }

    private void after(Duration delay, int step) {
        PauseTransition p = new PauseTransition(delay);
        p.setOnFinished(e -> {
            try {
                steps.get(step).run();
            } catch (RuntimeException ex) {
                System.err.println("jpen-console: screenshot step failed: " + ex);
            }
            if (step + 1 < steps.size()) after(step % 2 == 0 ? SETTLE : Duration.millis(50), step + 1);
        });
        p.play();
    }

    private void save(String file) {
        try {
            Files.createDirectories(dir);
            ImageIO.write(SwingFXUtils.fromFXImage(stage.getScene().snapshot(null), null), "png", dir.resolve(file).toFile());
            System.out.println("jpen-console: saved " + dir.resolve(file));
        } catch (IOException e) {
            System.err.println("jpen-console: cannot save " + file + ": " + e.getMessage());
        }
    }
}
