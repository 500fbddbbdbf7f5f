package io.jpen.gui.app;

import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PenCommandLineTest {

    @Test
    void readsPensListenAddressServersAndOptions() {
        EngineOptions o = PenCommandLine.parse(List.of("-r", "-H", "-b", "12", "-e", "127.0.0.1:99", "-B", "127.0.0.1:98", "127.0.0.1:8080",
                "127.0.0.1:81:10:20:3:1", "[::1]:82", "localhost"));
        assertThat(o.listen()).isEqualTo(new Endpoint.Tcp("127.0.0.1", 8080));
        assertThat(o.servers()).containsExactly(new ServerSpec("127.0.0.1", 81, 10, 20, 3, 1, -1),
                ServerSpec.of("::1", 82), ServerSpec.of("localhost", 8080));
        assertThat(o.settings().roundrobin()).isTrue();
        assertThat(o.settings().blacklistSeconds()).isEqualTo(12);
        assertThat(o.settings().emergency().port()).isEqualTo(99);
        assertThat(o.settings().abuse().port()).isEqualTo(98);
        assertThat(o.settings().http()).isTrue();
    }

    @Test
    void refusesWhatItCannotRunAndSaysWhat() {
        assertThatThrownBy(() -> PenCommandLine.parse(List.of("8080"))).hasMessageContaining("at least one server");
        assertThatThrownBy(() -> PenCommandLine.parse(List.of("-U", "8080", "h:1"))).hasMessageContaining("-U").hasMessageContaining("./jpen");
        assertThatThrownBy(() -> PenCommandLine.parse(List.of("-b", "soon", "8080", "h:1"))).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> PenCommandLine.parse(List.of("-b"))).hasMessageContaining("-b needs a value");
        assertThatThrownBy(() -> PenCommandLine.parse(List.of("8080", "h:99999"))).hasMessageContaining("99999");
    }
}
