package io.jpen.gui.view;

import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ClientRow;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.testing.TestBackend;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.jpen.gui.testing.Fx.fx;
import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;

/**
 * The Clients view against a real in-process balancer tracking clients over two real backends: clients from
 * several loopback addresses, forget and pin driven by clicks, proven by where each client's next connection lands.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class ClientsViewTest {
    private TestBackend alpha;
    private TestBackend beta;
    private Engine engine;
    private LocalConsole console;
    private ConsoleModel model;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) throws IOException {
        alpha = new TestBackend("alpha", TestBackend.Mode.NAME);
        beta = new TestBackend("beta", TestBackend.Mode.NAME);
        engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", alpha.port()), ServerSpec.of("127.0.0.1", beta.port())),
                Settings.defaults()));
        engine.start();
        console = new LocalConsole(new io.jpen.core.control.Penctl(engine), Duration.ofMillis(100), 1000);
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

    /** Connects from {@code from}, sends {@code bytes} bytes, and returns the name of the backend reached. */
    private String fetch(String from, int bytes) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.port()), 5_000);
            s.getOutputStream().write(new byte[bytes]);
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void showClients(FxRobot robot) {
        waitFor(() -> stage.isFocused());
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT7).release(KeyCode.DIGIT7, KeyCode.CONTROL);
        waitFor(() -> view.tabs().getSelectionModel().getSelectedIndex() == MainView.Page.CLIENTS.ordinal());
    }

    private ClientRow row(String address) {
        return view.clients().table().getItems().stream().filter(r -> r.address().equals(address)).findFirst().orElse(null);
    }

    private void select(FxRobot robot, String address) {
        waitFor(() -> row(address) != null);
        ClientRow r = fx(() -> row(address));
        waitFor(() -> robot.lookup("#clients-table .table-row-cell")
                .match((Node n) -> n instanceof TableRow<?> t && t.getItem() == r).tryQuery().isPresent());
        click(robot, robot.lookup("#clients-table .table-row-cell")
                .match((Node n) -> n instanceof TableRow<?> t && t.getItem() == r).<Node>query());
        waitFor(() -> view.clients().table().getSelectionModel().getSelectedItems().equals(List.of(r)));
    }

    private String placeholder(FxRobot robot) {
        return robot.lookup("#clients-placeholder").queryAs(Label.class).getText();
    }

    @Test
    void clientsShowTheirServerAndBytesAndAnEmptyTableSaysWhy(FxRobot robot) {
        showClients(robot);
        assertThat(placeholder(robot)).isEqualTo("No clients yet: a client appears here when it first connects");
        String reached = fetch("127.0.0.31", 100);
        fetch("127.0.0.32", 10);
        waitFor(() -> row("127.0.0.31") != null && row("127.0.0.32") != null && row("127.0.0.31").bytesUp() == 100);
        ClientRow r = fx(() -> row("127.0.0.31"));
        assertThat(r.server()).isEqualTo(reached.equals("alpha") ? "server 0" : "server 1");
        assertThat(r.bytesDown()).isEqualTo(reached.length() + 1);
        assertThat(r.connects()).isEqualTo(1);
        assertThat(r.pin()).isEmpty();

        click(robot, "#clients-filter").write("127.0.0.32");
        waitFor(() -> view.clients().table().getItems().size() == 1);
        assertThat(fx(() -> view.clients().table().getItems().get(0).address())).isEqualTo("127.0.0.32");
        click(click(robot, "#clients-filter-clear"), "#clients-filter").write("10.9.9.9");
        waitFor(() -> view.clients().table().getItems().isEmpty());
        assertThat(placeholder(robot)).isEqualTo("No client matches “10.9.9.9” (2 clients in the table; clear the filter to see them)");
    }

    @Test
    void topTalkersPutsTheBusiestClientFirstAndAColumnSortsTheTable(FxRobot robot) {
        showClients(robot);
        fetch("127.0.0.41", 10);
        fetch("127.0.0.42", 50_000);
        fetch("127.0.0.43", 1_000);
        waitFor(() -> view.clients().table().getItems().size() == 3 && row("127.0.0.42").bytesUp() == 50_000);
        click(robot, "#clients-top");
        waitFor(() -> view.clients().table().getItems().stream().map(ClientRow::address).toList()
                .equals(List.of("127.0.0.42", "127.0.0.43", "127.0.0.41")));
        click(robot, "#clients-top");
        click(robot, robot.lookup("#clients-table .column-header").match((Node n) -> n.lookup(".label") instanceof Label l
                && l.getText().equals("Client → server")).<Node>query()); // ascending
        waitFor(() -> view.clients().table().getItems().stream().map(ClientRow::address).toList()
                .equals(List.of("127.0.0.41", "127.0.0.43", "127.0.0.42")));
    }

    @Test
    void forgettingAClientMakesItsNextConnectionChooseAfresh(FxRobot robot) {
        showClients(robot);
        String tracked = fetch("127.0.0.51", 1);
        assertThat(fetch("127.0.0.51", 1)).as("tracking holds").isEqualTo(tracked);
        select(robot, "127.0.0.51");
        click(robot, "#clients-forget");
        waitFor(() -> model.commands().transcript().stream().anyMatch(e -> e.line().equals("client 127.0.0.51 forget")
                && e.reply() != null && e.reply().ok()));
        waitFor(() -> "Forgot client 127.0.0.51".equals(robot.lookup("#clients-reply").queryAs(Label.class).getText()));
        assertThat(fetch("127.0.0.51", 1)).as("the next connection, chosen afresh by round robin")
                .isEqualTo(tracked.equals("alpha") ? "beta" : "alpha");
    }

    @Test
    void pinningAClientAsksForAServerAndSendsItsNextConnectionsThere(FxRobot robot) {
        showClients(robot);
        String tracked = fetch("127.0.0.61", 1);
        String other = tracked.equals("alpha") ? "beta" : "alpha";
        int otherIndex = other.equals("alpha") ? 0 : 1;
        select(robot, "127.0.0.61");
        click(robot, "#clients-pin");
        @SuppressWarnings("unchecked")
        ComboBox<String> choice = robot.lookup("#pin-dialog .combo-box").queryAs(ComboBox.class);
        WaitForAsyncUtils.asyncFx(() -> choice.getSelectionModel().select(otherIndex));
        WaitForAsyncUtils.waitForFxEvents();
        click(robot, "#confirm-pin");
        waitFor(() -> model.commands().transcript().stream().anyMatch(e -> e.line().equals("client 127.0.0.61 pin " + otherIndex)
                && e.reply() != null && e.reply().ok()));
        for (int i = 0; i < 3; i++) assertThat(fetch("127.0.0.61", 1)).as("connection %d after the pin", i).isEqualTo(other);
        waitFor(() -> row("127.0.0.61").pin().equals("server " + otherIndex)
                && row("127.0.0.61").server().equals("server " + otherIndex));

        click(robot, "#clients-unpin");
        waitFor(() -> row("127.0.0.61").pin().isEmpty());
        assertThat(engine.clientTable().pins()).isEmpty();
    }

    @Test
    void aServerNumberThatDoesNotExistIsRefusedBeforeAnythingIsSent(FxRobot robot) {
        showClients(robot);
        fetch("127.0.0.71", 1);
        waitFor(() -> row("127.0.0.71") != null && model.clients().serverChoices().size() == 2);
        int sent = fx(() -> model.commands().transcript().size());
        assertThat(fx(() -> model.clients().pinProblem("7"))).isEqualTo("there is no server 7 (servers are 0-1)");
        assertThat(fx(() -> model.clients().pinProblem("seven"))).isEqualTo("'seven' is not a server number");
        assertThat(fx(() -> model.clients().pinProblem(""))).isEqualTo("choose a server to pin to");
        assertThat(fx(() -> model.clients().pinProblem("1 · 127.0.0.1:" + beta.port() + " (up)"))).isNull();
        WaitForAsyncUtils.asyncFx(() -> model.clients().pin(List.of("127.0.0.71"), "7"));
        waitFor(() -> "pin: there is no server 7 (servers are 0-1)".equals(robot.lookup("#clients-reply").queryAs(Label.class).getText()));
        assertThat(fx(() -> model.commands().transcript().size())).as("nothing sent").isEqualTo(sent);
    }
}
