package io.jpen.gui.model;

import io.jpen.core.console.Console;
import io.jpen.core.model.Reply;
import io.jpen.core.model.ConnectionView;
import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.jpen.gui.testing.Snapshots.connection;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionsModelTest {
    private final List<String> sent = new ArrayList<>();
    private final Console console = new Console() {
        @Override public Subscription subscribe(Consumer<Snapshot> l) { return () -> { }; }
        @Override public Snapshot latest() { return null; }
        @Override public CompletableFuture<Reply> execute(String line) {
            sent.add(line);
            return CompletableFuture.completedFuture(Reply.ok("Forcibly closing connection"));
        }
        @Override public String target() { return "test"; }
        @Override public boolean connected() { return true; }
        @Override public void close() { }
    };
    private long now = 1_000_000;
    private final ConnectionsModel model = new ConnectionsModel(new Commands(console, new FxThread(Runnable::run)), new Notice(() -> now));

    private static Snapshot with(ConnectionView... c) {
        return Snapshots.of(1, Settings.defaults(), List.of(), List.of(c), List.of(), 0);
    }

    @Test
    void rowsAreUpdatedInPlaceAndEndedOnesRemoved() {
        model.update(with(connection(3, 10), connection(2, 10), connection(1, 10)));
        ConnectionRow two = model.view().get(1);
        assertThat(two.id()).isEqualTo(2);

        model.update(with(connection(4, 0), connection(2, 500), connection(1, 10)));
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(4, 2, 1);
        assertThat(model.rows()).hasSize(3);
        assertThat(model.view().get(1)).isSameAs(two);
        assertThat(two.bytesUp()).isEqualTo(500);
    }

    @Test
    void pausedUpdatesLeaveTheRowsAsTheyWereButKeepTheCount() {
        model.update(with(connection(1, 10)));
        model.pausedProperty().set(true);
        model.update(with(connection(2, 10), connection(1, 99)));
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(1);
        assertThat(model.view().get(0).bytesUp()).isEqualTo(10);
        assertThat(model.totalProperty().get()).isEqualTo(2);
    }

    @Test
    void filterAndSortApplyToTheViewAndTheSortFollowsChangingValues() {
        model.update(with(connection(1, 30), connection(2, 10), connection(12, 20)));
        model.sortBy(Comparator.comparingLong(ConnectionRow::bytesUp));
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(2, 12, 1);
        model.update(with(connection(1, 30), connection(2, 50), connection(12, 20)));
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(12, 1, 2);

        model.filterProperty().set(":40012");
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(12);
        model.update(with(connection(1, 30), connection(2, 50), connection(12, 20), connection(112, 0)));
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(12);
        model.filterProperty().set("");
        assertThat(model.view()).extracting(ConnectionRow::id).containsExactly(112, 12, 1, 2);
    }

    @Test
    void closingSendsOneCloseCommandPerConnectionAndSaysHowManyClosed() {
        model.close(List.of(4, 9));
        assertThat(sent).containsExactly("close 4", "close 9");
        assertThat(model.notice().textProperty().get()).isEqualTo("closed 2 of 2");
        assertThat(model.notice().toneProperty().get()).isEqualTo(Tone.OK);
    }

    @Test
    void theAnswerToACloseClearsAfterAWhile() {
        model.close(List.of(4));
        assertThat(model.notice().textProperty().get()).isEqualTo("Forcibly closing connection");
        now += Notice.HOLD_MILLIS - 1;
        model.notice().expire();
        assertThat(model.notice().textProperty().get()).isEqualTo("Forcibly closing connection");
        now += 1;
        model.notice().expire();
        assertThat(model.notice().textProperty().get()).isEmpty();
    }

    @Test
    void anEmptyTableSaysWhetherNothingIsLiveOrNothingMatchesTheFilter() {
        assertThat(model.placeholderProperty().get()).isEqualTo("No live connections");
        model.update(with(connection(1, 30), connection(2, 10)));
        model.filterProperty().set("nothing-like-this");
        assertThat(model.view()).isEmpty();
        assertThat(model.placeholderProperty().get()).contains("No connection matches “nothing-like-this”").contains("2 live");
        model.update(with());
        assertThat(model.placeholderProperty().get()).isEqualTo("No live connections");
    }
}
