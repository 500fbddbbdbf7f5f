package io.jpen.gui.view;

import io.jpen.gui.model.ConsoleModel;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.util.Locale;

/** The console window's content: menu, banner, one tab per view, status bar. */
public final class MainView extends BorderPane {
    /** The tabs, in order; Ctrl+1 … Ctrl+7 select them (Clients came last, so the older shortcuts stay). */
    public enum Page { OVERVIEW, SERVERS, CONNECTIONS, MODES, PENCTL, EVENTS, CLIENTS }

    private final ConsoleModel model;
    private final TabPane tabs = new TabPane();
    private final ServersView servers;
    private final ConnectionsView connections;
    private final ClientsView clients;
    private final ModesView modes;
    private final PenctlView penctl;
    private final OverviewView overview;
    private final java.util.concurrent.ScheduledExecutorService clock;
    private final Label fxTime = new Label();

    public MainView(ConsoleModel model, Runnable newSession, Runnable toggleTheme, Runnable quit) {
        this.model = model;
        getStyleClass().add("main-view");
        servers = new ServersView(model.servers());
        connections = new ConnectionsView(model.connections());
        clients = new ClientsView(model.clients());
        modes = new ModesView(model.modes());
        penctl = new PenctlView(model.commands());
        overview = new OverviewView(model.overview());
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().addAll(
                tab("Overview", overview),
                tab("Servers", servers),
                tab("Connections", connections),
                tab("Modes", modes),
                tab("penctl", penctl),
                tab("Events", new EventsView(model.events())),
                tab("Clients", clients));
        model.afterTick(modes::sync);

        Label banner = new Label();
        banner.setId("banner");
        banner.getStyleClass().add("banner");
        Tones.paint(banner, io.jpen.gui.model.Tone.DANGER);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.textProperty().bind(model.status().bannerProperty());
        banner.visibleProperty().bind(model.status().bannerProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());

        setTop(new VBox(menu(newSession, toggleTheme, quit), banner));
        setCenter(tabs);
        setBottom(statusBar());

        // snapshots can stop arriving (a remote went away): check reachability on a clock of our own. Not a
        // Timeline: a running animation keeps JavaFX pulsing at 60 Hz, which costs CPU for nothing.
        clock = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpen-console-clock");
            t.setDaemon(true);
            return t;
        });
        clock.scheduleWithFixedDelay(() -> model.fx().run(this::everySecond), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void everySecond() {
        model.everySecond();
        fxTime.setText(String.format(Locale.ROOT, "UI %.1f ms/tick", model.fx().stats().lastMillis()));
    }

    public void stop() {
        clock.shutdownNow();
    }

    public void show(Page page) {
        tabs.getSelectionModel().select(page.ordinal());
    }

    public TabPane tabs() { return tabs; }
    public OverviewView overview() { return overview; }
    public ServersView servers() { return servers; }
    public ConnectionsView connections() { return connections; }
    public ClientsView clients() { return clients; }
    public ModesView modes() { return modes; }
    public PenctlView penctl() { return penctl; }

    private static Tab tab(String title, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setId("tab-" + title.toLowerCase(Locale.ROOT));
        return t;
    }

    private MenuBar menu(Runnable newSession, Runnable toggleTheme, Runnable quit) {
        MenuItem session = item("Start page…", new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), newSession);
        MenuItem exit = item("Quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), quit);
        Menu file = new Menu("Console", null, session, new SeparatorMenuItem(), exit);

        Menu view = new Menu("View");
        for (Page p : Page.values()) {
            view.getItems().add(item(tabs.getTabs().get(p.ordinal()).getText(),
                    new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(p.ordinal() + 1)), KeyCombination.SHORTCUT_DOWN), () -> show(p)));
        }
        view.getItems().addAll(new SeparatorMenuItem(),
                item("Light / dark", new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), toggleTheme));

        Menu actions = new Menu("Actions", null,
                item("Filter connections", new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.CONNECTIONS);
                    connections.filter().requestFocus();
                }),
                item("Pause / resume connection updates", new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN),
                        () -> connections.pause().setSelected(!connections.pause().isSelected())),
                item("Close selected connections…", new KeyCodeCombination(KeyCode.DELETE, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.CONNECTIONS);
                    connections.closeSelected();
                }),
                new SeparatorMenuItem(),
                item("Edit selected server…", new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.SERVERS);
                    servers.edit();
                }),
                item("Blacklist selected server", new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.SERVERS);
                    servers.blacklist();
                }),
                item("Re-enable selected server", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.SERVERS);
                    servers.enable();
                }),
                new SeparatorMenuItem(),
                item("penctl prompt", new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), () -> {
                    show(Page.PENCTL);
                    penctl.input().requestFocus();
                }));
        return new MenuBar(file, view, actions);
    }

    private static MenuItem item(String text, KeyCombination key, Runnable action) {
        MenuItem i = new MenuItem(text);
        i.setAccelerator(key);
        i.setOnAction(e -> action.run());
        return i;
    }

    private HBox statusBar() {
        Label where = new Label();
        where.setId("status-target");
        where.textProperty().bind(Bindings.createStringBinding(() -> model.status().targetProperty().get()
                + (model.status().listenProperty().get().isEmpty() ? "" : "  ·  listening on " + model.status().listenProperty().get()),
                model.status().targetProperty(), model.status().listenProperty()));
        Label uptime = new Label();
        uptime.textProperty().bind(Bindings.concat("up ", model.status().uptimeProperty()));
        Label transport = new Label();
        transport.textProperty().bind(model.status().transportProperty());
        Label role = new Label();
        role.setId("status-role");
        role.textProperty().bind(Bindings.concat("role ", model.status().roleProperty()));
        role.visibleProperty().bind(model.status().roleProperty().isNotEmpty());
        role.managedProperty().bind(role.visibleProperty());
        javafx.scene.control.Tooltip since = new javafx.scene.control.Tooltip();
        since.textProperty().bind(model.status().roleSinceProperty());
        role.setTooltip(since);
        javafx.scene.control.Separator roleSep = sep();
        roleSep.visibleProperty().bind(role.visibleProperty());
        roleSep.managedProperty().bind(role.visibleProperty());
        Label state = new Label();
        state.setId("status-connection");
        state.textProperty().bind(Bindings.when(model.status().connectedProperty()).then("● connected").otherwise("● disconnected"));
        Tones.follow(state, Bindings.when(model.status().connectedProperty()).then(io.jpen.gui.model.Tone.OK)
                .otherwise(io.jpen.gui.model.Tone.DANGER));
        fxTime.getStyleClass().add("hint");
        fxTime.setTooltip(new javafx.scene.control.Tooltip("Time the UI thread spent applying the last snapshot"));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(10, where, grow, fxTime, sep(), role, roleSep, transport, sep(), uptime, sep(), state);
        bar.setId("status-bar");
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return bar;
    }

    private static javafx.scene.control.Separator sep() {
        return new javafx.scene.control.Separator(javafx.geometry.Orientation.VERTICAL);
    }
}
