package io.jpen.gui.view;

import io.jpen.gui.model.FleetMember;
import io.jpen.gui.model.Format;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;


/**
 * How one balancer of a fleet looks: a compact entry for the sidebar and a card for the fleet overview, both
 * bound to its {@link FleetMember} and in its tone (ok; warning when a server needs a look; danger when it failed,
 * is out of contact, has a failing server or none up).
 */
final class FleetMemberViews {
    private FleetMemberViews() {}

    /** Contact and role, name, listen address, the figures, servers by state, and what is wrong if anything. */
    static VBox sidebarEntry(FleetMember m) {
        Label figures = label("fleet-member-detail", Bindings.createStringBinding(() -> m.connectionsProperty().get() + (m.connectionsProperty().get() == 1 ? " conn · " : " conns · ")
                        + Format.perSecond(m.newPerSecondProperty().get()) + " new · " + Format.rate(m.bytesPerSecondProperty().get()),
                m.connectionsProperty(), m.newPerSecondProperty(), m.bytesPerSecondProperty()));
        figures.getStyleClass().add("fleet-figures");
        Label listen = label("fleet-member-detail", Bindings.createStringBinding(
                () -> m.listenProperty().get().isEmpty() ? "" : "listens on " + m.listenProperty().get(), m.listenProperty()));
        Label servers = label("fleet-member-detail", m.serversProperty());
        servers.getStyleClass().add("fleet-servers");
        Label problem = problem(m);
        // the name on a line of its own, where it can wrap: SSH names with an API port are long
        Label name = label("fleet-member-name", m.nameProperty());
        // an address has no spaces to wrap at: cut in the middle, where two balancers on one host differ least
        name.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        javafx.scene.control.Tooltip full = new javafx.scene.control.Tooltip();
        full.textProperty().bind(m.nameProperty());
        name.setTooltip(full);
        VBox box = new VBox(contactLine(m), name, listen, figures, servers, problem);
        box.getStyleClass().add("fleet-member");
        paint(box, m);
        return box;
    }

    /** The fleet overview's card: the same, with the figures large, and whether fleet commands go to it. */
    static VBox card(FleetMember m) {
        HBox figures = new HBox(16,
                figure("connections", Bindings.createStringBinding(() -> Integer.toString(m.connectionsProperty().get()), m.connectionsProperty())),
                figure("new / s", Bindings.createStringBinding(() -> Format.perSecond(m.newPerSecondProperty().get()), m.newPerSecondProperty())),
                figure("both ways", Bindings.createStringBinding(() -> Format.rate(m.bytesPerSecondProperty().get()), m.bytesPerSecondProperty())));
        figures.getStyleClass().add("fleet-card-figures");
        Label listen = label("fleet-member-detail", Bindings.createStringBinding(
                () -> m.listenProperty().get().isEmpty() ? "" : "listens on " + m.listenProperty().get(), m.listenProperty()));
        Label servers = label("fleet-member-detail", m.serversProperty());
        servers.getStyleClass().add("fleet-servers");
        CheckBox chosen = new CheckBox("include in fleet commands");
        chosen.getStyleClass().add("fleet-chosen");
        chosen.selectedProperty().bindBidirectional(m.chosenProperty());
        VBox card = new VBox(header(m), listen, figures, servers, problem(m), chosen);
        card.getStyleClass().add("fleet-card");
        paint(card, m);
        return card;
    }

    /** The dot in the balancer's tone, whether it is in contact, and its HA role. */
    private static HBox contactLine(FleetMember m) {
        Label dot = new Label("●");
        dot.getStyleClass().add("fleet-dot");
        Label contact = label("fleet-member-detail", Bindings.createStringBinding(() -> switch (m.phaseProperty().get()) {
            case OPENING -> "opening";
            case FAILED -> "not attached";
            case LIVE -> m.inContactProperty().get() ? "in contact" : "out of contact";
        }, m.phaseProperty(), m.inContactProperty()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox h = new HBox(6, dot, contact, grow, role(m));
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private static Label role(FleetMember m) {
        Label role = label("fleet-role", m.roleProperty());
        role.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        role.visibleProperty().bind(m.roleProperty().isNotEmpty());
        role.managedProperty().bind(role.visibleProperty());
        m.roleProperty().addListener((o, was, now) -> role.getStyleClass().setAll("label", "fleet-role", "role-" + now));
        role.getStyleClass().add("role-" + m.roleProperty().get());
        return role;
    }

    private static HBox header(FleetMember m) {
        Label dot = new Label("●");
        dot.getStyleClass().add("fleet-dot");
        Label name = label("fleet-member-name", m.nameProperty());
        name.setMinWidth(0);
        name.setWrapText(true);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox h = new HBox(6, dot, name, grow, role(m));
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private static Label problem(FleetMember m) {
        Label problem = label("fleet-problem", Bindings.createStringBinding(() -> switch (m.phaseProperty().get()) {
            case OPENING -> "opening…";
            case FAILED, LIVE -> m.problemProperty().get();
        }, m.phaseProperty(), m.problemProperty()));
        problem.setWrapText(true);
        problem.setMaxWidth(270);
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        return problem;
    }

    private static VBox figure(String caption, ObservableValue<String> value) {
        Label v = label("fleet-figure", value);
        Label c = new Label(caption);
        c.getStyleClass().add("fleet-figure-caption");
        return new VBox(0, v, c);
    }

    private static Label label(String styleClass, ObservableValue<String> text) {
        Label l = new Label();
        l.getStyleClass().add(styleClass);
        l.textProperty().bind(text);
        return l;
    }

    /** The balancer's tone on the whole entry: its dot, servers line and card edge take -jpen-tone (fleet.css). */
    private static void paint(Node n, FleetMember m) {
        Tones.follow(n, m.healthProperty());
    }
}
