package io.jpen.core.control;

import io.jpen.core.model.Reply;
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
        // IP_TRANSPARENT is an epoll channel option: transparent needs that transport whatever the default is.
        try (Engine e = Engines.start(io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                java.util.List.of(), io.jpen.core.model.Settings.defaults()).withTransport(io.jpen.core.engine.Transport.EPOLL))) {
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
    void transparentOnAnotherTransportIsRefusedWithTheReason() {
        try (Engine e = Engines.start(io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                java.util.List.of(), io.jpen.core.model.Settings.defaults()).withTransport(io.jpen.core.engine.Transport.NIO))) {
            Reply r = e.execute(CommandParser.parse("transparent"));
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("transparent needs the epoll transport or io_uring");
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
