package io.jpen.gui.view;

import io.jpen.gui.model.FlowModel;
import io.jpen.gui.model.Format;
import io.jpen.gui.model.Tone;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.CubicCurve;

import java.util.ArrayList;
import java.util.List;

/**
 * The Overview's live picture: clients → jpen → servers. An edge is as wide as its share of the traffic (from
 * {@link FlowModel}), a server's node and edge take the tone of its state. A plain Region with a few nodes per
 * server: a tick changes some texts and widths, and the nodes move only when the size or the server count does.
 */
public final class FlowView extends Region {
    private static final double MIN_EDGE = 1.5;
    private static final double MAX_EDGE = 14;
    private static final double PAD = 14;
    /** A server's node at full size, and the least a compact one-line node needs. */
    private static final double ROOMY = 50;
    private static final double COMPACT = 24;

    private final FlowModel model;
    private final VBox clients;
    private final VBox balancer;
    private final CubicCurve clientEdge = edge();
    private final Label clientRate = new Label();
    private final List<ServerNode> servers = new ArrayList<>();

    public FlowView(FlowModel model) {
        this.model = model;
        getStyleClass().add("flow");
        setId("overview-flow");
        setPadding(new Insets(PAD));

        clients = node(text("Clients", "flow-title"), text(model.clientDetailProperty(), "flow-detail"));
        clients.setId("flow-clients");
        ImageView logo = new ImageView(io.jpen.icons.Icons.url(16).toExternalForm());
        Label jpen = text("jpen", "flow-title");
        jpen.setGraphic(logo);
        balancer = node(jpen, text(model.balancerDetailProperty(), "flow-detail"));
        balancer.setId("flow-balancer");
        Tones.paint(balancer, Tone.ACCENT);
        Tones.paint(clientEdge, Tone.ACCENT);
        clientEdge.setId("flow-client-edge");
        clientRate.getStyleClass().add("flow-rate");
        clientRate.textProperty().bind(Bindings.createStringBinding(() -> Format.rate(model.clientRateProperty().get()),
                model.clientRateProperty()));
        model.clientShareProperty().addListener((o, was, now) -> width(clientEdge, now.doubleValue()));
        width(clientEdge, model.clientShareProperty().get());

        getChildren().addAll(clientEdge, clients, balancer, clientRate);
        model.servers().addListener((ListChangeListener<FlowModel.Server>) c -> rebuild());
        rebuild();
    }

    /** The nodes drawn for the servers, in order (for tests). */
    public List<Node> serverNodes() {
        return servers.stream().map(n -> (Node) n.box).toList();
    }

    /** The edges from the balancer to the servers, in order (for tests). */
    public List<CubicCurve> serverEdges() {
        return servers.stream().map(n -> n.edge).toList();
    }

    public CubicCurve clientEdge() {
        return clientEdge;
    }

    private void rebuild() {
        for (ServerNode n : servers) getChildren().removeAll(n.edge, n.box);
        servers.clear();
        for (FlowModel.Server s : model.servers()) {
            ServerNode n = new ServerNode(s);
            servers.add(n);
            getChildren().add(0, n.edge); // edges under the nodes
            getChildren().add(n.box);
        }
        requestLayout();
    }

    @Override
    protected double computePrefHeight(double width) {
        int n = Math.max(1, servers.size());
        double perServer = n <= 5 ? ROOMY + 8 : COMPACT + 4;
        return Math.max(190, Math.min(420, n * perServer + 2 * PAD));
    }

    @Override
    protected double computeMinHeight(double width) {
        // a few servers get their two-line nodes even when the charts below want the room
        return servers.size() <= 5 ? computePrefHeight(width) : 190;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double top = PAD;
        double bottom = h - PAD;
        double nodeW = Math.min(220, Math.max(140, w * 0.2));
        double serverW = Math.min(380, Math.max(200, w * 0.3));

        double clientsH = clients.prefHeight(nodeW);
        double cy = (top + bottom) / 2;
        clients.resizeRelocate(PAD, cy - clientsH / 2, nodeW, clientsH);
        double bx = Math.max(PAD + nodeW + 60, w * 0.42 - nodeW / 2);
        double balancerH = balancer.prefHeight(nodeW);
        balancer.resizeRelocate(bx, cy - balancerH / 2, nodeW, balancerH);
        curve(clientEdge, PAD + nodeW, cy, bx, cy);
        double rateW = clientRate.prefWidth(-1);
        double rateH = clientRate.prefHeight(-1);
        clientRate.resizeRelocate((PAD + nodeW + bx) / 2 - rateW / 2, cy - rateH - 8, rateW, rateH);

        int n = servers.size();
        if (n == 0) return;
        double sx = w - PAD - serverW;
        double slot = (bottom - top) / n;
        boolean compact = slot < ROOMY + 6;
        double boxH = Math.max(16, Math.min(compact ? COMPACT : ROOMY, slot - 4));
        for (int i = 0; i < n; i++) {
            ServerNode s = servers.get(i);
            s.compact(compact);
            double y = top + slot * i + (slot - boxH) / 2;
            s.box.resizeRelocate(sx, y, serverW, boxH);
            curve(s.edge, bx + nodeW, cy, sx, y + boxH / 2);
        }
    }

    /** A gentle S from one node's right side to the next one's left. */
    private static void curve(CubicCurve c, double x0, double y0, double x1, double y1) {
        double mid = (x0 + x1) / 2;
        c.setStartX(x0);
        c.setStartY(y0);
        c.setControlX1(mid);
        c.setControlY1(y0);
        c.setControlX2(mid);
        c.setControlY2(y1);
        c.setEndX(x1);
        c.setEndY(y1);
    }

    private static void width(CubicCurve edge, double share) {
        edge.setStrokeWidth(MIN_EDGE + (MAX_EDGE - MIN_EDGE) * share);
        boolean idle = share <= 0;
        if (idle != edge.getStyleClass().contains("idle")) {
            if (idle) edge.getStyleClass().add("idle");
            else edge.getStyleClass().remove("idle");
        }
    }

    private static CubicCurve edge() {
        CubicCurve c = new CubicCurve();
        c.getStyleClass().add("flow-edge");
        c.setMouseTransparent(true);
        return c;
    }

    private static VBox node(Node... children) {
        VBox box = new VBox(2, children);
        box.getStyleClass().add("flow-node");
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static Label text(String s, String styleClass) {
        Label l = new Label(s);
        l.getStyleClass().add(styleClass);
        l.setMinWidth(0);
        return l;
    }

    private static Label text(ObservableValue<String> s, String styleClass) {
        Label l = text("", styleClass);
        l.textProperty().bind(s);
        return l;
    }

    /** One server: a card with a dot in its state's tone, its name, state, connections and rate, and its edge. */
    private static final class ServerNode {
        final CubicCurve edge = edge();
        final HBox box;
        final Label title;
        final Label address;
        final Label detail;
        final VBox lines;
        private boolean compact;

        ServerNode(FlowModel.Server s) {
            Circle dot = new Circle(5);
            dot.getStyleClass().add("flow-dot");
            title = text(s.titleProperty(), "flow-title");
            address = text(s.addressProperty(), "flow-address");
            detail = text(Bindings.createStringBinding(() -> s.detailProperty().get() + " · " + Format.rate(s.rateProperty().get()),
                    s.detailProperty(), s.rateProperty()), "flow-state");
            HBox head = new HBox(8, title, address);
            head.setAlignment(Pos.BASELINE_LEFT);
            lines = new VBox(1, head, detail);
            lines.setAlignment(Pos.CENTER_LEFT);
            box = new HBox(8, dot, lines);
            box.getStyleClass().add("flow-node");
            box.setAlignment(Pos.CENTER_LEFT);
            box.setId("flow-server-" + s.index());
            javafx.scene.control.Tooltip why = new javafx.scene.control.Tooltip();
            why.textProperty().bind(Bindings.concat(s.titleProperty(), "  ", s.addressProperty(), "\n", s.stateTextProperty()));
            javafx.scene.control.Tooltip.install(box, why);
            Tones.follow(box, s.toneProperty());
            Tones.follow(edge, s.toneProperty());
            s.shareProperty().addListener((o, was, now) -> width(edge, now.doubleValue()));
            width(edge, s.shareProperty().get());
        }

        /** One line (name, state, rate) when there is not room for two. */
        void compact(boolean c) {
            if (c == compact) return;
            compact = c;
            HBox head = (HBox) lines.getChildren().get(0);
            if (c) {
                lines.getChildren().remove(detail);
                head.getChildren().setAll(title, detail);
            } else {
                head.getChildren().setAll(title, address);
                lines.getChildren().add(detail);
            }
        }
    }
}
