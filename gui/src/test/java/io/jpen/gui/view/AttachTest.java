package io.jpen.gui.view;

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
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console attached over the API to a balancer (as ./jpen --api runs it), including the API going away. */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class AttachTest {
    private static final String TOKEN = "gui-attach-test-token-0123456789";

    private TestBackend backend;
    private Engine engine;
    private LocalConsole local;
    private ApiServer api;
    private Session session;
    private ConsoleModel model;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        backend = new TestBackend("alpha", TestBackend.Mode.HOLD);
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", backend.port())), Settings.defaults()));
        engine.start();
        local = new LocalConsole(new Penctl(engine), Duration.ofMillis(100), 1000);
        api = new ApiServer(local, ApiConfig.of(0, ApiToken.of(TOKEN))).start();
    }

    @AfterEach
    void stop() throws IOException {
        if (view != null) WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            model.close();
        });
        if (session != null) session.close();
        api.close();
        local.close();
        engine.close();
        backend.close();
    }

    private void show(Session s) throws Exception {
        session = s;
        WaitForAsyncUtils.asyncFx(() -> {
            model = new ConsoleModel(s.console(), new FxThread()).start();
            view = new MainView(model, () -> { }, () -> { }, () -> { });
            stage.setScene(new Scene(view, 1000, 700));
            stage.show();
            view.show(MainView.Page.SERVERS);
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAttachedConsoleShowsTheRemoteDataAndSurvivesTheRemoteRestarting(FxRobot robot) throws Exception {
        show(Sessions.attach(api.uri().toString(), TOKEN));
        waitFor(() -> view.servers().table().getItems().size() == 1);
        ServerRow row = fx(() -> view.servers().table().getItems().get(0));
        assertThat(fx(row::port)).isEqualTo(backend.port());
        TestClients.fetch(engine.port(), "one");
        waitFor(() -> row.total() == 1);

        int port = api.address().getPort();
        api.close();
        waitFor(() -> robot.lookup("#banner").query().isVisible());
        assertThat(((Label) robot.lookup("#banner").query()).getText()).contains("reconnecting");

        api = new ApiServer(local, ApiConfig.of(port, ApiToken.of(TOKEN))).start();
        waitFor(() -> !robot.lookup("#banner").query().isVisible() && model.status().connectedProperty().get());
        TestClients.fetch(engine.port(), "two");
        waitFor(() -> row.total() == 2);
    }

    @Test
    void aWrongTokenIsReportedInsteadOfAnEmptyWindow() {
        assertThatThrownBy(() -> Sessions.attach(api.uri().toString(), "wrong-token-0123456789"))
                .hasMessageContaining("cannot attach to").hasMessageContaining("401");
    }


}
