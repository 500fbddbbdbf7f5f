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
import io.jpen.gui.model.OverviewModel;
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
import static io.jpen.gui.testing.Fx.click;

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
    void theChartsLeaveAGapWhileTheRemoteWasOutOfReach(FxRobot robot) throws Exception {
        show(Sessions.attach(api.uri().toString(), TOKEN));
        WaitForAsyncUtils.asyncFx(() -> view.show(MainView.Page.OVERVIEW)).get(10, TimeUnit.SECONDS);
        waitFor(() -> points() >= 3);
        assertThat(fx(this::segments)).isEqualTo(1);

        int port = api.address().getPort();
        api.close();
        waitFor(() -> robot.lookup("#banner").query().isVisible());
        double lastBefore = fx(this::lastX);
        // longer than a gap: nothing arrives meanwhile, so the chart has no point to draw
        waitFor(() -> System.currentTimeMillis() / 1000.0 - lastBefore > OverviewModel.GAP_SECONDS + 1);

        api = new ApiServer(local, ApiConfig.of(port, ApiToken.of(TOKEN))).start();
        waitFor(() -> model.status().connectedProperty().get() && lastX() > lastBefore + OverviewModel.GAP_SECONDS + 2);
        waitFor(() -> segments() == 2); // after the next layout: a line, a gap, a line
        assertThat(fx(() -> view.overview().connectionsChart().getData().get(0).getNode() instanceof javafx.scene.shape.Path p
                && p.getElements().stream().filter(e -> e instanceof javafx.scene.shape.MoveTo).count() == 2)).isTrue();
    }

    @Test
    void whatGoesWrongWhileTheRemoteIsAwayIsSaidInWords(FxRobot robot) throws Exception {
        show(Sessions.attach(api.uri().toString(), TOKEN));
        waitFor(() -> model.status().connectedProperty().get());
        int port = api.address().getPort();
        api.close();
        waitFor(() -> robot.lookup("#banner").query().isVisible());
        // once the console has tried to reconnect, the banner says why it cannot
        waitFor(() -> ((Label) robot.lookup("#banner").query()).getText().contains("cannot connect to 127.0.0.1:" + port));
        noClassNames(((Label) robot.lookup("#banner").query()).getText());

        WaitForAsyncUtils.asyncFx(() -> view.show(MainView.Page.PENCTL)).get(10, TimeUnit.SECONDS);
        click(robot, "#penctl-input").write("mode").type(javafx.scene.input.KeyCode.ENTER);
        waitFor(() -> !model.commands().transcript().isEmpty() && model.commands().transcript().get(0).reply() != null);
        String reply = fx(() -> model.commands().transcript().get(0).reply().text());
        assertThat(reply).contains("cannot connect to 127.0.0.1:" + port);
        noClassNames(reply);
        api = new ApiServer(local, ApiConfig.of(port, ApiToken.of(TOKEN))).start();
    }

    private static void noClassNames(String said) {
        assertThat(said).doesNotContain("java.").doesNotContain("Exception").doesNotContain("$");
    }

    /** Points in the first server's throughput series (call on the FX thread). */
    private int points() {
        return model.overview().throughput().isEmpty() ? 0 : model.overview().throughput().get(0).getData().size();
    }

    private double lastX() {
        var data = model.overview().throughput().get(0).getData();
        return data.get(data.size() - 1).getXValue().doubleValue();
    }

    /** How many separate lines the throughput chart draws for the first server. */
    private long segments() {
        var series = view.overview().throughputChart().getData();
        if (series.isEmpty() || !(series.get(0).getNode() instanceof javafx.scene.shape.Path p)) return 0;
        return p.getElements().stream().filter(e -> e instanceof javafx.scene.shape.MoveTo).count();
    }

    @Test
    void aWrongTokenIsReportedInsteadOfAnEmptyWindow() {
        assertThatThrownBy(() -> Sessions.attach(api.uri().toString(), "wrong-token-0123456789"))
                .hasMessageContaining("cannot attach to").hasMessageContaining("401");
    }


}
