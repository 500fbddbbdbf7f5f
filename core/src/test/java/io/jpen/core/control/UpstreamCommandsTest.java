package io.jpen.core.control;

import io.jpen.core.engine.Engine;
import io.jpen.core.engine.Upstream;
import io.jpen.core.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class UpstreamCommandsTest {
    @Test
    void sourceAndTransparentAreSetShownAndCleared() {
        try (Engine e = Engines.start(s -> s)) {
            assertThat(e.execute(CommandParser.parse("source 127.0.0.3")).ok()).isTrue();
            assertThat(e.execute(CommandParser.parse("source")).text()).isEqualTo("127.0.0.3");
            assertThat(e.execute(CommandParser.parse("transparent")).ok()).isTrue();
            assertThat(e.upstream().commands()).containsExactly("source 127.0.0.3", "transparent");
            e.execute(CommandParser.parse("no transparent"));
            e.execute(CommandParser.parse("no source"));
            assertThat(e.upstream()).isEqualTo(Upstream.DEFAULT);
        }
    }

    @Test
    void aSourceThatIsNotAnAddressIsRefused() {
        assertThatThrownBy(() -> CommandParser.parse("source example.com")).hasMessageContaining("'example.com' is not an IP address");
        assertThatThrownBy(() -> CommandParser.parse("transparent yes")).hasMessageContaining("takes no arguments");
        try (Engine e = Engines.start(s -> s)) {
            Reply r = e.execute(CommandParser.parse("source 192.0.2.7"));
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("must be an address of this host");
        }
    }
}
