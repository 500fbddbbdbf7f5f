package io.jpen.gui.view;

import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.FleetModel;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Several balancers in one window: a sidebar lists them (coloured when something is wrong, with what), and the
 * rest of the window shows either the fleet overview or the chosen balancer with the same views as a single one.
 */
public final class FleetView extends BorderPane {
    private final FleetModel fleet;
    private final ListView<FleetMember> list = new ListView<>();
    private final Map<FleetMember, VBox> entryOf = new IdentityHashMap<>();
    private final Map<FleetMember, MainView> viewOf = new IdentityHashMap<>();
    private final FleetOverviewView overview;
    private final StackPane content = new StackPane();
    private final Button overviewButton = new Button("Fleet overview");
    private final Label saved = new Label();
    private final Function<FleetMember, MainView> mainViews;
    private final ScheduledExecutorService clock;

    /**
     * @param mainViews builds the usual views for one open balancer (its menu acts on that balancer)
     * @param add       opens one more balancer (the address as typed in the Add dialog)
     * @param save      saves the fleet as a workspace of the given name; returns where, or throws saying why not
     */
    public FleetView(FleetModel fleet, Function<FleetMember, MainView> mainViews, Consumer<BalancerSpec> add,
                     Function<String, String> save) {
        this.fleet = fleet;
        this.mainViews = mainViews;
        getStyleClass().add("fleet");
        getStylesheets().add(FleetView.class.getResource("/io/jpen/gui/fleet.css").toExternalForm());
        setId("fleet-view");
        overview = new FleetOverviewView(fleet);

        Label title = new Label("Balancers");
        title.getStyleClass().add("fleet-sidebar-title");
        overviewButton.setId("fleet-overview-button");
        overviewButton.setMaxWidth(Double.MAX_VALUE);
        overviewButton.setOnAction(e -> list.getSelectionModel().clearSelection());
        list.setId("fleet-list");
        list.getStyleClass().add("fleet-list");
        list.setItems(fleet.members());
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FleetMember m, boolean empty) {
                super.updateItem(m, empty);
                setText(null);
                // as wide as the list, never wider: long names wrap instead of scrolling sideways
                setPrefWidth(0);
                setGraphic(empty || m == null ? null : entryOf.computeIfAbsent(m, FleetMemberViews::sidebarEntry));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> fleet.selectedProperty().set(now));
        fleet.selectedProperty().addListener((o, was, now) -> {
            if (now == null) list.getSelectionModel().clearSelection();
            else list.getSelectionModel().select(now);
            show(now);
        });
        fleet.members().addListener((ListChangeListener<FleetMember>) c -> {
            entryOf.keySet().retainAll(fleet.members());
            viewOf.entrySet().removeIf(e -> {
                if (fleet.members().contains(e.getKey())) return false;
                e.getValue().stop();
                return true;
            });
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Button addButton = new Button("Add…");
        addButton.setId("fleet-add");
        addButton.setOnAction(e -> askToAdd(add));
        Button remove = new Button("Remove");
        remove.setId("fleet-remove");
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> {
            FleetMember m = list.getSelectionModel().getSelectedItem();
            if (m != null) fleet.remove(m);
        });
        Button saveButton = new Button("Save workspace…");
        saveButton.setId("fleet-save");
        saveButton.setOnAction(e -> askToSave(save));
        saved.getStyleClass().add("hint");
        saved.setWrapText(true);
        saved.setId("fleet-saved");
        HBox buttons = new HBox(6, addButton, remove);
        VBox sidebar = new VBox(title, overviewButton, list, buttons, saveButton, saved);
        sidebar.getStyleClass().add("fleet-sidebar");
        sidebar.setPrefWidth(290);
        sidebar.setMinWidth(240);
        setLeft(sidebar);
        setCenter(content);
        show(null);

        // snapshots can stop (a balancer out of contact): check on a clock of our own, not an animation
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpen-fleet-clock");
            t.setDaemon(true);
            return t;
        });
        clock.scheduleWithFixedDelay(() -> fleet.fx().run(this::everySecond), 0, 1, TimeUnit.SECONDS);
    }

    private void everySecond() {
        fleet.everySecond();
        overview.everySecond();
    }

    private void show(FleetMember m) {
        Node n;
        if (m == null || m.model() == null) {
            n = m == null ? overview : waiting(m);
        } else {
            n = viewOf.computeIfAbsent(m, mainViews);
        }
        content.getChildren().setAll(n);
    }

    /** A balancer still opening, or one that failed: say so where its views would be. */
    private Node waiting(FleetMember m) {
        Label l = new Label();
        l.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> m.nameProperty().get() + ": "
                + (m.phaseProperty().get() == FleetMember.Phase.OPENING ? "opening…" : m.problemProperty().get()),
                m.nameProperty(), m.phaseProperty(), m.problemProperty()));
        l.setWrapText(true);
        l.setPadding(new Insets(24));
        m.phaseProperty().addListener((o, was, now) -> {
            if (fleet.selectedProperty().get() == m) show(m);
        });
        return l;
    }

    private void askToAdd(Consumer<BalancerSpec> add) {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Add a balancer");
        d.setHeaderText("Attach one more balancer to this window");
        TextField address = new TextField();
        address.setId("fleet-add-address");
        address.setPromptText("ssh://ops@lb1   or   http://127.0.0.1:9090");
        address.setPrefColumnCount(32);
        TextField tokenFile = new TextField();
        tokenFile.setId("fleet-add-token-file");
        tokenFile.setPromptText("for http(s): a file holding the token (else $JPEN_TOKEN)");
        Label error = new Label();
        error.getStyleClass().add("fleet-problem");
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.addRow(0, new Label("Address"), address);
        g.addRow(1, new Label("Token file"), tokenFile);
        g.add(error, 1, 2);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.getDialogPane().setId("fleet-add-dialog");
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        // a bad address keeps the dialog open with the reason
        d.getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            try {
                BalancerSpec spec = BalancerSpec.attach(address.getText());
                if (!tokenFile.getText().isBlank()) spec = spec.withTokenFile(java.nio.file.Path.of(tokenFile.getText().strip()));
                else if (!spec.ssh() && System.getenv("JPEN_TOKEN") != null) spec = spec.withToken(System.getenv("JPEN_TOKEN").strip());
                add.accept(spec);
            } catch (IllegalArgumentException bad) {
                error.setText(bad.getMessage());
                e.consume();
            }
        });
        d.showAndWait();
    }

    private void askToSave(Function<String, String> save) {
        TextInputDialog d = new TextInputDialog();
        d.setTitle("Save workspace");
        d.setHeaderText("Save these balancers as a workspace (no tokens are saved)");
        d.setContentText("Name");
        d.getDialogPane().setId("fleet-save-dialog");
        d.getEditor().setId("fleet-save-name");
        if (getScene() != null) d.initOwner(getScene().getWindow());
        d.showAndWait().map(String::strip).filter(s -> !s.isEmpty()).ifPresent(name -> {
            try {
                saved.setText("Saved: " + save.apply(name) + " — reopen with jpen-console --workspace " + name);
            } catch (RuntimeException e) {
                saved.setText(e.getMessage());
            }
        });
    }

    /** Stops the clocks of the fleet window and of every balancer's views. */
    public void stop() {
        clock.shutdownNow();
        viewOf.values().forEach(MainView::stop);
    }

    public FleetOverviewView overview() { return overview; }
    public ListView<FleetMember> list() { return list; }
    /** The views of a balancer once it has been shown, else null. */
    public MainView mainView(FleetMember m) { return viewOf.get(m); }
}
