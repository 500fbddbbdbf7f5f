package io.jpen.gui.view;

import io.jpen.core.api.ApiConfig;
import io.jpen.core.api.ApiServer;
import io.jpen.core.api.ApiToken;
import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.ServerView;
import io.jpen.core.model.Settings;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.FleetCommands;
import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.FleetModel;
import io.jpen.gui.testing.TestBackend;
import io.jpen.gui.testing.TestClients;
import javafx.scene.Node;
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
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;

/**
 * Three balancers in one window — two in this process, one remote through its API — with live traffic: the fleet
 * overview shows each one's figures, a command and a server action reach both engines they were meant for (checked
 * through each engine's own console), and a balancer that goes away shows as out of contact, then comes back.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(150)
class FleetWindowTest {
    private static final String TOKEN = "fleet-window-test-token-0123456789";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private TestBackend shared;
    private Engine a, b, c;
    private LocalConsole consoleA, consoleB, consoleC;
    private ApiServer api;
    private FleetModel fleet;
    private FleetView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    private Engine engine(int... backendPorts) {
        List<ServerSpec> servers = new ArrayList<>();
        for (int p : backendPorts) servers.add(ServerSpec.of("127.0.0.1", p));
        Engine e = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), servers, Settings.defaults().withRoundrobin(true)));
        e.start();
        closing.add(e);
        return e;
    }

    private LocalConsole console(Engine e) {
        LocalConsole l = new LocalConsole(new io.jpen.core.control.Penctl(e), Duration.ofMillis(100), 1000);
        closing.add(l);
        return l;
    }

    @AfterEach
    void stop() throws Exception {
        if (view != null) WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            fleet.close();
        }).get(10, TimeUnit.SECONDS);
        for (Socket s : clients) s.close();
        if (api != null) api.close();
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private void hold(Engine e, int n) throws IOException {
        for (int i = 0; i < n; i++) clients.add(TestClients.open(e.port()));
    }

    @Test
    void threeBalancersInOneWindowEachWithItsFiguresAndCommandsForSeveral(FxRobot robot) throws Exception {
        shared = new TestBackend("shared", TestBackend.Mode.HOLD);
        TestBackend onlyA = new TestBackend("only-a", TestBackend.Mode.HOLD);
        TestBackend onlyB = new TestBackend("only-b", TestBackend.Mode.HOLD);
        TestBackend onlyC = new TestBackend("only-c", TestBackend.Mode.HOLD);
        closing.addAll(List.of(shared, onlyA, onlyB, onlyC));
        // the shared server is 0 on one balancer and 1 on the other: each must get its own number
        a = engine(shared.port(), onlyA.port());
        b = engine(onlyB.port(), shared.port());
        c = engine(onlyC.port());
        consoleA = console(a);
        consoleB = console(b);
        consoleC = console(c);
        api = new ApiServer(consoleC, ApiConfig.of(0, ApiToken.of(TOKEN))).start();
        int apiPort = api.address().getPort();
        io.jpen.gui.app.Session remote = Sessions.attach(api.uri().toString(), TOKEN);

        WaitForAsyncUtils.asyncFx(() -> {
            fleet = new FleetModel(new FxThread());
            fleet.add(null, Sessions.of("local", consoleA));
            fleet.add(null, Sessions.of("local", consoleB));
            fleet.add(io.jpen.gui.app.BalancerSpec.attach(api.uri().toString()), remote);
            view = new FleetView(fleet, m -> new MainView(m.model(), () -> { }, () -> { }, () -> { }), spec -> { }, name -> "");
            Scene scene = new Scene(view, 1240, 780);
            new Theme(false).apply(scene); // as the console's window has it: fleet.css takes its tones from console.css
            stage.setScene(scene);
            stage.show();
        }).get(10, TimeUnit.SECONDS);

        hold(a, 2);
        hold(b, 1);
        hold(c, 3);
        // each card shows its own balancer's connections; the chart has a line per balancer
        waitFor(() -> cardFigures().equals(List.of("2", "1", "3")));
        assertThat(fx(() -> view.overview().connectionsChart().getData().size())).isEqualTo(3);
        assertThat(fx(() -> cardText(2))).contains("listens on 127.0.0.1:" + c.port(), "1 up");
        assertThat(fx(() -> fleet.members().get(2).nameProperty().get())).isEqualTo(api.uri().toString());

        // a command line on the ticked balancers only: not the third
        fx(() -> {
            fleet.members().get(2).chosenProperty().set(false);
            return null;
        });
        int weightOfC = weight(consoleC, 0);
        click(robot, "#fleet-command").write("server 0 weight 7");
        click(robot, "#fleet-run");
        waitFor(() -> view.overview().outcomes().getItems().size() == 2);
        assertThat(fx(() -> List.copyOf(view.overview().outcomes().getItems()))).allMatch(FleetCommands.Outcome::ok);
        waitFor(() -> weight(consoleA, 0) == 7 && weight(consoleB, 0) == 7);
        assertThat(weight(consoleC, 0)).as("the unticked balancer is left alone").isEqualTo(weightOfC).isNotEqualTo(7);
        // every command went through its balancer's own transcript, as the penctl view shows it
        assertThat(fx(() -> fleet.members().get(0).model().commands().transcript().get(0).line())).isEqualTo("server 0 weight 7");

        // the shared server by its address, on both balancers that have it, with a confirmation naming them
        String address = "127.0.0.1:" + shared.port();
        waitFor(() -> view.overview().server().getItems().contains(address));
        fx(() -> {
            view.overview().server().setValue(address);
            return null;
        });
        assertThat(robot.lookup("#fleet-server-where").queryAs(Label.class).getText()).isEqualTo("on 2 balancers");
        click(robot, "#fleet-action-drain");
        waitFor(() -> robot.lookup("#fleet-confirm").tryQuery().isPresent());
        String named = robot.lookup("#fleet-confirm").queryAs(javafx.scene.control.DialogPane.class).getContentText();
        assertThat(named).contains("local 127.0.0.1:" + a.port() + ": server 0 drain",
                        "local 127.0.0.1:" + b.port() + ": server 1 drain")
                .doesNotContain(api.uri().toString());
        click(robot, "#fleet-confirm-ok");
        waitFor(() -> state(consoleA, 0).equals("drain") && state(consoleB, 1).equals("drain"));
        assertThat(state(consoleA, 1)).isEqualTo("up");
        assertThat(state(consoleB, 0)).isEqualTo("up");
        waitFor(() -> view.overview().outcomes().getItems().size() == 2
                && view.overview().outcomes().getItems().stream().allMatch(FleetCommands.Outcome::ok));
        // a server taken out by hand colours its balancers orange, on the card and in the sidebar
        waitFor(() -> card(0).getStyleClass().contains("tone-warning") && cardText(0).contains("1 up · 1 drain")
                && sidebarEntry(1).getStyleClass().contains("tone-warning"));

        // ready on both again, then a failing server (blacklisted) turns its balancer red
        click(robot, "#fleet-action-ready");
        waitFor(() -> robot.lookup("#fleet-confirm").tryQuery().isPresent());
        click(robot, "#fleet-confirm-ok");
        waitFor(() -> state(consoleA, 0).equals("up") && state(consoleB, 1).equals("up"));
        click(robot, "#fleet-action-blacklist");
        waitFor(() -> robot.lookup("#fleet-confirm").tryQuery().isPresent());
        click(robot, "#fleet-confirm-ok");
        waitFor(() -> state(consoleA, 0).equals("blacklisted") && state(consoleB, 1).equals("blacklisted"));
        waitFor(() -> card(0).getStyleClass().contains("tone-danger") && cardText(0).contains("1 up · 1 blacklisted"));

        // choosing a balancer in the sidebar shows its own views
        click(robot, sidebarEntry(1));
        waitFor(() -> view.mainView(fleet.members().get(1)) != null
                && view.mainView(fleet.members().get(1)).getScene() != null
                && view.mainView(fleet.members().get(1)).servers().table().getItems().size() == 2);
        click(robot, "#fleet-overview-button");
        waitFor(() -> view.overview().getScene() != null);

        // the remote goes away: out of contact, said on its card; it comes back by itself
        api.close();
        FleetMember remoteMember = fx(() -> fleet.members().get(2));
        waitFor(() -> !remoteMember.inContactProperty().get() && cardText(2).contains("out of contact")
                && card(2).getStyleClass().contains("tone-danger"));
        waitFor(() -> robot.lookup("#fleet-summary").queryAs(Label.class).getText().contains("1 out of contact"));
        api = new ApiServer(consoleC, ApiConfig.of(apiPort, ApiToken.of(TOKEN))).start();
        waitFor(() -> remoteMember.inContactProperty().get() && !cardText(2).contains("out of contact"));
    }

    private List<String> cardFigures() {
        List<String> out = new ArrayList<>();
        for (Node card : view.lookupAll(".fleet-card")) {
            Label first = (Label) card.lookup(".fleet-figure");
            out.add(first.getText());
        }
        return out;
    }

    private Node card(int i) {
        return new ArrayList<>(view.lookupAll(".fleet-card")).get(i);
    }

    private String cardText(int i) {
        StringBuilder b = new StringBuilder();
        for (Node n : card(i).lookupAll(".label")) b.append(((Label) n).getText()).append('\n');
        return b.toString();
    }

    private Node sidebarEntry(int i) {
        return new ArrayList<>(view.list().lookupAll(".fleet-member")).get(i);
    }

    private static int weight(LocalConsole c, int server) {
        ServerView v = c.latest().servers().get(server);
        return v.weight();
    }

    private static String state(LocalConsole c, int server) {
        return c.latest().servers().get(server).state();
    }
}
