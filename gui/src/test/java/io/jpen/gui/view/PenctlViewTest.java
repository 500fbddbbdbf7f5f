package io.jpen.gui.view;

import io.jpen.core.control.Penctl;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.Commands;
import io.jpen.gui.model.ConsoleModel;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** The penctl prompt against a balancer with many servers, whose {@code servers} reply is longer than the window. */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class PenctlViewTest {
    private static final int SERVERS = 60;

    private Engine engine;
    private LocalConsole console;
    private ConsoleModel model;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) servers.add(ServerSpec.of("127.0.0.1", 20_000 + i)); // never connected to
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), servers, Settings.defaults()));
        engine.start();
        console = new LocalConsole(new Penctl(engine), Duration.ofMillis(100), 100);
        model = new ConsoleModel(console, new FxThread()).start();
        view = new MainView(model, () -> { }, () -> { }, () -> { });
        Scene scene = new Scene(view, 1000, 640);
        new Theme(false).apply(scene);
        stage.setScene(scene);
        stage.show();
        stage.toFront();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            model.close();
        });
        console.close();
        engine.close();
    }

    @Test
    void theTranscriptShowsTheEndOfALongReply(FxRobot robot) {
        waitFor(() -> stage.isFocused());
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        for (String line : List.of("mode", "blacklist", "servers")) {
            robot.write(line).type(KeyCode.ENTER);
            waitFor(() -> {
                List<Commands.Entry> t = model.commands().transcript();
                return !t.isEmpty() && t.get(t.size() - 1).line().equals(line) && t.get(t.size() - 1).reply() != null;
            });
        }
        // the last lines of the reply (server 59) are on screen, right above the prompt
        waitFor(() -> {
            ListView<?> list = (ListView<?>) robot.lookup("#penctl-transcript").query();
            Bounds viewport = list.localToScene(list.getLayoutBounds());
            ListCell<?> last = lastCell(robot, list);
            if (last == null || !last.isVisible()) return false;
            Bounds cell = last.localToScene(last.getLayoutBounds());
            return cell.getMaxY() <= viewport.getMaxY() + 1 && cell.getMaxY() >= viewport.getMaxY() - 40;
        });
        assertThat(fx(() -> lastCell(robot, (ListView<?>) robot.lookup("#penctl-transcript").query()).getText()))
                .contains((SERVERS - 1) + " addr 127.0.0.1 port " + (20_000 + SERVERS - 1));
    }

    /** The cell that shows the newest entry (call on the FX thread). */
    private static ListCell<?> lastCell(FxRobot robot, ListView<?> list) {
        int last = list.getItems().size() - 1;
        for (Node n : robot.from(list).lookup(".list-cell").queryAll()) {
            if (n instanceof ListCell<?> c && c.getIndex() == last && !c.isEmpty()) return c;
        }
        return null;
    }
}
