package io.jpen.gui.view;

import io.jpen.core.control.Penctl;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.FastClose;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.Commands;
import io.jpen.gui.model.ConnectionRow;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.model.ServerRow;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
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
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;
import static io.jpen.gui.testing.Fx.doubleClick;

/**
 * The console window against a real in-process balancer with real loopback traffic, driven like a user would
 * (keyboard shortcuts, clicks, typing) under Monocle.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class ConsoleWindowTest {
    private TestBackend alpha;
    private TestBackend beta;
    private Engine engine;
    private LocalConsole console;
    private ConsoleModel model;
    private MainView view;

    @Start
    void start(Stage stage) throws IOException {
        alpha = new TestBackend("alpha", TestBackend.Mode.HOLD);
        beta = new TestBackend("beta", TestBackend.Mode.HOLD);
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", alpha.port()), ServerSpec.of("127.0.0.1", beta.port())),
                Settings.defaults().withRoundrobin(true)));
        engine.start();
        console = new LocalConsole(new Penctl(engine), Duration.ofMillis(100), 20_000);
        model = new ConsoleModel(console, new FxThread()).start();
        view = new MainView(model, () -> { }, () -> { }, () -> { });
        Scene scene = new Scene(view, 1100, 720);
        new Theme(false).apply(scene);
        stage.setScene(scene);
        stage.show();
        stage.toFront();
        view.tabs().requestFocus();
        this.stage = stage;
    }

    private Stage stage;

    /** Presses Ctrl+KEY once the window has the keyboard (a key pressed before that goes nowhere). */
    private void shortcut(FxRobot robot, KeyCode key) {
        waitFor(() -> stage.isFocused());
        robot.press(KeyCode.CONTROL, key).release(key, KeyCode.CONTROL);
    }

    @AfterEach
    void stop() throws IOException {
        WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            model.close();
        });
        console.close();
        engine.close();
        alpha.close();
        beta.close();
    }

    @Test
    void serversAppearWithCountersThatRise(FxRobot robot) {
        shortcut(robot, KeyCode.DIGIT2);
        waitFor(() -> view.tabs().getSelectionModel().getSelectedIndex() == MainView.Page.SERVERS.ordinal()
                && view.servers().table().getItems().size() == 2);
        List<ServerRow> rows = fx(() -> List.copyOf(view.servers().table().getItems()));
        assertThat(rows).extracting(ServerRow::port).containsExactly(alpha.port(), beta.port());
        long before = fx(() -> rows.get(0).total() + rows.get(1).total());

        for (int i = 0; i < 4; i++) TestClients.fetch(engine.port(), "hello " + i);

        // each server's connection count rises, and bytes sent show up (per-server sx is not asserted for both
        // servers: on io_uring the engine currently misses some of it, a core issue reported separately)
        waitFor(() -> rows.get(0).total() >= 2 && rows.get(1).total() >= 2 && rows.get(0).total() + rows.get(1).total() >= before + 4
                && rows.get(0).sent() + rows.get(1).sent() > 0);
        assertThat(fx(() -> rows.get(0).state())).isEqualTo(ServerRow.State.UP);
        assertThat(robot.lookup("#servers-table .table-row-cell").queryAll()).isNotEmpty();
    }

    @Test
    void theOverviewSaysHowMuchOfABulkUploadWasSpliced(FxRobot robot) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine.transport() == io.jpen.core.engine.Transport.EPOLL,
                "splicing needs epoll");
        try (Socket client = TestClients.open(engine.port())) {
            java.io.OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 32; i++) out.write(chunk); // 8 MiB to a backend that reads and discards
            waitFor(() -> upDetail(robot).matches(".* in all, .* spliced"));
        }
        assertThat(upDetail(robot)).as("client-to-server tile").contains("spliced");
    }

    private static String upDetail(FxRobot robot) {
        return robot.lookup("#overview-up .tile-detail").queryAs(Label.class).getText();
    }

    @Test
    void closingAConnectionFromTheTableEndsItAndNoOther(FxRobot robot) throws IOException {
        try (Socket victim = TestClients.open(engine.port()); Socket bystander = TestClients.open(engine.port())) {
            shortcut(robot, KeyCode.DIGIT3);
            String victimPort = ":" + victim.getLocalPort();
            waitFor(() -> rowOf(victimPort) != null && rowOf(":" + bystander.getLocalPort()) != null);
            ConnectionRow row = fx(() -> rowOf(victimPort));

            Node cell = robot.lookup("#connections-table .table-row-cell")
                    .match((Node n) -> n instanceof TableRow<?> r && r.getItem() == row).query();
            click(robot, cell);
            robot.type(KeyCode.DELETE);
            click(robot, "#confirm-close");

            assertThat(victim.getInputStream().read()).as("the client sees end of file").isEqualTo(-1);
            waitFor(() -> rowOf(victimPort) == null);
            assertThat(fx(() -> rowOf(":" + bystander.getLocalPort()))).isNotNull();
            assertThat(engine.connections().size()).isEqualTo(1);
            waitFor(() -> model.commands().transcript().stream().anyMatch(e -> e.line().equals("close " + row.id())
                    && e.reply() != null && e.reply().ok()));
        }
    }

    @Test
    void drainingAServerShowsItsStateAndCloseAllAsksNamingHowManyFirst(FxRobot robot) throws IOException {
        try (Socket held = TestClients.open(engine.port())) {
            waitFor(() -> engine.servers().get(0).connections() + engine.servers().get(1).connections() == 1);
            int index = engine.servers().get(0).connections() == 1 ? 0 : 1;
            shortcut(robot, KeyCode.DIGIT2);
            waitFor(() -> view.servers().table().getItems().size() == 2 && view.servers().table().getItems().get(index).connections() == 1);
            ServerRow row = fx(() -> view.servers().table().getItems().get(index));
            click(robot, robot.lookup("#servers-table .table-row-cell")
                    .match((Node n) -> n instanceof TableRow<?> r && r.getItem() == row).<Node>query());
            click(robot, "#server-drain");
            waitFor(() -> engine.servers().get(index).admin() == io.jpen.core.select.Server.Admin.DRAIN);
            waitFor(() -> row.state() == ServerRow.State.DRAIN && row.stateText().equals("drain: drained by operator"));
            waitFor(() -> robot.lookup("#servers-table .table-cell.tone-warning").tryQuery().isPresent()); // drain's tone

            click(robot, "#server-close-all");
            javafx.scene.control.DialogPane ask = robot.lookup("#close-all-confirmation").queryAs(javafx.scene.control.DialogPane.class);
            assertThat(ask.getContentText()).isEqualTo("Close the 1 connection of server " + index + " (127.0.0.1:"
                    + (index == 0 ? alpha : beta).port() + ") now? Their clients are cut off.");
            click(robot, ask.lookupButton(javafx.scene.control.ButtonType.OK));
            assertThat(held.getInputStream().read()).as("the client sees end of file").isEqualTo(-1);
            waitFor(() -> model.commands().transcript().stream().anyMatch(e -> e.line().equals("server " + index + " close")
                    && e.reply() != null && e.reply().ok()));

            click(robot, "#server-ready");
            waitFor(() -> row.state() == ServerRow.State.UP);
        }
    }

    @Test
    void togglingDummyMakesTheNextRequestGetTheDummyResponse(FxRobot robot) {
        shortcut(robot, KeyCode.DIGIT4);
        click(robot, "#mode-dummy .thumb-area");
        waitFor(() -> engine.settings().dummy());
        waitFor(() -> view.modes().dummy.isSelected() && "ok".equals(((Label) robot.lookup("#mode-reply").query()).getText()));
        assertThat(lines()).contains("dummy");
        String answer = TestClients.fetch(engine.port(), "GET / HTTP/1.0\r\nHost: test\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.").contains(" 200 ").contains("jpen dummy server");
        assertThat(alpha.accepted() + beta.accepted()).as("no backend was asked").isZero();

        click(robot, "#mode-dummy .thumb-area");
        waitFor(() -> !engine.settings().dummy());
        assertThat(lines()).containsSubsequence("dummy", "no dummy");
    }

    @Test
    void settingIdlersMakesIdleConnectionsAppearAtTheBackendsAndFastcloseIsApplied(FxRobot robot) {
        shortcut(robot, KeyCode.DIGIT4);
        doubleClick(robot, "#mode-idlers .text-field").eraseText(3).write("2");
        click(robot, "#mode-idlers-set");
        waitFor(() -> engine.settings().idlers() == 2);
        waitFor(() -> ((Label) robot.lookup("#mode-reply").query()).getText().matches("Idlers: \\d+/2"));
        waitFor(() -> alpha.open() + beta.open() == 2);
        waitFor(() -> robot.lookup("#mode-idlers-now").queryLabeled().getText().contains("2 open now"));

        click(robot, "#mode-fastclose");
        click(robot, "both");
        waitFor(() -> engine.settings().fastClose() == FastClose.BOTH);

        shortcut(robot, KeyCode.L);
        robot.write("tcp_fastclose").type(KeyCode.ENTER);
        waitFor(() -> {
            List<Commands.Entry> t = model.commands().transcript();
            Commands.Entry last = t.get(t.size() - 1);
            return last.line().equals("tcp_fastclose") && last.reply() != null && last.reply().text().strip().equals("both");
        });
    }

    @Test
    void theHashMethodIsChosenInTheModesViewAndTheRoleShowsInTheStatusBar(FxRobot robot) {
        assertThat(robot.lookup("#status-role").query().isVisible()).as("no role reported yet").isFalse();
        shortcut(robot, KeyCode.DIGIT4);
        click(robot, "#mode-hash-method");
        click(robot, "maglev (consistent)");
        waitFor(() -> engine.settings().hashMethod() == io.jpen.core.model.HashMethod.MAGLEV);
        waitFor(() -> ((Label) robot.lookup("#mode-line").query()).getText().endsWith("hash_method maglev"));

        // what keepalived's notify script sends
        assertThat(new Penctl(engine).execute("role master").ok()).isTrue();
        waitFor(() -> robot.lookup("#status-role").query().isVisible());
        assertThat(((Label) robot.lookup("#status-role").query()).getText()).startsWith("role master for ");
        assertThat(((Label) robot.lookup("#status-role").query()).getTooltip().getText()).startsWith("master since ");
    }

    @Test
    void proxyIsSetPerServerInTheServersViewAcceptProxyInTheModesViewAndConnectionsShowTheSendingPeer(FxRobot robot)
            throws IOException {
        shortcut(robot, KeyCode.DIGIT2);
        waitFor(() -> view.servers().table().getItems().size() == 2);
        click(robot, robot.lookup("#servers-table .table-row-cell").nth(0).queryAs(Node.class));
        click(robot, "#server-proxy");
        click(robot, "v2");
        waitFor(() -> engine.servers().get(0).spec().proxy() == io.jpen.core.model.ProxyVersion.V2);
        waitFor(() -> fx(() -> view.servers().table().getItems().get(0).proxy()).equals("v2"));
        assertThat(lines()).contains("server 0 proxy v2");

        shortcut(robot, KeyCode.DIGIT4);
        click(robot, "#mode-accept-proxy .thumb-area");
        waitFor(() -> engine.acceptProxy().on());
        assertThat(lines()).contains("accept_proxy");

        try (Socket front = TestClients.open(engine.port())) {
            front.getOutputStream().write("PROXY TCP4 10.1.2.3 127.0.0.1 4444 80\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            front.getOutputStream().flush();
            shortcut(robot, KeyCode.DIGIT3);
            String peer = "127.0.0.1:" + front.getLocalPort();
            waitFor(() -> fx(() -> view.connections().table().getItems().stream()
                    .anyMatch(r -> r.client().equals("10.1.2.3:4444") && r.via().equals(peer))));
        }
        waitFor(() -> robot.lookup("#mode-accept-proxy-counts").queryLabeled().getText().contains("1 headers read"));

        shortcut(robot, KeyCode.DIGIT4);
        click(robot, "#mode-accept-proxy .thumb-area");
        waitFor(() -> !engine.acceptProxy().on());
        assertThat(lines()).containsSubsequence("accept_proxy", "no accept_proxy");
    }

    @Test
    void aClearBannerAppearsWhenTheBalancerGoesAway(FxRobot robot) {
        waitFor(() -> model.status().connectedProperty().get());
        assertThat(robot.lookup("#banner").query().isVisible()).isFalse();
        engine.close();
        waitFor(() -> robot.lookup("#banner").query().isVisible());
        Label banner = (Label) robot.lookup("#banner").query();
        assertThat(banner.getText()).contains("Lost contact").contains("reconnecting");
        // readable: light text on the danger colour, not the danger colour on itself
        assertThat(fx(() -> banner.getTextFill())).isNotEqualTo(fx(() -> banner.getBackground().getFills().get(0).getFill()));
        assertThat(((Label) robot.lookup("#status-connection").query()).getText()).contains("disconnected");
    }

    @Test
    void theAnswerToClosingAConnectionShowsAndThenClears(FxRobot robot) throws IOException {
        try (Socket victim = TestClients.open(engine.port())) {
            shortcut(robot, KeyCode.DIGIT3);
            String port = ":" + victim.getLocalPort();
            waitFor(() -> rowOf(port) != null);
            ConnectionRow row = fx(() -> rowOf(port));
            click(robot, robot.lookup("#connections-table .table-row-cell")
                    .match((Node n) -> n instanceof TableRow<?> r && r.getItem() == row).queryAs(Node.class));
            robot.type(KeyCode.DELETE);
            click(robot, "#confirm-close");
            waitFor(() -> reply(robot, "#connections-reply").equals("Forcibly closing connection " + row.id()));
            // an old answer does not stay as if it were news (it clears after Notice.HOLD_MILLIS)
            waitFor(() -> reply(robot, "#connections-reply").isEmpty());
        }
    }

    @Test
    void aFilterThatMatchesNothingSaysSoRatherThanThatNothingIsLive(FxRobot robot) throws IOException {
        try (Socket client = TestClients.open(engine.port())) {
            shortcut(robot, KeyCode.DIGIT3);
            waitFor(() -> rowOf(":" + client.getLocalPort()) != null);
            shortcut(robot, KeyCode.F);
            robot.write("no-such-client");
            waitFor(() -> view.connections().table().getItems().isEmpty());
            String placeholder = robot.lookup("#connections-placeholder").queryLabeled().getText();
            assertThat(placeholder).contains("No connection matches “no-such-client”").doesNotContain("No live connections");
        }
    }

    @Test
    void anEmptiedNumberFieldInTheServerDialogKeepsTheValueShownBefore(FxRobot robot) {
        shortcut(robot, KeyCode.DIGIT2);
        waitFor(() -> view.servers().table().getItems().size() == 2);
        int before = engine.servers().get(0).spec().weight();
        click(robot, robot.lookup("#servers-table .table-row-cell").nth(0).queryAs(Node.class));
        click(robot, "#server-edit");
        waitFor(() -> robot.lookup("#edit-weight").tryQuery().isPresent());
        doubleClick(robot, "#edit-weight .text-field").eraseText(3);
        waitFor(() -> robot.lookup("#edit-weight .text-field").queryTextInputControl().getText().isEmpty());
        click(robot, "#edit-max .text-field"); // the emptied field loses the focus: its text counts
        waitFor(() -> String.valueOf(before).equals(robot.lookup("#edit-weight .text-field").queryTextInputControl().getText()));
        click(robot, "#edit-ok");
        waitFor(() -> robot.lookup("#edit-ok").tryQuery().isEmpty());
        assertThat(engine.servers().get(0).spec().weight()).isEqualTo(before);
    }

    @Test
    void editingAWeightSaysItIsIgnoredUntilWeightSelectionIsOn(FxRobot robot) {
        shortcut(robot, KeyCode.DIGIT2);
        waitFor(() -> view.servers().table().getItems().size() == 2);
        click(robot, robot.lookup("#servers-table .table-row-cell").nth(0).queryAs(Node.class));
        click(robot, "#server-edit");
        waitFor(() -> robot.lookup("#edit-weight-hint").tryQuery().isPresent());
        assertThat(robot.lookup("#edit-weight-hint").queryLabeled().isVisible()).isTrue();
        assertThat(robot.lookup("#edit-weight-hint").queryLabeled().getText()).contains("ignored until weight selection is on");
        doubleClick(robot, "#edit-weight .text-field").eraseText(3).write("5");
        click(robot, "#edit-ok");
        waitFor(() -> engine.servers().get(0).spec().weight() == 5);
        waitFor(() -> reply(robot, "#servers-reply").contains("takes effect once weight selection is on"));

        click(robot, "#tab-modes");
        click(robot, "#mode-algorithm");
        click(robot, "weight");
        waitFor(() -> engine.settings().weight() && model.servers().weightSelectionProperty().get());
        click(robot, "#tab-servers");
        click(robot, robot.lookup("#servers-table .table-row-cell").nth(0).queryAs(Node.class));
        click(robot, "#server-edit");
        waitFor(() -> robot.lookup("#edit-weight").tryQuery().isPresent());
        assertThat(robot.lookup("#edit-weight-hint").queryLabeled().isVisible()).isFalse();
        click(robot, robot.lookup(".dialog-pane .button").match((Node n) -> n instanceof javafx.scene.control.Button b
                && b.isCancelButton()).queryAs(Node.class));
    }

    @Test
    void theOverviewDrawsTheFlowWithBusierEdgesWiderAndServersInTheToneOfTheirState(FxRobot robot) throws IOException {
        waitFor(() -> view.overview().flow().serverNodes().size() == 2);
        Node beta = fx(() -> view.overview().flow().serverNodes().get(1));
        assertThat(beta.getStyleClass()).contains("tone-ok");
        shortcut(robot, KeyCode.L);
        robot.write("server 1 blacklist 60").type(KeyCode.ENTER);
        waitFor(() -> beta.getStyleClass().contains("tone-danger"));
        assertThat(fx(() -> view.overview().flow().serverEdges().get(1).getStyleClass())).contains("tone-danger");

        // traffic through server 0 only (server 1 is blacklisted): its edge widens, server 1's stays idle
        try (Socket client = TestClients.open(engine.port())) {
            java.io.OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            waitFor(() -> {
                out.write(chunk);
                out.flush();
                var edges = view.overview().flow().serverEdges();
                return edges.get(0).getStrokeWidth() > edges.get(1).getStrokeWidth() + 2
                        && view.overview().flow().clientEdge().getStrokeWidth() > 3;
            });
        }
        assertThat(fx(() -> view.overview().flow().serverEdges().get(1).getStyleClass())).contains("idle");
        assertThat(robot.lookup("#flow-server-1 .flow-state").queryLabeled().getText()).startsWith("blacklisted");
    }

    private static String reply(FxRobot robot, String id) {
        return robot.lookup(id).queryLabeled().getText();
    }

    private List<String> lines() {
        return fx(() -> model.commands().transcript().stream().map(Commands.Entry::line).toList());
    }

    /** The row of the connection whose client port is {@code port} (call on the FX thread). */
    private ConnectionRow rowOf(String clientPortSuffix) {
        return view.connections().table().getItems().stream().filter(r -> r.client().endsWith(clientPortSuffix)).findFirst().orElse(null);
    }


}
