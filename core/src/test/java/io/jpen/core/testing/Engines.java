package io.jpen.core.testing;

import io.jpen.core.control.Penctl;
import io.jpen.core.engine.Engine;
import io.jpen.core.engine.EngineOptions;
import io.jpen.core.model.Endpoint;
import io.jpen.core.model.ServerSpec;
import io.jpen.core.model.Settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

/** Starts engines on an ephemeral loopback port in front of test backends. */
public final class Engines {
    /** Each engine's door, so that what one line sets on its Daemon (web_stats, exit, file roots) the next sees. */
    private static final Map<Engine, Penctl> DOORS = Collections.synchronizedMap(new WeakHashMap<>());

    private Engines() {}

    /** The operator's door on {@code engine}: the same one (and Daemon) for every call with that engine. */
    public static Penctl penctl(Engine engine) {
        return DOORS.computeIfAbsent(engine, Penctl::new);
    }

    public static Engine start(UnaryOperator<Settings> settings, Backend... backends) {
        List<ServerSpec> specs = new ArrayList<>();
        for (Backend b : backends) specs.add(ServerSpec.of("127.0.0.1", b.port()));
        return start(EngineOptions.of(new Endpoint.Tcp("127.0.0.1", 0), specs, settings.apply(Settings.defaults())));
    }

    public static Engine start(EngineOptions options) {
        Engine e = new Engine(options);
        e.start();
        return e;
    }
}
