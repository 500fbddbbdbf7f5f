package io.jpen.gui.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a state means to the operator, and so its colour: the console's one semantic scale. View models say which
 * tone a thing has; the stylesheet (console.css, {@code .tone-*}) says what each tone looks like in light and dark.
 */
public enum Tone {
    /** Nothing to say: the theme's ordinary text. */
    PLAIN,
    /** Up, done, fine. */
    OK,
    /** Needs a look: failing, draining, a setting that has no effect yet. */
    WARNING,
    /** Down, refused, lost. */
    DANGER,
    /** Out of play on purpose: disabled, maintenance, waiting. */
    MUTED,
    /** Stands out without judgement: the emergency server, the balancer itself. */
    ACCENT;

    private final String styleClass = "tone-" + name().toLowerCase(Locale.ROOT);

    /** The style class that gives a node this tone. */
    public String styleClass() {
        return styleClass;
    }

    /** Every tone's style class (to take the old one off before putting a new one on). */
    public static final List<String> STYLE_CLASSES = Arrays.stream(values()).map(Tone::styleClass).toList();
}
