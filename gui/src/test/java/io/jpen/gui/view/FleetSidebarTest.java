package io.jpen.gui.view;

import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.app.Workspaces;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.FleetModel;
import io.jpen.gui.testing.TestBackend;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;
import static io.jpen.gui.testing.Fx.doubleClick;

/** The sidebar's Add…, Remove and Save workspace…: a bad address is refused in the dialog, the saved file has no token. */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class FleetSidebarTest {
    @TempDir
    Path dir;

    private TestBackend backend;
    private Engine engine;
    private LocalConsole console;
    private FleetModel fleet;
    private FleetView view;
    private final List<BalancerSpec> added = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        backend = new TestBackend("a", TestBackend.Mode.HOLD);
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), List.of(ServerSpec.of("127.0.0.1", backend.port())),
                Settings.defaults()));
        engine.start();
        console = new LocalConsole(new io.jpen.core.control.Penctl(engine), Duration.ofMillis(100), 100);
        Workspaces workspaces = new Workspaces(dir);
        fleet = new FleetModel(new FxThread());
        fleet.add(BalancerSpec.attach("http://127.0.0.1:9090").withToken("secret-token"), Sessions.of("attach", console));
        view = new FleetView(fleet, m -> new MainView(m.model(), () -> { }, () -> { }, () -> { }), added::add,
                name -> workspaces.save(name, fleet.specs()).toString());
        Scene scene = new Scene(view, 1000, 700);
        new Theme(false).apply(scene); // as the console's window has it: fleet.css takes its tones from console.css
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            fleet.close();
        }).get(10, TimeUnit.SECONDS);
        console.close();
        engine.close();
        backend.close();
    }

    @Test
    void addRefusesABadAddressInTheDialogAndPassesAGoodOneOn(FxRobot robot) {
        click(robot, "#fleet-add");
        waitFor(() -> robot.lookup("#fleet-add-address").tryQuery().isPresent());
        click(robot, "#fleet-add-address").write("ftp://lb9");
        robot.type(KeyCode.ENTER);
        waitFor(() -> robot.lookup(".fleet-problem").queryAllAs(Label.class).stream().anyMatch(l -> l.getText().contains("not ftp")));
        assertThat(added).isEmpty();
        doubleClick(robot, "#fleet-add-address").eraseText(9).write("ssh://ops@lb9?api=9091");
        robot.type(KeyCode.ENTER);
        waitFor(() -> added.size() == 1);
        assertThat(added.get(0).address()).isEqualTo("ssh://ops@lb9?api=9091");
    }

    @Test
    void saveWritesTheWorkspaceWithoutTheTokenAndRemoveTakesABalancerOut(FxRobot robot) throws Exception {
        click(robot, "#fleet-save");
        waitFor(() -> robot.lookup("#fleet-save-dialog").tryQuery().isPresent());
        click(robot, "#fleet-save-name").write("edge");
        robot.type(KeyCode.ENTER);
        waitFor(() -> robot.lookup("#fleet-saved").queryAs(Label.class).getText().startsWith("Saved: "));
        String text = Files.readString(dir.resolve("edge.workspace"));
        assertThat(text).contains("attach http://127.0.0.1:9090\n").doesNotContain("secret-token");

        click(robot, ".fleet-member");
        waitFor(() -> fleet.selectedProperty().get() != null);
        click(robot, "#fleet-remove");
        waitFor(() -> fleet.members().isEmpty());
        assertThat(fx(() -> view.overview().getScene() != null)).isTrue();
    }
}
