package io.jpen.gui.model;

import io.jpen.core.api.client.ssh.HostKeyQuestion;
import io.jpen.core.api.client.ssh.SshClient;
import io.jpen.core.model.Reasons;
import io.jpen.gui.app.RecentTargets;
import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The start page's view model: the three ways in (demo, local balancer, attach), what the user typed, and what
 * happened. Sessions from the command line go through the same commands, so a failed {@code --attach URL} leaves
 * that URL in the box to correct, and a successful one is remembered like any other.
 */
public final class StartModel {
    private final RecentTargets recent;
    private final Consumer<Supplier<Session>> start;
    private final SshClient ssh;
    private final HostKeyQuestion hostKeys;
    private final ObservableList<String> recentUrls = FXCollections.observableArrayList();
    private final StringProperty localArgs = new SimpleStringProperty("");
    private final StringProperty attachUrl = new SimpleStringProperty("");
    private final StringProperty token = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Tone> statusTone = new ReadOnlyObjectWrapper<>(Tone.MUTED);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();

    /**
     * @param start runs a session factory off the FX thread and shows the session, or calls {@link #failed}
     */
    public StartModel(RecentTargets recent, Consumer<Supplier<Session>> start) {
        this(recent, start, SshClient.system(), HostKeyQuestion.REFUSE);
    }

    /**
     * @param ssh      how {@code ssh://} addresses are reached (the system's ssh client)
     * @param hostKeys asks the operator about an SSH host key known_hosts does not have
     */
    public StartModel(RecentTargets recent, Consumer<Supplier<Session>> start, SshClient ssh, HostKeyQuestion hostKeys) {
        this.recent = recent;
        this.start = start;
        this.ssh = ssh;
        this.hostKeys = hostKeys;
        recentUrls.setAll(recent.list());
        if (!recentUrls.isEmpty()) attachUrl.set(recentUrls.get(0));
    }

    public ObservableList<String> recentUrls() { return recentUrls; }
    /** The Pen command line typed for a local balancer. */
    public StringProperty localArgsProperty() { return localArgs; }
    /** The API address to attach to. */
    public StringProperty attachUrlProperty() { return attachUrl; }
    /** The API token (never remembered). */
    public StringProperty tokenProperty() { return token; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Tone> statusToneProperty() { return statusTone.getReadOnlyProperty(); }
    /** True while a session is starting (the buttons wait). */
    public ReadOnlyBooleanProperty busyProperty() { return busy.getReadOnlyProperty(); }

    public void demo() {
        go(Sessions::demo, "Starting the demo…");
    }

    /** A local balancer from the Pen command line typed in the box. */
    public void local() {
        local(Arrays.stream(localArgs.get().strip().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    }

    /** A local balancer from a Pen command line given word by word (the command line's {@code --local ...}). */
    public void local(List<String> args) {
        localArgs.set(String.join(" ", args));
        go(() -> Sessions.local(args), "Starting a balancer…");
    }

    /** Attaches to the address in the box. */
    public void attach() {
        String url = attachUrl.get() == null ? "" : attachUrl.get().strip();
        if (url.isEmpty()) {
            refuse("Enter the address of a jpen API, e.g. http://127.0.0.1:9090, or ssh://user@host to attach over SSH");
            return;
        }
        String t = token.get() == null || token.get().isEmpty() ? null : token.get();
        go(() -> Sessions.attach(url, t, recent, ssh, hostKeys), "Attaching to " + url + "…");
    }

    /** Attaches to {@code url} as if typed in the box (the command line's {@code --attach URL}). */
    public void attach(String url, String apiToken) {
        attachUrl.set(url == null ? "" : url);
        token.set(apiToken == null ? "" : apiToken);
        attach();
    }

    /** Why the session could not start; the user can correct and try again. */
    public void failed(Throwable why) {
        refuse(Reasons.words(why));
    }

    private void refuse(String message) {
        busy.set(false);
        statusTone.set(Tone.DANGER);
        status.set(message);
    }

    private void go(Supplier<Session> factory, String message) {
        statusTone.set(Tone.MUTED);
        status.set(message);
        busy.set(true);
        start.accept(factory);
    }
}
