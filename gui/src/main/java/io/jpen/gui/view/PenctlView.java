package io.jpen.gui.view;

import io.jpen.gui.model.Commands;
import io.jpen.gui.model.Tone;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * A penctl prompt: type any command, see the reply. Every change made elsewhere in the console appears here too,
 * as the command line it was. Up and Down walk the history.
 */
public final class PenctlView extends BorderPane {
    private final Commands commands;
    private final ListView<Commands.Entry> transcript = new ListView<>();
    private final TextField input = new TextField();
    private final List<String> history = new ArrayList<>();
    private int historyPos;
    private boolean showEnd;
    private final Runnable afterLayout = this::afterLayout;

    public PenctlView(Commands commands) {
        this.commands = commands;
        getStyleClass().add("penctl");
        transcript.setId("penctl-transcript");
        transcript.setItems(commands.transcript());
        transcript.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Commands.Entry e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) {
                    setText(null);
                    Tones.clear(this);
                    return;
                }
                String answer = e.reply() == null ? "…" : e.reply().text().isBlank() ? (e.reply().ok() ? "(ok)" : "(refused)") : e.reply().text().stripTrailing();
                setText(e.time() + "  penctl> " + e.line() + "\n" + answer);
                Tones.paint(this, e.reply() == null ? Tone.MUTED : e.reply().ok() ? Tone.PLAIN : Tone.DANGER);
            }
        });
        commands.transcript().addListener((javafx.collections.ListChangeListener<Commands.Entry>) c -> showNewest());
        sceneProperty().addListener((o, was, now) -> {
            if (was != null) was.removePostLayoutPulseListener(afterLayout);
            if (now != null) now.addPostLayoutPulseListener(afterLayout);
        });

        input.setId("penctl-input");
        input.setPromptText("servers, mode, server 0 blacklist 30, close 12, tcp_fastclose both, write /tmp/jpen.cfg …  (Ctrl+L)");
        input.setOnAction(e -> submit());
        input.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.UP && historyPos > 0) {
                input.setText(history.get(--historyPos));
                input.end();
                e.consume();
            } else if (e.getCode() == KeyCode.DOWN && historyPos < history.size()) {
                historyPos++;
                input.setText(historyPos == history.size() ? "" : history.get(historyPos));
                input.end();
                e.consume();
            }
        });
        Label prompt = new Label("penctl>");
        prompt.getStyleClass().add("penctl-prompt");
        HBox bottom = new HBox(8, prompt, input);
        HBox.setHgrow(input, Priority.ALWAYS);
        bottom.setPadding(new Insets(6));
        bottom.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        setCenter(transcript);
        setBottom(bottom);
    }

    /**
     * Shows the newest entry's end, right above the prompt, as a terminal does (scrollTo alone puts the entry's
     * top at the top, and a long reply ran off the bottom). Each entry is as tall as its reply: console.css.
     */
    private void showNewest() {
        if (commands.transcript().isEmpty()) return;
        showEnd = true;
        transcript.requestLayout();
    }

    /**
     * After a layout pass, when there is something new: to the very end. Not earlier: the list takes a changed
     * entry count in during its layout and keeps its offset in pixels then, which would undo a move made before.
     */
    private void afterLayout() {
        if (!showEnd) return;
        showEnd = false;
        if (transcript.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            flow.setPosition(1);
            flow.requestLayout();
        }
    }

    public TextField input() {
        return input;
    }

    private void submit() {
        String line = input.getText().strip();
        if (line.isEmpty()) return;
        if (history.isEmpty() || !history.get(history.size() - 1).equals(line)) history.add(line);
        historyPos = history.size();
        input.clear();
        commands.send(line, null);
    }
}
