package io.jpen.core.reliability.fuzz;

import java.util.List;

/** Every fuzz target by name; adding one is a class and a line here. */
public final class Targets {
    private Targets() {}

    public static List<String> names() {
        return List.of("command-parser", "config-file", "http-head", "control-port", "api-http", "api-json", "proxy-header");
    }

    public static FuzzTarget create(String name) throws Exception {
        return switch (name) {
            case "command-parser" -> new CommandParserTarget();
            case "config-file" -> new ConfigFileTarget();
            case "http-head" -> new HttpHeadTarget();
            case "control-port" -> new ControlPortTarget();
            case "api-http" -> new ApiTarget(false);
            case "api-json" -> new ApiTarget(true);
            case "proxy-header" -> new ProxyHeaderTarget();
            default -> throw new IllegalArgumentException("no fuzz target '" + name + "' (" + names() + ")");
        };
    }
}
