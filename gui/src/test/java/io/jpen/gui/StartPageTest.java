package io.jpen.gui;

import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
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
import java.util.concurrent.TimeUnit;

import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole application from its start page: a bad Pen command line is explained, a good one runs a balancer. */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class StartPageTest {
    private ConsoleApp app;
    private TestBackend backend;

    @Start
    void start(Stage stage) throws IOException {
        backend = new TestBackend("alpha", TestBackend.Mode.NAME);
        ConsoleApp.options = LaunchOptions.parse();
        app = new ConsoleApp();
        app.start(stage);
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(app::stop).get(20, TimeUnit.SECONDS);
        backend.close();
    }

    @Test
    void aBadCommandLineIsExplainedAndAGoodOneRunsABalancerInTheWindow(FxRobot robot) throws IOException {
        robot.clickOn("#start-local-args").write("8080");
        robot.clickOn("#start-local");
        waitFor(() -> robot.lookup("#start-status").queryLabeled().getText().contains("at least one server"));

        int port = freePort();
        robot.doubleClickOn("#start-local-args").eraseText(4).write("-r 127.0.0.1:" + port + " 127.0.0.1:" + backend.port());
        robot.clickOn("#start-local");
        waitFor(() -> robot.lookup("#status-bar").tryQuery().isPresent());
        assertThat(TestClients.fetch(port, "")).isEqualTo("alpha\n");
        waitFor(() -> robot.lookup("#status-connection").tryQuery().map(n -> ((Labeled) n).getText()).orElse("").contains("connected"));

        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        waitFor(() -> robot.lookup("#start-demo").tryQuery().isPresent());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
