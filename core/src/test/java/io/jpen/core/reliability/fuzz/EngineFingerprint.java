package io.jpen.core.reliability.fuzz;

import io.jpen.core.control.ConfigWriter;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;
import io.jpen.core.select.Server;
import io.jpen.core.testing.Engines;

/** Everything a command can change, as text: the running config as `write` would save it, plus blacklists. */
final class EngineFingerprint {
    private EngineFingerprint() {}

    static String of(Engine engine) {
        Reply r = engine.execute(state -> {
            StringBuilder b = new StringBuilder(ConfigWriter.write(state, Engines.penctl(engine).daemon()));
            for (Server s : state.servers()) b.append("\nblacklisted ").append(s.index()).append(' ').append(s.blacklistedUntilMillis());
            return Reply.ok(b.toString());
        });
        if (!r.ok()) throw new AssertionError("could not read the engine's state: " + r.text());
        return r.text();
    }
}
