package io.jpen.gui.view;

import io.jpen.core.model.FastClose;
import io.jpen.core.model.HashMethod;
import io.jpen.gui.model.ModesModel;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import atlantafx.base.controls.ToggleSwitch;

import java.util.function.Consumer;

/**
 * The balancer's modes. Each control sends one command when the operator changes it, and shows what the balancer
 * says at the next tick: a refused change springs back and the reply says why.
 */
public final class ModesView extends VBox {
    private final ModesModel model;
    /** True while controls are being set from the model, so that does not send commands back. */
    private boolean syncing;

    final ComboBox<ModesModel.Algorithm> algorithm = new ComboBox<>();
    final ToggleSwitch stubborn = new ToggleSwitch();
    final ToggleSwitch dummy = new ToggleSwitch();
    final Spinner<Integer> idlers = new Spinner<>(0, 10_000, 0);
    final ChoiceBox<FastClose> fastClose = new ChoiceBox<>();
    final ChoiceBox<HashMethod> hashMethod = new ChoiceBox<>();
    final Spinner<Integer> idleTimeout = new Spinner<>(0, 864_000, 0, 10);
    final ToggleSwitch tcpNodelay = new ToggleSwitch();
    final ToggleSwitch http = new ToggleSwitch();
    final ToggleSwitch acceptProxy = new ToggleSwitch();
    /** -1 = any peer, else the ACL a PROXY sender must pass. */
    final ChoiceBox<Integer> acceptProxyAcl = new ChoiceBox<>();
    final TextField writeFile = new TextField();

    public ModesView(ModesModel model) {
        this.model = model;
        getStyleClass().add("modes");
        setPadding(new Insets(14));
        setSpacing(12);

        algorithm.setId("mode-algorithm");
        algorithm.getItems().setAll(ModesModel.Algorithm.values());
        algorithm.setOnAction(e -> {
            if (!syncing && algorithm.getValue() != null) model.algorithm(algorithm.getValue());
        });
        stubborn.setId("mode-stubborn");
        dummy.setId("mode-dummy");
        tcpNodelay.setId("mode-tcp-nodelay");
        http.setId("mode-http");
        switchSends(stubborn, model::stubborn);
        switchSends(dummy, model::dummy);
        switchSends(tcpNodelay, model::tcpNodelay);
        switchSends(http, model::http);

        idlers.setId("mode-idlers");
        WholeNumberFields.editable(idlers);
        idlers.setPrefWidth(100);
        Button setIdlers = new Button("Set");
        setIdlers.setId("mode-idlers-set");
        setIdlers.setOnAction(e -> {
            idlers.increment(0); // commit typed text
            model.idlers(idlers.getValue());
        });
        Label idlersNow = new Label();
        idlersNow.setId("mode-idlers-now");
        idlersNow.getStyleClass().add("hint");
        idlersNow.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String current = model.idlersCurrentProperty().get();
            return "wanted " + model.idlersWantedProperty().get() + (current.isEmpty() ? "" : ", " + current);
        }, model.idlersWantedProperty(), model.idlersCurrentProperty()));

        fastClose.setId("mode-fastclose");
        fastClose.getItems().setAll(FastClose.values());
        fastClose.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(FastClose f) {
                if (f == null) return "";
                return switch (f) {
                    case OFF -> "off (wait for both sides)";
                    case UP -> "up (server closes)";
                    case DOWN -> "down (client closes)";
                    case BOTH -> "both";
                };
            }
            @Override public FastClose fromString(String s) { return FastClose.parse(s); }
        });
        fastClose.setOnAction(e -> {
            if (!syncing && fastClose.getValue() != null) model.fastClose(fastClose.getValue());
        });

        hashMethod.setId("mode-hash-method");
        hashMethod.getItems().setAll(HashMethod.values());
        hashMethod.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(HashMethod m) {
                if (m == null) return "";
                return switch (m) {
                    case MODULO -> "modulo (Pen's hash)";
                    case MAGLEV -> "maglev (consistent)";
                };
            }
            @Override public HashMethod fromString(String s) { return HashMethod.parse(s); }
        });
        hashMethod.setOnAction(e -> {
            if (!syncing && hashMethod.getValue() != null) model.hashMethod(hashMethod.getValue());
        });

        idleTimeout.setId("mode-idle-timeout");
        WholeNumberFields.editable(idleTimeout);
        idleTimeout.setPrefWidth(100);
        Button setIdle = new Button("Set");
        setIdle.setId("mode-idle-timeout-set");
        setIdle.setOnAction(e -> {
            idleTimeout.increment(0);
            model.idleTimeout(idleTimeout.getValue());
        });

        acceptProxy.setId("mode-accept-proxy");
        acceptProxyAcl.setId("mode-accept-proxy-acl");
        acceptProxyAcl.getItems().setAll(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        acceptProxyAcl.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Integer acl) { return acl == null ? "" : acl < 0 ? "from any peer" : "from peers of acl " + acl; }
            @Override public Integer fromString(String s) { return s.startsWith("from peers of acl ") ? Integer.parseInt(s.substring(18)) : -1; }
        });
        switchSends(acceptProxy, on -> model.acceptProxy(on, acceptProxyAcl.getValue() == null ? -1 : acceptProxyAcl.getValue()));
        acceptProxyAcl.setOnAction(e -> {
            if (!syncing && acceptProxy.isSelected() && acceptProxyAcl.getValue() != null) model.acceptProxy(true, acceptProxyAcl.getValue());
        });
        Label proxyCounts = new Label();
        proxyCounts.setId("mode-accept-proxy-counts");
        proxyCounts.getStyleClass().add("hint");
        proxyCounts.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String counts = model.acceptProxyCountsProperty().get();
            return "every connection starts with a PROXY header from a balancer in front" + (counts.isEmpty() ? "" : "; " + counts);
        }, model.acceptProxyCountsProperty()));

        writeFile.setId("mode-write-file");
        writeFile.setPromptText("/etc/jpen/jpen.cfg (a path on the balancer's machine)");
        writeFile.setPrefColumnCount(30);
        Button write = new Button("Write");
        write.setId("mode-write");
        write.setOnAction(e -> model.write(writeFile.getText()));

        GridPane g = new GridPane();
        g.setHgap(14);
        g.setVgap(10);
        g.getColumnConstraints().addAll(new ColumnConstraints(170), new ColumnConstraints());
        int row = 0;
        g.addRow(row++, label("Server selection"), new HBox(12, algorithm, hint("client tracking unless one is chosen; prio > weight > hash > round robin")));
        g.addRow(row++, label("Hash method"), new HBox(12, hashMethod, hint("maglev: balancers with the same servers agree; a server going out moves only its clients")));
        g.addRow(row++, label("Stubborn"), new HBox(12, stubborn, hint("no failover when the chosen server is unavailable")));
        g.addRow(row++, label("Dummy"), new HBox(12, dummy, hint("answer every request with a small HTTP 200 without a server")));
        g.addRow(row++, label("Idlers"), new HBox(8, idlers, setIdlers, idlersNow));
        g.addRow(row++, label("tcp_fastclose"), new HBox(12, fastClose, hint("close the pair as soon as this side closes")));
        g.addRow(row++, label("Idle timeout (s)"), new HBox(8, idleTimeout, setIdle, hint("0 = never")));
        g.addRow(row++, label("tcp_nodelay"), new HBox(12, tcpNodelay, hint("send small writes at once")));
        g.addRow(row++, label("HTTP"), new HBox(12, http, hint("add X-Forwarded-For to requests")));
        g.addRow(row++, label("accept_proxy"), new HBox(12, acceptProxy, acceptProxyAcl, proxyCounts));
        g.addRow(row++, label("Write configuration"), new HBox(8, writeFile, write));
        g.getChildren().stream().filter(n -> n instanceof HBox).forEach(n -> ((HBox) n).setAlignment(javafx.geometry.Pos.CENTER_LEFT));

        Label modeLine = new Label();
        modeLine.setId("mode-line");
        modeLine.getStyleClass().add("mode-line");
        modeLine.textProperty().bind(model.modeLineProperty());
        Label reply = new Label();
        reply.setId("mode-reply");
        reply.setWrapText(true);
        reply.textProperty().bind(model.lastReplyProperty());
        reply.getStyleClass().add("reply");
        Tones.follow(reply, javafx.beans.binding.Bindings.when(model.lastReplyOkProperty())
                .then(io.jpen.gui.model.Tone.OK).otherwise(io.jpen.gui.model.Tone.DANGER));
        getChildren().addAll(g, new HBox(8, label("mode:"), modeLine), new HBox(8, label("Last reply:"), reply));
        sync();
    }

    /** Sets every control to what the balancer reported last (called at each tick). */
    public void sync() {
        syncing = true;
        try {
            set(algorithm.valueProperty(), model.algorithmProperty().get());
            set(fastClose.valueProperty(), model.fastCloseProperty().get());
            set(hashMethod.valueProperty(), model.hashMethodProperty().get());
            stubborn.setSelected(model.stubbornProperty().get());
            dummy.setSelected(model.dummyProperty().get());
            tcpNodelay.setSelected(model.tcpNodelayProperty().get());
            http.setSelected(model.httpProperty().get());
            acceptProxy.setSelected(model.acceptProxyProperty().get());
            // while off, the choice keeps what the operator picked for turning it on
            if (model.acceptProxyProperty().get()) set(acceptProxyAcl.valueProperty(), model.acceptProxyAclProperty().get());
            else if (acceptProxyAcl.getValue() == null) acceptProxyAcl.setValue(-1);
            // do not overwrite a number the operator is typing
            if (!idlers.isFocused() && !idlers.getValue().equals(model.idlersWantedProperty().get())) {
                idlers.getValueFactory().setValue(model.idlersWantedProperty().get());
            }
            if (!idleTimeout.isFocused() && !idleTimeout.getValue().equals(model.idleTimeoutProperty().get())) {
                idleTimeout.getValueFactory().setValue(model.idleTimeoutProperty().get());
            }
        } finally {
            syncing = false;
        }
    }

    private static <T> void set(javafx.beans.property.ObjectProperty<T> p, T v) {
        if (p.get() != v) p.set(v);
    }

    private void switchSends(ToggleSwitch sw, Consumer<Boolean> send) {
        sw.selectedProperty().addListener((o, was, now) -> {
            if (!syncing) send.accept(now);
        });
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("form-label");
        return l;
    }

    private static Node hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        return l;
    }
}
