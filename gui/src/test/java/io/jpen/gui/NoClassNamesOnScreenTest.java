package io.jpen.gui;

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
import io.jpen.gui.model.EventsModel;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.prefs.Preferences;
import java.util.regex.Pattern;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;
import static io.jpen.gui.testing.Fx.doubleClick;

/**
 * Failures provoked where an operator reads about them — the start page, the banner, the event log — and every
 * text on the screen scanned for Java class names ("java.net.ConnectException", "AnnotatedConnectException",
 * "Foo$Bar"), which mean nothing to whoever runs the balancer.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class NoClassNamesOnScreenTest {
    private static final String TOKEN = "no-class-names-test-token-0123456789";
    /** A qualified class name, a simple one ending in Exception or Error, or a nested class's $. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*|\\b[A-Z]\\w*(?:Exception|Error)\\b|\\b[A-Z]\\w*\\$\\w+");

    private final Preferences prefs = Preferences.userRoot().node("io/jpen/console/test-names-" + ProcessHandle.current().pid());
    private final AtomicInteger exits = new AtomicInteger();
    private Stage stage;
    private ConsoleApp app;
    private TestBackend backend;
    private final List<AutoCloseable> open = new ArrayList<>();

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        backend = new TestBackend("alpha", TestBackend.Mode.NAME);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) WaitForAsyncUtils.asyncFx(app::stop).get(20, TimeUnit.SECONDS);
        WaitForAsyncUtils.asyncFx(() -> Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet()))
                .get(10, TimeUnit.SECONDS);
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        backend.close();
        prefs.removeNode();
    }

    private void launch(String... args) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            ConsoleApp.options = LaunchOptions.parse(args);
            app = new ConsoleApp(new RecentTargets(prefs), exits::incrementAndGet);
            app.start(stage);
            stage.toFront();
        }).get(20, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Every text the window shows now, the event log's rows included (scrolled out of sight or not). */
    private List<String> screen() {
        return fx(() -> {
            List<String> out = new ArrayList<>();
            collect(stage.getScene().getRoot(), out);
            return out;
        });
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Labeled l && l.getText() != null) out.add(l.getText());
        if (n instanceof Text t && t.getText() != null) out.add(t.getText());
        if (n instanceof TextInputControl t && t.getText() != null) out.add(t.getText());
        if (n instanceof Labeled l && l.getTooltip() != null) out.add(l.getTooltip().getText());
        if (n instanceof TableView<?> t) {
            for (Object row : t.getItems()) if (row instanceof EventsModel.Row r) out.add(r.message());
        }
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, out);
    }

    private void assertNoClassNames(String where) {
        List<String> texts = screen();
        assertThat(texts).as("texts on the screen (%s)", where).isNotEmpty();
        assertThat(texts).as("texts on the screen (%s) naming a Java class", where)
                .noneMatch(t -> CLASS_NAME.matcher(t).find());
    }

    private String status(FxRobot robot) {
        return robot.lookup("#start-status").tryQuery().map(n -> ((Labeled) n).getText()).orElse("");
    }

    @Test
    void theScanFindsClassNamesAndLeavesAddressesAndFileNamesAlone() {
        assertThat(List.of("io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused",
                "failed: ConnectException", "java.util.concurrent.ThreadPoolExecutor@1f2e", "Foo$Bar"))
                .allMatch(t -> CLASS_NAME.matcher(t).find());
        assertThat(List.of("cannot connect to 127.0.0.1:9090", "saved 3 events to /tmp/jpen-events.csv",
                "server 1 (10.0.0.1:80) is down: HTTP 503 from /healthz", "Ctrl+F", "e.g. Pin"))
                .noneMatch(t -> CLASS_NAME.matcher(t).find());
    }

    @Test
    void theStartPageSaysWhyAnAttachFailedInWords(FxRobot robot) throws Exception {
        launch();
        // nothing listening
        doubleClick(robot, "#start-attach-url").eraseText(40).write("http://127.0.0.1:" + freePort());
        click(robot, "#start-attach");
        waitFor(() -> status(robot).startsWith("cannot attach"));
        assertNoClassNames("attach to a closed port");

        // something that answers, but not HTTP (a backend that writes its name)
        doubleClick(robot, "#start-attach-url").eraseText(40).write("http://127.0.0.1:" + backend.port());
        click(robot, "#start-attach");
        waitFor(() -> status(robot).startsWith("cannot attach") && status(robot).contains(":" + backend.port()));
        assertNoClassNames("attach to something that is not jpen's API");

        // a bad Pen command line
        click(robot, "#start-local-args").write("127.0.0.1:notaport");
        click(robot, "#start-local");
        waitFor(() -> !status(robot).isEmpty() && !status(robot).startsWith("cannot attach"));
        assertNoClassNames("a bad command line");
    }

    @Test
    void theBannerAndTheEventsSayWhatFailedInWords(FxRobot robot) throws Exception {
        int dead = freePort();
        Engine engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", dead), ServerSpec.of("127.0.0.1", backend.port())),
                Settings.defaults().withRoundrobin(true).withHttp(true)));
        engine.start();
        open.add(engine);
        new io.jpen.core.control.Penctl(engine).execute("server 0 check tcp");
        LocalConsole local = new LocalConsole(new io.jpen.core.control.Penctl(engine), Duration.ofMillis(100), 100);
        open.add(local);
        ApiServer api = new ApiServer(local, ApiConfig.of(0, ApiToken.of(TOKEN))).start();
        launch("--attach", api.uri().toString(), "--token", TOKEN);
        waitFor(() -> robot.lookup("#status-bar").tryQuery().isPresent());

        // a refused server, a request that is not HTTP, a failing check
        for (int i = 0; i < 3; i++) TestClients.fetch(engine.port(), "GET / HTTP/1.0\r\nHost: x\r\n\r\n");
        TestClients.fetch(engine.port(), "\u0001\u0002 not http at all\r\n\r\n");
        waitFor(() -> stage.isFocused());
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT6).release(KeyCode.DIGIT6, KeyCode.CONTROL);
        waitFor(() -> {
            TableView<?> t = (TableView<?>) robot.lookup("#events-table").query();
            List<String> kinds = t.getItems().stream().map(r -> ((EventsModel.Row) r).kind()).toList();
            return kinds.contains("server-state") && kinds.contains("http");
        });
        assertNoClassNames("events of a refused server and bad requests");

        api.close();
        waitFor(() -> robot.lookup("#banner").query().isVisible());
        waitFor(() -> ((TableView<?>) robot.lookup("#events-table").query()).getItems().stream()
                .anyMatch(r -> ((EventsModel.Row) r).kind().equals(EventsModel.CONTACT)));
        assertNoClassNames("the banner and the event of lost contact");
    }
}
