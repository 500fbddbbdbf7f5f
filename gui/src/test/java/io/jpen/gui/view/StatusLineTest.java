package io.jpen.gui.view;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;

import static io.jpen.gui.testing.Fx.fx;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
@Timeout(30)
class StatusLineTest {
    private final List<String> sceneLost = new ArrayList<>();
    private Button unpin;
    private Label reply;
    private Label count;

    @Start
    void start(Stage stage) {
        unpin = new Button("Unpin");
        reply = new Label();
        count = new Label("3 clients");
        ToolBar bar = new ToolBar(new Button("Forget"), new Button("Pin to server…"), unpin, new StatusLine(reply, count));
        stage.setScene(new Scene(bar, 420, 60));
        stage.show();
    }

    private void say(String text) {
        WaitForAsyncUtils.asyncFx(() -> reply.setText(text));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aReplyLongerThanTheToolbarLeavesItsButtonsInPlaceAndEndsInAnEllipsis() {
        String sentence = "pin: client 127.0.0.61 is pinned to server 1 (127.0.0.1:40123), its next connections go there";
        // the toolbar's first layout puts its items in place: watched from then on
        double unpinX = fx(() -> {
            unpin.sceneProperty().addListener((o, was, now) -> { if (now == null) sceneLost.add(reply.getText()); });
            return unpin.localToScene(0, 0).getX();
        });
        for (int i = 0; i < 5; i++) {
            say(sentence);
            say("ok");
            say("");
        }
        say(sentence);

        assertThat(sceneLost).as("replies that took the toolbar's buttons out of the scene").isEmpty();
        assertThat(fx(() -> unpin.localToScene(0, 0).getX())).as("the button's place").isEqualTo(unpinX);
        assertThat(fx(() -> reply.getWidth())).as("the reply's width, within the toolbar's").isLessThan(420);
        assertThat(fx(() -> reply.getTooltip().getText())).as("the whole reply, in its tooltip").isEqualTo(sentence);
        assertThat(fx(() -> count.getWidth())).as("the count, whole (its width snapped to pixels)")
                .isGreaterThanOrEqualTo(fx(() -> Math.floor(count.prefWidth(-1))));
    }

    @Test
    void anEmptyReplyHasNoTooltip() {
        say("done");
        say("");
        assertThat(fx(() -> reply.getTooltip())).isNull();
    }
}
