package io.jpen.core.api;

import io.jpen.core.api.client.ApiClient;
import io.jpen.core.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * JSON that does not read, from a balancer of another version say, is described by the field and what it should be:
 * the console's banner shows these words, never Jackson's text with Java type names in it.
 */
class JsonWordsTest {
    private static String wordsFor(String snapshotJson) {
        IOException e = catchThrowableOfType(IOException.class, () -> ApiClient.readSnapshot(snapshotJson));
        assertThat(e).as("'%s' does not read as a snapshot", snapshotJson).isNotNull();
        String words = ApiJson.whatIsWrong(e, Snapshot.class, "the snapshot");
        assertThat(words).doesNotContain("java.", "io.jpen", "Exception", "`");
        return words;
    }

    @Test
    void aSnapshotWithAFieldOfTheWrongKindSaysWhichFieldAndWhatItShouldBe() {
        assertThat(wordsFor("{\"takenMillis\":\"soon\"}")).isEqualTo("field 'takenMillis': 'soon' is not a whole number");
        assertThat(wordsFor("{\"servers\":5}")).isEqualTo("field 'servers' must be a list");
        assertThat(wordsFor("{\"totals\":[1]}")).startsWith("field 'totals' must be");
    }

    @Test
    void aSnapshotThatIsNotAnObjectOrNotJsonSaysSo() {
        assertThat(wordsFor("[1,2]")).isEqualTo("the snapshot must be a JSON object (Snapshot)");
        assertThat(wordsFor("{\"version\":")).startsWith("malformed JSON");
    }
}
