package io.jpen.gui.model;

import io.jpen.gui.app.BalancerSpec;
import io.jpen.gui.app.Session;
import io.jpen.gui.fx.FxThread;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fleet: the balancers of one window, each a {@link FleetMember} over its own {@link io.jpen.core.console.Console}.
 * Each is opened on its own (a slow or failing one holds up none of the others) and reconnects on its own; the
 * one on screen ({@link #selectedProperty()}, null for the fleet overview) is the only one whose full view model
 * follows snapshots.
 */
public final class FleetModel implements AutoCloseable {
    private final FxThread fx;
    private final ObservableList<FleetMember> members = FXCollections.observableArrayList();
    private final ObjectProperty<FleetMember> selected = new SimpleObjectProperty<>();
    private final FleetCommands commands;

    public FleetModel(FxThread fx) {
        this.fx = fx;
        this.commands = new FleetCommands(members, fx);
        selected.addListener((o, was, now) -> {
            if (was != null && was.model() != null) was.model().close();
            if (now != null && now.model() != null) now.model().start();
        });
    }

    /** Opens a balancer off the FX thread; it shows as opening, then live or failed with the reason. */
    public FleetMember open(BalancerSpec spec, Supplier<Session> opener) {
        FleetMember m = new FleetMember(spec, spec == null ? "balancer" : spec.label(), fx);
        members.add(m);
        fx.when(CompletableFuture.supplyAsync(opener), (session, failure) -> {
            if (!members.contains(m)) { // removed while opening
                if (session != null) CompletableFuture.runAsync(session::close);
                return;
            }
            if (failure != null) {
                m.failed(io.jpen.core.model.Reasons.words(failure)); // jpen's own sentence, or the failure in words
            } else {
                m.attached(session);
                if (selected.get() == m) m.model().start();
            }
        });
        return m;
    }

    /** Adds a balancer that is open already (on the FX thread). */
    public FleetMember add(BalancerSpec spec, Session session) {
        FleetMember m = new FleetMember(spec, session.console().target(), fx);
        members.add(m);
        m.attached(session);
        return m;
    }

    /** Takes a balancer out of the window and closes what its session started. */
    public void remove(FleetMember m) {
        if (selected.get() == m) selected.set(null);
        members.remove(m);
        m.close();
    }

    /** Once a second on the FX thread: contact of every balancer, and the shown one's status. */
    public void everySecond() {
        for (FleetMember m : members) m.check();
        FleetMember s = selected.get();
        if (s != null && s.model() != null) s.model().status().check();
    }

    /** What a workspace saves: the balancers that came from an address or a command line, in order. */
    public List<BalancerSpec> specs() {
        return members.stream().map(FleetMember::spec).filter(Objects::nonNull).toList();
    }

    public ObservableList<FleetMember> members() { return members; }
    /** The balancer on screen; null for the fleet overview. */
    public ObjectProperty<FleetMember> selectedProperty() { return selected; }
    public FleetCommands commands() { return commands; }
    public FxThread fx() { return fx; }

    @Override
    public void close() {
        selected.set(null);
        for (FleetMember m : List.copyOf(members)) m.close();
        members.clear();
    }
}
