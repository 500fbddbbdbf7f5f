package io.jpen.gui.view;

import io.jpen.gui.app.Sessions;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.model.EventsModel;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.testing.DemoWindow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo in the console window: it shows the servers it says it has, and why one of them keeps failing. */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class DemoTest {
    private DemoWindow demo;
    private ConsoleModel model;
    private MainView view;

    @Start
    void start(Stage stage) {
        demo = new DemoWindow(stage, 1200, 800);
        model = demo.model();
        view = demo.view();
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    void theDemosFourthServerIsNamedAsDeadOnPurposeAndItsFailuresReadAsSentences(FxRobot robot) {
        waitFor(() -> view.servers().table().getItems().size() == 4);
        List<ServerRow> rows = fx(() -> List.copyOf(view.servers().table().getItems()));
        assertThat(fx(() -> rows.stream().map(ServerRow::name).toList()))
                .containsExactly("alpha", "beta", "gamma", Sessions.DEAD_ON_PURPOSE);
        assertThat(fx(() -> view.servers().table().getColumns().get(1).isVisible())).as("the name column").isTrue();
        waitFor(() -> robot.lookup("#flow-server-3 .flow-title").queryLabeled().getText().equals("3 · " + Sessions.DEAD_ON_PURPOSE));

        // the load generator soon tries it: the events say so in words
        waitFor(() -> model.events().rows().stream().anyMatch(r -> r.kind().equals("server-failed")));
        EventsModel.Row failed = fx(() -> model.events().rows().stream().filter(r -> r.kind().equals("server-failed")).findFirst().orElseThrow());
        assertThat(failed.message()).isEqualTo("server 3 (127.0.0.1:" + rows.get(3).port() + ") failed: connection refused;"
                + " not tried again for 20 s");
        waitFor(() -> rows.get(3).state() != ServerRow.State.UP);
        assertThat(fx(() -> robot.lookup("#flow-server-3").query().getStyleClass())).containsAnyOf("tone-danger", "tone-warning");
    }
}
