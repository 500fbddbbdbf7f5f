package io.jpen.gui;

import javafx.animation.PauseTransition;
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
 * Screenshots of the window for the README: after a warm-up (live data), each step prepares the window, waits for
 * it to settle and saves a PNG; the last step runs when all are saved. On the FX thread, paced by pause
 * transitions, never by sleeping.
 */
final class ShotSequence {
    /** How long the window runs before the first shot: {@code -Djpen.screenshot.warmup=SECONDS} (default 20). */
    static final Duration WARM_UP = Duration.seconds(Double.parseDouble(System.getProperty("jpen.screenshot.warmup", "20")));

    private final Stage stage;
    private final Path dir;
    private final Duration settle;
    private final List<Runnable> steps = new ArrayList<>();

    ShotSequence(Stage stage, Path dir, Duration settle) {
        this.stage = stage;
        this.dir = dir;
        this.settle = settle;
    }

    /** Prepares the window with {@code prepare}, then saves it as {@code file} in the folder. */
    ShotSequence shot(String file, Runnable prepare) {
        steps.add(prepare);
        steps.add(() -> save(file));
        return this;
    }

    /** How many shots so far. */
    int count() {
        return steps.size() / 2;
    }

    /** Starts after the warm-up; {@code last} runs once every shot is saved. */
    void start(Runnable last) {
        start(WARM_UP, last);
    }

    /** Starts after {@code warmUp} (a test's short one); {@code last} runs once every shot is saved. */
    void start(Duration warmUp, Runnable last) {
        steps.add(last);
        after(warmUp, 0);
    }

    private void after(Duration delay, int step) {
        PauseTransition p = new PauseTransition(delay);
        p.setOnFinished(e -> {
            try {
                steps.get(step).run();
            } catch (RuntimeException ex) {
                System.err.println("jpen-console: screenshot step failed: " + io.jpen.core.model.Reasons.words(ex));
            }
            if (step + 1 < steps.size()) after(step % 2 == 0 ? settle : Duration.millis(50), step + 1);
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
