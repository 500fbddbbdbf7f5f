package io.jpen.gui.model;

import io.jpen.core.model.Settings;
import io.jpen.core.model.Snapshot;
import io.jpen.gui.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventsModelTest {

    private static Snapshot.EventView e(String m) {
        return new Snapshot.EventView(0, "kind", m);
    }

    @Test
    void onlyNewEventsAreAppendedAsTheSequenceAdvances() {
        EventsModel model = new EventsModel();
        model.update(Snapshots.of(1, Settings.defaults(), List.of(), List.of(), List.of(e("a"), e("b")), 2));
        model.update(Snapshots.of(2, Settings.defaults(), List.of(), List.of(), List.of(e("a"), e("b")), 2));
        model.update(Snapshots.of(3, Settings.defaults(), List.of(), List.of(), List.of(e("b"), e("c"), e("d")), 4));
        assertThat(model.rows()).extracting(EventsModel.Row::message).containsExactly("a", "b", "c", "d");
    }
}
