package io.jpen.gui;

import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.testing.DemoWindow;
import io.jpen.gui.view.MainView;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --demo --screenshot DIR}: the README's pictures, every view, under the numbers the README links to. */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class ScreenshotsTest {
    private final CountDownLatch startPageShown = new CountDownLatch(1);
    private Stage stage;
    private DemoWindow demo;
    private ConsoleModel model;
    private MainView view;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoWindow(stage, 1000, 700);
        model = demo.model();
        view = demo.view();
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    void theDemosShotsIncludeTheClientsViewLightAndDarkAndTheEventsViewDarkWithoutRenumberingTheOthers(@TempDir Path dir)
            throws Exception {
        // live data first, as the long warm-up gives the README's run: clients tracked, the dead server's failure
        waitFor(() -> !model.clients().view().isEmpty() && !model.events().rows().isEmpty());
        CountDownLatch done = new CountDownLatch(1);
        WaitForAsyncUtils.asyncFx(() -> new Screenshots(stage, view, demo.theme(), dir, startPageShown::countDown)
                .run(Duration.ZERO, done::countDown));
        assertThat(done.await(90, TimeUnit.SECONDS)).as("every shot saved").isTrue();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "01-overview.png", "02-servers.png", "03-connections.png", "04-modes.png", "05-penctl.png",
                    "06-events.png", "07-overview-dark.png", "08-servers-dark.png", "09-connections-dark.png",
                    "10-penctl-dark.png", "11-start-page.png", "15-clients.png", "16-clients-dark.png",
                    "17-events-dark.png");
        }
        assertThat(startPageShown.getCount()).as("the start page shown last").isZero();
        assertThat(brightness(dir.resolve("16-clients-dark.png"))).as("the dark Clients view is darker than the light one")
                .isLessThan(brightness(dir.resolve("15-clients.png")));
        assertThat(brightness(dir.resolve("17-events-dark.png"))).as("the dark Events view is darker than the light one")
                .isLessThan(brightness(dir.resolve("06-events.png")));
    }

    /** Mean of the red, green and blue of every pixel: 0 black, 255 white. */
    private static double brightness(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as(png + " width").isEqualTo(1000);
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
            }
        }
        return sum / (3.0 * image.getWidth() * image.getHeight());
    }
}
