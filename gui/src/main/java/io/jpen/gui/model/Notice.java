package io.jpen.gui.model;

import io.jpen.core.model.Reply;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.function.LongSupplier;

/**
 * A short message next to a view's buttons ("Forcibly closing connection 12", "closed 3 of 3"): shown when an
 * action answers and cleared {@link #HOLD_MILLIS} later, so an old answer does not read as news. The penctl view
 * keeps the full history.
 */
public final class Notice {
    public static final long HOLD_MILLIS = 8_000;

    private final LongSupplier clock;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Tone> tone = new ReadOnlyObjectWrapper<>(Tone.PLAIN);
    private long shownAtMillis;

    /** @param clock epoch milliseconds (the console's clock; tests pass their own) */
    public Notice(LongSupplier clock) {
        this.clock = clock;
    }

    public void show(String message, Tone t) {
        shownAtMillis = clock.getAsLong();
        tone.set(t);
        text.set(message == null ? "" : message.strip());
    }

    /** A command's reply: its text (or "ok"), in the ok or danger tone. */
    public void show(Reply r) {
        String t = r.text() == null ? "" : r.text().strip();
        show(r.ok() && t.isEmpty() ? "ok" : t, r.ok() ? Tone.OK : Tone.DANGER);
    }

    /** Clears the message once it has been shown long enough; called about once a second. */
    public void expire() {
        if (!text.get().isEmpty() && clock.getAsLong() - shownAtMillis >= HOLD_MILLIS) {
            text.set("");
            tone.set(Tone.PLAIN);
        }
    }

    public ReadOnlyStringProperty textProperty() { return text.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Tone> toneProperty() { return tone.getReadOnlyProperty(); }
}
