package io.jpen.gui;

import io.jpen.core.model.Reasons;
import io.jpen.gui.app.RecentTargets;
import io.jpen.gui.app.Session;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.model.StartModel;
import io.jpen.gui.view.AppIcon;
import io.jpen.gui.view.MainView;
import io.jpen.gui.view.StartPage;
import io.jpen.gui.view.Theme;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The desktop console: a start page, then one session at a time in the main view. */
public final class ConsoleApp extends Application {
    /** Set by {@link FxMain} before launch (JavaFX constructs the application itself). */
    static volatile LaunchOptions options = LaunchOptions.parse();
    static final KeyCombination QUIT = new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN);

    private final FxThread fx = new FxThread();
    private final io.jpen.core.api.client.ssh.HostKeyQuestion hostKeys = new io.jpen.gui.view.HostKeyDialog(() -> this.stage);
    private final RecentTargets recent;
    private final Runnable exit;
    private Stage stage;
    private Scene scene;
    private Theme theme;
    private StartModel start;
    private StartPage startPage;
    private Session session;
    private ConsoleModel model;
    private MainView main;
    private io.jpen.gui.model.FleetModel fleet;
    private io.jpen.gui.view.FleetView fleetView;

    public ConsoleApp() {
        this(new RecentTargets(), Platform::exit);
    }

    /** With the recent targets kept elsewhere and another way out (tests). */
    ConsoleApp(RecentTargets recent, Runnable exit) {
        this.recent = recent;
        this.exit = exit;
    }

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        LaunchOptions o = options;
        theme = new Theme(o.dark());
        scene = new Scene(new StackPane(), 1240, 820);
        theme.apply(scene);
        // Ctrl+Q on every page (the main view's menu shows it; the start page has no menu)
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (QUIT.match(e)) {
                e.consume();
                quit();
            }
        });
        stage.setScene(scene);
        stage.setTitle("jpen console");
        AppIcon.apply(stage);
        stage.setOnCloseRequest(e -> quit());
        showStartPage();
        stage.show();
        // the command line's way in goes through the start page, as if typed there: a failure stays to be corrected
        switch (o.mode()) {
            case DEMO -> start.demo();
            case LOCAL -> start.local(o.penArgs());
            case ATTACH -> {
                try {
                    start.attach(o.attachUrl(), o.token());
                } catch (RuntimeException unreadableTokenFile) {
                    start.failed(unreadableTokenFile);
                }
            }
            case FLEET -> showFleet(o.balancers());
            case START_PAGE -> { }
        }
    }

    /** The system's ssh client, with the ssh_config given on the command line if any. */
    static io.jpen.core.api.client.ssh.SshClient ssh(LaunchOptions o) {
        io.jpen.core.api.client.ssh.SshClient c = io.jpen.core.api.client.ssh.SshClient.system();
        return o.sshConfig() == null ? c : c.withConfig(o.sshConfig());
    }

    private void showStartPage() {
        start = new StartModel(recent, this::open, ssh(options), hostKeys);
        startPage = new StartPage(start);
        scene.setRoot(startPage);
        stage.setTitle("jpen console");
    }

    /** The start page (null while a session shows). */
    StartPage startPage() {
        return startPage;
    }

    /** Starts a session off the FX thread (it binds sockets or connects), then shows it. */
    private void open(Supplier<Session> factory) {
        StartModel asking = start;
        fx.when(CompletableFuture.supplyAsync(factory), (s, failure) -> {
            if (failure != null) {
                if (asking != null) asking.failed(failure);
                if (options.screenshot() != null) {
                    System.err.println("jpen-console: " + Reasons.words(failure));
                    Platform.exit();
                }
                return;
            }
            if (asking != start) { // the user went elsewhere meanwhile
                CompletableFuture.runAsync(s::close);
                return;
            }
            show(s);
        });
    }

    private void show(Session s) {
        session = s;
        model = new ConsoleModel(s.console(), fx, s.serverNames(), System::currentTimeMillis).start();
        main = new MainView(model, this::backToStartPage, () -> theme.toggle(scene), this::quit);
        scene.setRoot(main);
        start = null;
        startPage = null;
        stage.setTitle("jpen console — " + s.kind() + " — " + s.console().target());
        if (options.screenshot() != null) new Screenshots(stage, main, theme, options.screenshot(), this::showStartPage).run();
    }

    /** Several balancers in one window, each opened on its own: the sidebar shows each as it comes (or fails). */
    private void showFleet(java.util.List<io.jpen.gui.app.BalancerSpec> balancers) {
        fleet = new io.jpen.gui.model.FleetModel(fx);
        LaunchOptions o = options;
        java.util.function.Consumer<io.jpen.gui.app.BalancerSpec> add =
                spec -> fleet.open(spec, () -> io.jpen.gui.app.Sessions.openInFleet(spec, ssh(o), hostKeys));
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
        exit.run();
    }

    @Override
    public void stop() {
        if (main != null) main.stop();
        if (model != null) model.close();
        Session s = session;
        session = null;
        if (s != null) s.close();
    }
}
