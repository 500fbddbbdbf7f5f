package io.jpen.gui;

import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.FleetModel;
import io.jpen.gui.view.Theme;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code --screenshot DIR} with several balancers: once they have run a while, saves the fleet overview (light and
 * dark) and the first balancer chosen in the sidebar, then exits. For the README.
 */
final class FleetScreenshots {
    private final Stage stage;
    private final FleetModel fleet;
    private final Theme theme;
    private final Path dir;

    FleetScreenshots(Stage stage, FleetModel fleet, Theme theme, Path dir) {
        this.stage = stage;
        this.fleet = fleet;
        this.theme = theme;
        this.dir = dir;
    }

    void run() {
        // the first balancer is on screen from the start, so its own charts fill during the warm-up
        List<FleetMember> m = fleet.members();
        if (!m.isEmpty()) fleet.selectedProperty().set(m.get(0));
        new ShotSequence(stage, dir, Duration.millis(1200))
                .shot("13-fleet-member.png", () -> { })
                .shot("12-fleet.png", () -> fleet.selectedProperty().set(null))
                .shot("14-fleet-dark.png", () -> theme.toggle(stage.getScene()))
                .start(Platform::exit);
    }
}
