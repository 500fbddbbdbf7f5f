package io.jpen.gui.view;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * A toolbar's last item: the reply to the operator's last action at its left, a count (if any) at its right.
 * Its preferred width is zero, so what it says never changes whether the toolbar overflows: JavaFX's ToolBar takes
 * every item out of the scene and puts it back each time that changes (a click landing then finds no button), and it
 * would hide buttons behind its overflow menu to show a longer reply. It takes the width the buttons leave; a reply
 * too long for it ends in an ellipsis, and its tooltip holds it whole.
 */
final class StatusLine extends HBox {
    StatusLine(Label reply, Label... counts) {
        super(8);
        setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        setMinWidth(0);
        setPrefWidth(0);
        setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(this, Priority.ALWAYS);
        Tooltip whole = new Tooltip();
        whole.textProperty().bind(reply.textProperty());
        reply.tooltipProperty().bind(Bindings.when(reply.textProperty().isEmpty()).then((Tooltip) null).otherwise(whole));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getChildren().addAll(reply, grow);
        for (Label count : counts) count.setMinWidth(Region.USE_PREF_SIZE); // the reply gives way, not the count
        getChildren().addAll(counts);
    }
}
