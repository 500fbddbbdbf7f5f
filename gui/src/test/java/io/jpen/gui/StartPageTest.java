package io.jpen.gui;

import io.jpen.core.control.Penctl;
import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.app.RecentTargets;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.application.Application;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.prefs.Preferences;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;
import static io.jpen.gui.testing.Fx.doubleClick;

/**
 * The whole application from its start page or its command line: a bad Pen command line is explained, a good
 * one runs a balancer; attaches are remembered; failures stay on the page to be corrected; Ctrl+Q quits anywhere.
 * Recent targets go to a preferences node of the test's own, never the user's.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class StartPageTest {
    private static final String TOKEN = "start-page-test-token-0123456789";

    private final Preferences prefs = Preferences.userRoot().node("io/jpen/console/test-start-" + ProcessHandle.current().pid());
    private final RecentTargets recent = new RecentTargets(prefs);
    private final AtomicInteger exits = new AtomicInteger();
    private Stage stage;
    private ConsoleApp app;
    private TestBackend backend;
    private Engine engine;
    private LocalConsole local;
    private ApiServer api;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        backend = new TestBackend("alpha", TestBackend.Mode.NAME);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) WaitForAsyncUtils.asyncFx(app::stop).get(20, TimeUnit.SECONDS);
        // the application's base style is global: leave the light one for the next test
        WaitForAsyncUtils.asyncFx(() -> Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet()))
                .get(10, TimeUnit.SECONDS);
        if (api != null) api.close();
        if (local != null) local.close();
        if (engine != null) engine.close();
        backend.close();
        prefs.removeNode();
    }

    /** Starts the application as {@code jpen-console ARGS} would. */
    private void launch(String... args) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            ConsoleApp.options = LaunchOptions.parse(args);
            app = new ConsoleApp(recent, exits::incrementAndGet);
            app.start(stage);
            stage.toFront();
        }).get(20, TimeUnit.SECONDS);
    }

    /** A balancer with its API on, as {@code ./jpen --api} runs it. */
    private String api() throws IOException {
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()));
        engine.start();
        local = new LocalConsole(new Penctl(engine), Duration.ofMillis(100), 100);
        api = new ApiServer(local, ApiConfig.of(0, ApiToken.of(TOKEN))).start();
        return api.uri().toString();
    }

    private static String status(FxRobot robot) {
        return robot.lookup("#start-status").tryQuery().map(n -> ((Labeled) n).getText()).orElse("");
    }

    @Test
    void aBadCommandLineIsExplainedAndAGoodOneRunsABalancerInTheWindow(FxRobot robot) throws Exception {
        launch();
        click(robot, "#start-local-args").write("8080");
        click(robot, "#start-local");
        waitFor(() -> status(robot).contains("at least one server"));

        int port = freePort();
        doubleClick(robot, "#start-local-args").eraseText(4).write("-r 127.0.0.1:" + port + " 127.0.0.1:" + backend.port());
        click(robot, "#start-local");
        waitFor(() -> robot.lookup("#status-bar").tryQuery().isPresent());
        assertThat(TestClients.fetch(port, "")).isEqualTo("alpha\n");
        waitFor(() -> robot.lookup("#status-connection").tryQuery().map(n -> ((Labeled) n).getText()).orElse("").contains("connected"));

        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        waitFor(() -> robot.lookup("#start-demo").tryQuery().isPresent());
    }

    @Test
    void anAttachFromTheCommandLineIsRemembered(FxRobot robot) throws Exception {
        String url = api();
        launch("--attach", url, "--token", TOKEN);
        waitFor(() -> robot.lookup("#status-bar").tryQuery().isPresent());
        assertThat(recent.list()).containsExactly(url);
    }

    @Test
    void aFailedAttachFromTheCommandLineLeavesItsAddressInTheBoxAndSaysWhyInWords(FxRobot robot) throws Exception {
        recent.remember("http://127.0.0.1:9");
        String dead = "http://127.0.0.1:" + freePort();
        launch("--attach", dead);
        waitFor(() -> status(robot).startsWith("cannot attach"));
        assertThat(fx(() -> app.startPage().attachAddress())).isEqualTo(dead);
        assertThat(status(robot)).contains("cannot connect to 127.0.0.1:").doesNotContain("java.").doesNotContain("Exception");
        assertThat(recent.list()).containsExactly("http://127.0.0.1:9");
        assertThat(robot.lookup("#start-attach").queryButton().isDisabled()).as("the user can try again").isFalse();
    }

    @Test
    void aFailedAttachTypedOnTheStartPageKeepsWhatWasTyped(FxRobot robot) throws Exception {
        recent.remember("http://127.0.0.1:9");
        launch();
        String dead = "http://127.0.0.1:" + freePort();
        doubleClick(robot, "#start-attach-url").eraseText(30).write(dead);
        click(robot, "#start-attach");
        waitFor(() -> status(robot).startsWith("cannot attach"));
        assertThat(fx(() -> app.startPage().attachAddress())).isEqualTo(dead);
        assertThat(status(robot)).contains(dead);
    }

    @Test
    void ctrlQQuitsFromTheStartPage(FxRobot robot) throws Exception {
        launch();
        waitFor(() -> stage.isFocused());
        robot.press(KeyCode.CONTROL, KeyCode.Q).release(KeyCode.Q, KeyCode.CONTROL);
        waitFor(() -> exits.get() == 1);
    }

    @Test
    void theDemoCardSaysWhatTheDemoRuns(FxRobot robot) throws Exception {
        launch();
        String card = robot.lookup("#start-demo-card .hint").queryLabeled().getText();
        assertThat(card).contains("three small demo servers").contains("fourth server").contains("dead on purpose")
                .contains("nothing listens");
    }

    @Test
    void theThemeSwitchesBetweenLightAndDarkAndBack(FxRobot robot) throws Exception {
        String url = api();
        launch("--attach", url, "--token", TOKEN);
        waitFor(() -> robot.lookup("#status-bar").tryQuery().isPresent());
        // a longer bound than Fx.fx: the first main view in a test JVM styles the whole theme first, which took
        // over 10 s on a loaded 2-core machine
        javafx.scene.paint.Paint light = WaitForAsyncUtils.asyncFx(() -> background(robot)).get(60, TimeUnit.SECONDS);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(() -> !background(robot).equals(light));
        assertThat(Application.getUserAgentStylesheet()).contains("primer-dark");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor(() -> background(robot).equals(light));
        assertThat(Application.getUserAgentStylesheet()).contains("primer-light");
    }

    /** The status bar's background: the theme's subtle background colour (call on the FX thread). */
    private static javafx.scene.paint.Paint background(FxRobot robot) {
        return ((Region) robot.lookup("#status-bar").query()).getBackground().getFills().get(0).getFill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
