package io.jpen.gui;

import io.jpen.gui.app.RecentTargets;
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.view.AppIcon;
import io.jpen.gui.view.MainView;
import io.jpen.gui.view.StartPage;
import io.jpen.gui.view.Theme;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The desktop console: a start page, then one session at a time in the main view. */
public final class ConsoleApp extends Application {
    /** Set by {@link FxMain} before launch (JavaFX constructs the application itself). */
    static volatile LaunchOptions options = LaunchOptions.parse();

    private final FxThread fx = new FxThread();
    private final io.jpen.core.console.ssh.HostKeyQuestion hostKeys = new io.jpen.gui.view.HostKeyDialog(() -> this.stage);
    private Stage stage;
    private Scene scene;
    private Theme theme;
    private StartPage startPage;
    private Session session;
    private ConsoleModel model;
    private MainView main;
    private io.jpen.gui.model.FleetModel fleet;
    private io.jpen.gui.view.FleetView fleetView;

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        LaunchOptions o = options;
        theme = new Theme(o.dark());
        scene = new Scene(new StackPane(), 1240, 820);
        theme.apply(scene);
        stage.setScene(scene);
        stage.setTitle("jpen console");
        AppIcon.apply(stage);
        stage.setOnCloseRequest(e -> quit());
        showStartPage();
        stage.show();
        switch (o.mode()) {
            case DEMO -> open(Sessions::demo);
            case LOCAL -> open(() -> Sessions.local(o.penArgs()));
            case ATTACH -> open(() -> Sessions.open(o.balancers().get(0), ssh(o), hostKeys));
            case FLEET -> showFleet(o.balancers());
            case START_PAGE -> { }
        }
    }

    /** The system's ssh client, with the ssh_config given on the command line if any. */
    static io.jpen.core.console.ssh.SshClient ssh(LaunchOptions o) {
        io.jpen.core.console.ssh.SshClient c = io.jpen.core.console.ssh.SshClient.system();
        return o.sshConfig() == null ? c : c.withConfig(o.sshConfig());
    }

    private void showStartPage() {
        startPage = new StartPage(new RecentTargets(), this::open);
        scene.setRoot(startPage);
        stage.setTitle("jpen console");
    }

    /** Starts a session off the FX thread (it binds sockets or connects), then shows it. */
    private void open(Supplier<Session> factory) {
        fx.when(CompletableFuture.supplyAsync(factory), (s, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                if (startPage != null) startPage.failed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
                if (options.screenshot() != null) {
                    System.err.println("jpen-console: " + cause.getMessage());
                    Platform.exit();
                }
                return;
            }
            show(s);
        });
    }

    private void show(Session s) {
        session = s;
        model = new ConsoleModel(s.console(), fx).start();
        main = new MainView(model, this::backToStartPage, () -> theme.toggle(scene), this::quit);
        scene.setRoot(main);
        startPage = null;
        stage.setTitle("jpen console — " + s.kind() + " — " + s.console().target());
        if (options.screenshot() != null) new Screenshots(stage, main, theme, options.screenshot(), this::showStartPage).run();
    }

    /** Several balancers in one window, each opened on its own: the sidebar shows each as it comes (or fails). */
    private void showFleet(java.util.List<io.jpen.gui.app.BalancerSpec> balancers) {
        fleet = new io.jpen.gui.model.FleetModel(fx);
        LaunchOptions o = options;
        java.util.function.Consumer<io.jpen.gui.app.BalancerSpec> add =
                spec -> fleet.open(spec, () -> Sessions.openInFleet(spec, ssh(o), hostKeys));
        fleetView = new io.jpen.gui.view.FleetView(fleet,
                m -> new MainView(m.model(), this::backToStartPage, () -> theme.toggle(scene), this::quit), add,
                name -> io.jpen.gui.app.Workspaces.standard(System.getenv()).save(name, fleet.specs()).toString());
        balancers.forEach(add);
        scene.setRoot(fleetView);
        startPage = null;
        stage.setTitle("jpen console — fleet of " + balancers.size());
        if (o.screenshot() != null) new FleetScreenshots(stage, fleet, theme, o.screenshot()).run();
    }

    private void backToStartPage() {
        closeSession();
        showStartPage();
    }

    private void closeSession() {
        if (fleetView != null) fleetView.stop();
        if (fleet != null) fleet.close();
        fleetView = null;
        fleet = null;
        if (main != null) main.stop();
        if (model != null) model.close();
        Session s = session;
        session = null;
        model = null;
        main = null;
        // closing an engine waits for its event loops: never on the FX thread
        if (s != null) CompletableFuture.runAsync(s::close);
    }

    private void quit() {
        closeSession();
        Platform.exit();
    }

    @Override
    public void stop() {
        Session s = session;
        session = null;
        if (s != null) s.close();
    }
}
