package io.jpen.core.cli;

import io.jpen.core.engine.EngineOptions;
import io.jpen.core.engine.Protocol;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pen's command line, read once for jpen and the console's --local. */
class PenCommandLineTest {
    @Test
    void readsPensListenAddressServersAndOptions() {
        EngineOptions o = PenCommandLine.plan(List.of("-r", "-H", "-b", "12", "-e", "127.0.0.1:99", "-B", "127.0.0.1:98",
                "127.0.0.1:8080", "127.0.0.1:81:10:20:3:1", "[::1]:82", "localhost")).options();
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
    void clusteredShortOptionsAreTakenAsJpenTakesThem() {
        EngineOptions o = PenCommandLine.plan(List.of("-rW", "-Hs", "8080", "127.0.0.1:81")).options();
        assertThat(o.settings().roundrobin()).isTrue();
        assertThat(o.settings().weight()).isTrue();
        assertThat(o.settings().http()).isTrue();
        assertThat(o.settings().stubborn()).isTrue();
        assertThat(PenCommandLine.plan(List.of("-U", "8053", "127.0.0.1:53")).options().protocol()).isEqualTo(Protocol.UDP);
    }

    @Test
    void eachKindOfOptionIsReadIntoItsField() {
        PenOptions o = PenCommandLine.parse(List.of("-rW", "-dd", "-x", "7", "-x", "8", "-O", "a", "-o", "b", "--file-dir", "/x",
                "--stop-grace", "3", "--transport", "nio", "-E", "c.pem", "8080", "h:1", "h:2"));
        assertThat(o.roundrobin).isTrue();
        assertThat(o.weight).isTrue();
        assertThat(o.debugLevel()).isEqualTo(2);
        assertThat(o.connMax).as("a later option overrides an earlier one").isEqualTo(8);
        assertThat(o.commands).containsExactly("a", "b");
        assertThat(o.fileDirs).containsExactly("/x");
        assertThat(o.stopGraceSeconds()).isEqualTo(3);
        assertThat(o.transport).isEqualTo("nio");
        assertThat(o.tlsCert).isEqualTo("c.pem");
        assertThat(o.listen).isEqualTo("8080");
        assertThat(o.servers).containsExactly("h:1", "h:2");
        assertThat(PenCommandLine.parse(List.of())).as("nothing given: the fields' own defaults")
                .usingRecursiveComparison().ignoringFields("fields").isEqualTo(new PenOptions());
    }

    @Test
    void startUpLinesComeInTheOrderJpenAppliesThem() {
        assertThat(PenCommandLine.plan(List.of("-F", "a.cfg", "-O", "idle_timeout 30", "-l", "access.log", "-O", "tcp_nodelay",
                "8080", "127.0.0.1:81")).startup())
                .containsExactly("idle_timeout 30", "tcp_nodelay", "include a.cfg", "log access.log");
    }

    @Test
    void refusesWhatItCannotRunAndSaysWhat() {
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("8080"))).hasMessageContaining("at least one server");
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("-C", "9999", "8080", "h:1"))).hasMessageContaining("-C").hasMessageContaining("./jpen");
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("-b", "soon", "8080", "h:1"))).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("-b"))).hasMessageContaining("-b");
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("8080", "h:99999"))).hasMessageContaining("99999");
        assertThatThrownBy(() -> PenCommandLine.plan(List.of("-F", "a.cfg"))).hasMessageContaining("a listen address");
    }
}
