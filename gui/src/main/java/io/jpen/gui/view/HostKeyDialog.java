package io.jpen.gui.view;

import io.jpen.core.api.client.ssh.HostKeyQuestion;
import io.jpen.core.api.client.ssh.UnknownHostKey;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Asks the operator, in a dialog, whether to trust a host whose SSH key known_hosts does not know — as ssh asks
 * on a terminal, with the fingerprints to compare. Cancel is the default: Enter alone never trusts a key.
 * Called by the SSH attach on a background thread, which waits for the answer.
 */
public final class HostKeyDialog implements HostKeyQuestion {
    public static final ButtonType TRUST = new ButtonType("Trust and connect", ButtonBar.ButtonData.OK_DONE);
    private final Supplier<Window> owner;

    public HostKeyDialog(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override
    public boolean trust(UnknownHostKey key) {
        if (Platform.isFxApplicationThread()) throw new IllegalStateException("the SSH attach must not run on the FX thread");
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                answer.complete(ask(key));
            } catch (RuntimeException e) {
                answer.complete(false);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean ask(UnknownHostKey key) {
        Alert a = new Alert(Alert.AlertType.WARNING, "", TRUST, ButtonType.CANCEL);
        a.setTitle("Unknown SSH host key");
        a.setHeaderText("Is this really " + key.host() + "?");
        a.setContentText("Your known_hosts has no key for " + key.host() + ", so its identity cannot be checked. It offers:\n\n    "
                + String.join("\n    ", key.fingerprints())
                + "\n\nCompare with the server's own, there: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"
                + "\nTrusting adds the key to " + key.knownHosts() + ", as ssh would.");
        a.getDialogPane().setId("host-key-dialog");
        a.getDialogPane().setMinWidth(620);
        ((Button) a.getDialogPane().lookupButton(TRUST)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        Window w = owner.get();
        if (w != null) a.initOwner(w);
        return a.showAndWait().filter(TRUST::equals).isPresent();
    }
}
