package io.jpen.gui.model;

import io.jpen.core.model.Reply;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The form behind "Edit server N": the fields the operator changes, what is wrong with them, and hints about
 * fields that have no effect in the balancer's current selection mode. {@link #save} sends one
 * {@code server N address A port P max M hard H weight W prio R} line, applied whole or not at all.
 */
public final class ServerEdit {
    private final int index;
    private final Commands commands;
    private final Notice notice;
    private final boolean weightSelection;
    private final boolean prioSelection;
    private final int originalWeight;
    private final int originalPrio;
    private final StringProperty address = new SimpleStringProperty();
    private final IntegerProperty port = new SimpleIntegerProperty();
    private final IntegerProperty soft = new SimpleIntegerProperty();
    private final IntegerProperty hard = new SimpleIntegerProperty();
    private final IntegerProperty weight = new SimpleIntegerProperty();
    private final IntegerProperty prio = new SimpleIntegerProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper weightHint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper prioHint = new ReadOnlyStringWrapper("");

    ServerEdit(ServerRow row, Commands commands, boolean weightSelection, boolean prioSelection, Notice notice) {
        this.index = row.index();
        this.commands = commands;
        this.notice = notice;
        this.weightSelection = weightSelection;
        this.prioSelection = prioSelection;
        this.originalWeight = row.weight();
        this.originalPrio = row.prio();
        address.set(row.address());
        port.set(row.port());
        soft.set(row.soft());
        hard.set(row.hard());
        weight.set(row.weight());
        prio.set(row.prio());
        StringBinding problem = Bindings.createStringBinding(this::validate, address, port, soft, hard);
        error.bind(problem);
        weightHint.bind(Bindings.createStringBinding(() -> weightSelection ? ""
                : "Weight is ignored until weight selection is on (Modes → Server selection → weight)", weight));
        prioHint.bind(Bindings.createStringBinding(() -> prioSelection ? ""
                : "Prio is ignored until prio selection is on (Modes → Server selection → prio)", prio));
    }

    public int index() { return index; }
    public StringProperty addressProperty() { return address; }
    public IntegerProperty portProperty() { return port; }
    public IntegerProperty softProperty() { return soft; }
    public IntegerProperty hardProperty() { return hard; }
    public IntegerProperty weightProperty() { return weight; }
    public IntegerProperty prioProperty() { return prio; }
    /** What is wrong with the form, or "" when it can be saved. */
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    /** Why the weight has no effect now, or "" when it does. */
    public ReadOnlyStringProperty weightHintProperty() { return weightHint.getReadOnlyProperty(); }
    /** Why the prio has no effect now, or "" when it does. */
    public ReadOnlyStringProperty prioHintProperty() { return prioHint.getReadOnlyProperty(); }

    private String validate() {
        String a = address.get() == null ? "" : address.get().strip();
        if (a.isEmpty() || a.contains(" ")) return "The address must be one word, e.g. 127.0.0.1 or ::1";
        if (port.get() < 1 || port.get() > 65535) return "The port must be between 1 and 65535";
        if (soft.get() < 0 || hard.get() < 0) return "Limits must not be negative (0 means no limit)";
        return "";
    }

    /** Sends the change if the form is valid; the reply (or what is wrong) goes to the servers view's notice. */
    public boolean save() {
        if (!error.get().isEmpty()) {
            notice.show(error.get(), Tone.DANGER);
            return false;
        }
        commands.send("server " + index + " address " + address.get().strip() + " port " + port.get() + " max " + soft.get()
                + " hard " + hard.get() + " weight " + weight.get() + " prio " + prio.get(), this::answered);
        return true;
    }

    private void answered(Reply r) {
        if (!r.ok()) {
            notice.show(r);
        } else if (weight.get() != originalWeight && !weightSelection) {
            notice.show("saved; the new weight takes effect once weight selection is on", Tone.WARNING);
        } else if (prio.get() != originalPrio && !prioSelection) {
            notice.show("saved; the new prio takes effect once prio selection is on", Tone.WARNING);
        } else {
            notice.show(r);
        }
    }
}
