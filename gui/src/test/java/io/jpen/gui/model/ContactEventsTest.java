package io.jpen.gui.model;

import io.jpen.core.console.LocalConsole;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;
import io.jpen.gui.fx.FxThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Contact events come from a console the model follows, not from one a fleet stopped following off screen. */
@Timeout(60)
class ContactEventsTest {
    @Test
    void aModelThatStoppedFollowingRecordsNoLostContactWhenItsSnapshotsStop() {
        try (Engine engine = new Engine(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0),
                List.of(ServerSpec.of("127.0.0.1", 9)), Settings.defaults()))) {
            engine.start();
            try (LocalConsole console = new LocalConsole(new io.jpen.core.control.Penctl(engine), Duration.ofMillis(50), 100)) {
                // a direct executor stands in for the FX thread: everything below runs on this one thread or the sampler's
                Object lock = new Object();
                ConsoleModel model = new ConsoleModel(console, new FxThread(r -> { synchronized (lock) { r.run(); } }));
                model.start();
                await().atMost(10, TimeUnit.SECONDS).until(() -> { synchronized (lock) { return model.status().uptimeProperty().get().length() > 0; } });
                model.close(); // the fleet shows another balancer
                await().atMost(20, TimeUnit.SECONDS).until(() -> {
                    synchronized (lock) {
                        model.everySecond();
                        return !model.status().connectedProperty().get();
                    }
                });
                synchronized (lock) {
                    assertThat(model.events().rows()).noneMatch(r -> r.kind().equals(EventsModel.CONTACT));
                }
            }
        }
    }
}
