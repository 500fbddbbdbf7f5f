package io.jpen.gui.view;

import io.jpen.gui.app.RecentTargets;
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The three ways in: the demo, a local balancer from a Pen command line, or attach to a running jpen. */
public final class StartPage extends VBox {
    private final Label status = new Label();
    private final List<Button> buttons;

    /**
     * @param start runs a session factory off the FX thread and shows the session (or the failure, via
     *              {@link #failed}); the page only says which session the user wants
     */
    public StartPage(RecentTargets recent, Consumer<Supplier<Session>> start) {
        getStyleClass().add("start-page");
        setSpacing(16);
        setPadding(new Insets(28, 40, 28, 40));
        setAlignment(Pos.TOP_CENTER);

        ImageView logo = new ImageView(io.jpen.icons.Icons.url(64).toExternalForm());
        Label title = new Label("jpen console");
        title.getStyleClass().add("start-title");
        Label subtitle = new Label("Watch and steer a jpen load balancer: every server, every connection, live.");
        subtitle.getStyleClass().add("hint");
        HBox header = new HBox(16, logo, new VBox(4, title, subtitle));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setMaxWidth(760);

        Button demo = new Button("Start the demo");
        demo.setId("start-demo");
        demo.setDefaultButton(true);
        demo.setOnAction(e -> go(start, Sessions::demo, "Starting the demo…"));
        VBox demoCard = card("Demo", "A balancer in this window in front of three small demo servers on loopback, with gentle "
                + "traffic, so you can try every view at once. Nothing leaves this machine.", demo);

        TextField penArgs = new TextField();
        penArgs.setId("start-local-args");
        penArgs.setPromptText("-r 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082:100");
        Button local = new Button("Start");
        local.setId("start-local");
        local.setOnAction(e -> {
            List<String> args = Arrays.stream(penArgs.getText().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            go(start, () -> Sessions.local(args), "Starting a balancer…");
        });
        HBox.setHgrow(penArgs, Priority.ALWAYS);
        VBox localCard = card("Local balancer", "A balancer in this window from a Pen command line: "
                + "[options] [host:]port server[:port[:max[:hard[:weight[:prio]]]]] …  (-F file loads a config file)", new HBox(8, penArgs, local));

        ComboBox<String> url = new ComboBox<>();
        url.setId("start-attach-url");
        url.setEditable(true);
        url.getItems().setAll(recent.list());
        url.setPromptText("http://127.0.0.1:9090");
        if (!url.getItems().isEmpty()) url.setValue(url.getItems().get(0));
        url.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(url, Priority.ALWAYS);
        PasswordField token = new PasswordField();
        token.setId("start-attach-token");
        token.setPromptText("API token");
        Button attach = new Button("Attach");
        attach.setId("start-attach");
        attach.setOnAction(e -> {
            String u = url.getEditor().getText().strip();
            String t = token.getText();
            go(start, () -> {
                Session s = Sessions.attach(u, t.isEmpty() ? null : t);
                recent.remember(u);
                return s;
            }, "Attaching to " + u + "…");
        });
        VBox attachCard = card("Attach", "A jpen running elsewhere (./jpen with its API enabled). Recent addresses are "
                + "remembered; tokens are not.", new HBox(8, url, token, attach));

        buttons = List.of(demo, local, attach);
        status.setId("start-status");
        status.setWrapText(true);
        getChildren().addAll(header, demoCard, localCard, attachCard, status);
    }

    private void go(Consumer<Supplier<Session>> start, Supplier<Session> factory, String message) {
        status.getStyleClass().setAll("label", "hint");
        status.setText(message);
        buttons.forEach(b -> b.setDisable(true));
        start.accept(factory);
    }

    /** Shows why a session could not start, and lets the user try again. */
    public void failed(String message) {
        buttons.forEach(b -> b.setDisable(false));
        status.getStyleClass().setAll("label", "reply-error");
        status.setText(message);
    }

    private static VBox card(String title, String text, javafx.scene.Node action) {
        Label t = new Label(title);
        t.getStyleClass().add("card-title");
        Label d = new Label(text);
        d.setWrapText(true);
        d.getStyleClass().add("hint");
        VBox box = new VBox(8, t, d, action);
        box.getStyleClass().add("card");
        box.setMaxWidth(760);
        return box;
    }
}
