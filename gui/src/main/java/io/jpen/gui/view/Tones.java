package io.jpen.gui.view;

import io.jpen.gui.model.Tone;
import javafx.beans.value.ObservableValue;
import javafx.css.Styleable;
import javafx.scene.Node;

import java.util.List;

/** Puts a view model's {@link Tone} on a node as style classes; console.css says what each looks like. */
final class Tones {
    /** Marks a node whose text takes its tone's colour. */
    static final String TONED = "toned";

    private Tones() {}

    static void paint(Styleable node, Tone tone) {
        List<String> classes = node.getStyleClass();
        String wanted = (tone == null ? Tone.PLAIN : tone).styleClass();
        if (classes.contains(wanted) && classes.contains(TONED)) return; // unchanged: no CSS pass for nothing
        classes.removeAll(Tone.STYLE_CLASSES);
        if (!classes.contains(TONED)) classes.add(TONED);
        classes.add(wanted);
    }

    /** Keeps {@code node}'s tone that of {@code tone}. */
    static void follow(Node node, ObservableValue<Tone> tone) {
        paint(node, tone.getValue());
        tone.addListener((o, was, now) -> paint(node, now));
        // a binding made for this call listens weakly to what it depends on: the node keeps it alive
        node.getProperties().put(Tones.class, tone);
    }

    /** Takes any tone off (an empty table cell). */
    static void clear(Styleable node) {
        node.getStyleClass().removeAll(Tone.STYLE_CLASSES);
        node.getStyleClass().remove(TONED);
    }
}
