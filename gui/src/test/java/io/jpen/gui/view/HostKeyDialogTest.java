package io.jpen.gui.view;

import io.jpen.core.api.client.ssh.UnknownHostKey;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jpen.gui.testing.Fx.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static io.jpen.gui.testing.Fx.click;

/** The question an SSH attach asks about an unknown host key: fingerprints shown, Enter alone never trusts. */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class HostKeyDialogTest {
    private static final UnknownHostKey KEY = new UnknownHostKey("[10.0.0.5]:2222",
            List.of("ED25519 SHA256:obuRYKa0n0PGb1CujWioZ4MZFazUpOAqcdoL7RrLtrE"), Path.of("/home/ops/.ssh/known_hosts"),
            List.of("[10.0.0.5]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL9NcK"));
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 400, 300));
        stage.show();
    }

    private CompletableFuture<Boolean> ask(FxRobot robot) {
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> new HostKeyDialog(() -> stage).trust(KEY));
        waitFor(() -> robot.lookup("#host-key-dialog").tryQuery().isPresent());
        return answer;
    }

    @Test
    void theDialogShowsTheFingerprintsAndEnterAloneCancels(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask(robot);
        DialogPane pane = robot.lookup("#host-key-dialog").queryAs(DialogPane.class);
        assertThat(pane.getHeaderText()).contains("[10.0.0.5]:2222");
        assertThat(pane.getContentText()).contains("ED25519 SHA256:obuRYKa0n0PGb1CujWioZ4MZFazUpOAqcdoL7RrLtrE",
                "/home/ops/.ssh/known_hosts");
        robot.type(KeyCode.ENTER);
        assertThat(answer.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void trustAndConnectSaysYes(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask(robot);
        click(robot, HostKeyDialog.TRUST.getText());
        assertThat(answer.get(10, TimeUnit.SECONDS)).isTrue();
    }
}
