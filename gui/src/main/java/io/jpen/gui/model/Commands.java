package io.jpen.gui.model;

import io.jpen.core.console.Console;
import io.jpen.core.model.Reply;
import io.jpen.core.model.Reasons;
import io.jpen.gui.fx.FxThread;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Sends penctl command lines to the console and keeps the transcript the penctl pane shows: every change the UI
 * makes is a command line the operator can read (and retype in a script). Replies arrive on the FX thread.
 */
public final class Commands {
    private static final int KEEP = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** One command and its reply ({@code reply} null while waiting). */
    public record Entry(String time, String line, Reply reply) {}

    private final Console console;
    private final FxThread fx;
    private final ObservableList<Entry> transcript = FXCollections.observableArrayList();

    public Commands(Console console, FxThread fx) {
        this.console = console;
        this.fx = fx;
    }

    public ObservableList<Entry> transcript() {
        return transcript;
    }

    /** Sends one line; {@code onReply} (may be null) runs on the FX thread with the reply. */
    public void send(String line, Consumer<Reply> onReply) {
        Entry waiting = new Entry(LocalTime.now().format(TIME), line, null);
        transcript.add(waiting);
        if (transcript.size() > KEEP) transcript.remove(0, transcript.size() - KEEP);
        CompletableFuture<Reply> future;
        try {
            future = console.execute(line);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        fx.when(future, (reply, failure) -> {
            Reply r = failure != null ? Reply.error("not sent: " + rootMessage(failure)) : reply;
            int i = transcript.lastIndexOf(waiting);
            if (i >= 0) transcript.set(i, new Entry(waiting.time(), line, r));
            if (onReply != null) onReply.accept(r);
        });
    }

    /** Sends lines one after another (each after the previous reply); {@code onDone} gets every reply. */
    public void sendAll(List<String> lines, Consumer<List<Reply>> onDone) {
        sendFrom(lines, 0, new java.util.ArrayList<>(), onDone);
    }

    private void sendFrom(List<String> lines, int i, List<Reply> replies, Consumer<List<Reply>> onDone) {
        if (i == lines.size()) {
            if (onDone != null) onDone.accept(replies);
            return;
        }
        send(lines.get(i), r -> {
            replies.add(r);
            if (!r.ok()) {
                if (onDone != null) onDone.accept(replies); // stop at the first refusal: the rest depend on it
                return;
            }
            sendFrom(lines, i + 1, replies, onDone);
        });
    }

    /** Sends a query without recording it in the transcript (background polling). */
    public void ask(String line, Consumer<Reply> onReply) {
        CompletableFuture<Reply> future;
        try {
            future = console.execute(line);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        fx.when(future, (reply, failure) -> onReply.accept(failure != null ? Reply.error(rootMessage(failure)) : reply));
    }

    /** Why a command could not be sent, in words (never an exception's class name). */
    static String rootMessage(Throwable t) {
        return Reasons.words(t);
    }
}
