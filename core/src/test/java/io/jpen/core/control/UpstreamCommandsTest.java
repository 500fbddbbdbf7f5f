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
    /** Lines as an operator types them, for an engine with nothing around it. */
    private static final CommandParser OPERATOR = new CommandParser(new Daemon(), FileRoots.ANY);
    @Test
    void sourceAndTransparentAreSetShownAndCleared() {
        // IP_TRANSPARENT is an epoll channel option: transparent needs that transport whatever the default is.
        try (Engine e = Engines.start(io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                java.util.List.of(), io.jpen.core.model.Settings.defaults()).withTransport(io.jpen.core.engine.Transport.EPOLL))) {
            assertThat(Engines.penctl(e).execute("source 127.0.0.3").ok()).isTrue();
            assertThat(Engines.penctl(e).execute("source").text()).isEqualTo("127.0.0.3");
            assertThat(Engines.penctl(e).execute("transparent").ok()).isTrue();
            assertThat(e.upstream().commands()).containsExactly("source 127.0.0.3", "transparent");
            Engines.penctl(e).execute("no transparent");
            Engines.penctl(e).execute("no source");
            assertThat(e.upstream()).isEqualTo(Upstream.DEFAULT);
        }
    }

    @Test
    void transparentOnAnotherTransportIsRefusedWithTheReason() {
        try (Engine e = Engines.start(io.jpen.core.engine.EngineOptions.of(new io.jpen.core.model.Endpoint.Tcp("127.0.0.1", 0),
                java.util.List.of(), io.jpen.core.model.Settings.defaults()).withTransport(io.jpen.core.engine.Transport.NIO))) {
            Reply r = Engines.penctl(e).execute("transparent");
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("transparent needs the epoll transport or io_uring");
        }
    }

    @Test
    void aSourceThatIsNotAnAddressIsRefused() {
        assertThatThrownBy(() -> OPERATOR.parse("source example.com")).hasMessageContaining("'example.com' is not an IP address");
        assertThatThrownBy(() -> OPERATOR.parse("transparent yes")).hasMessageContaining("takes no arguments");
        try (Engine e = Engines.start(s -> s)) {
            Reply r = Engines.penctl(e).execute("source 192.0.2.7");
            assertThat(r.ok()).isFalse();
            assertThat(r.text()).contains("must be an address of this host");
        }
    }
}
