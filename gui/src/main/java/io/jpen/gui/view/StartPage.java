package io.jpen.gui.view;

import io.jpen.gui.app.Sessions;
import io.jpen.gui.model.StartModel;
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

/** The three ways in: the demo, a local balancer from a Pen command line, or attach to a running jpen. */
public final class StartPage extends VBox {
    private final ComboBox<String> url = new ComboBox<>();

    public StartPage(StartModel model) {
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
        demo.getStyleClass().add("accent");
        demo.setDefaultButton(true);
        demo.setOnAction(e -> model.demo());
        VBox demoCard = card("Demo", Sessions.DEMO_DESCRIPTION, demo);
        demoCard.setId("start-demo-card");

        TextField penArgs = new TextField();
        penArgs.setId("start-local-args");
        penArgs.setPromptText("-r 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082:100");
        penArgs.textProperty().bindBidirectional(model.localArgsProperty());
        penArgs.setOnAction(e -> model.local());
        Button local = new Button("Start");
        local.setId("start-local");
        local.setOnAction(e -> model.local());
        HBox.setHgrow(penArgs, Priority.ALWAYS);
        VBox localCard = card("Local balancer", "A balancer in this window from a Pen command line: "
                + "[options] [host:]port server[:port[:max[:hard[:weight[:prio]]]]] …  (-F file loads a config file)", new HBox(8, penArgs, local));

        url.setId("start-attach-url");
        url.setEditable(true);
        url.setItems(model.recentUrls());
        url.setPromptText("http://127.0.0.1:9090  or  ssh://user@host");
        // the editor's text is the address: what the user typed, picked from the list, or what the command line gave
        url.getEditor().textProperty().bindBidirectional(model.attachUrlProperty());
        url.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(url, Priority.ALWAYS);
        PasswordField token = new PasswordField();
        token.setId("start-attach-token");
        token.setPromptText("API token");
        // over SSH the token is read on the remote host: nothing to type
        token.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> io.jpen.core.api.client.ssh.SshTarget.isSsh(model.attachUrlProperty().get()), model.attachUrlProperty()));
        token.textProperty().bindBidirectional(model.tokenProperty());
        token.setOnAction(e -> model.attach());
        Button attach = new Button("Attach");
        attach.setId("start-attach");
        attach.setOnAction(e -> model.attach());
        VBox attachCard = card("Attach", "A jpen running elsewhere (./jpen with its API enabled), by its API's address, or over "
                + "SSH with your own keys and known_hosts (ssh://user@host; the API stays on that host's loopback and the token "
                + "is read there). Recent addresses are remembered; tokens are not.", new HBox(8, url, token, attach));

        for (Button b : new Button[]{demo, local, attach}) b.disableProperty().bind(model.busyProperty());
        Label status = new Label();
        status.setId("start-status");
        status.setWrapText(true);
        status.setMaxWidth(760);
        status.textProperty().bind(model.statusProperty());
        Tones.follow(status, model.statusToneProperty());
        getChildren().addAll(header, demoCard, localCard, attachCard, status);
    }

    /** The address box (for tests: what it shows). */
    public String attachAddress() {
        return url.getEditor().getText();
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
