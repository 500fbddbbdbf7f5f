package io.jpen.core.reliability.fuzz;

import io.jpen.core.control.CommandParser;
import io.jpen.core.control.FileRoots;
import io.jpen.core.testing.Engines;
import io.jpen.core.control.ConfigFile;
import io.jpen.core.model.Reply;
import io.jpen.core.engine.Engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Config files (-F, include): parsing fails only with IllegalArgumentException naming file and line; applying is
 * all or nothing, so a file that fails leaves the engine exactly as it was.
 */
final class ConfigFileTarget implements FuzzTarget {
    private final Path dir;
    private Engine engine;
    private int uses;

    ConfigFileTarget() throws Exception {
        dir = Files.createTempDirectory("jpen-fuzz-config");
    }

    @Override
    public String name() {
        return "config-file";
    }

    @Override
    public List<String> dictionary() {
        return CommandParserTarget.WORDS;
    }

    @Override
    public void check(byte[] input) throws Exception {
        Path file = dir.resolve("pen.cfg");
        Files.write(file, input);
        if (engine == null || ++uses % 100 == 0) engine = CommandParserTarget.freshEngine();
        List<ConfigFile.Line> lines;
        try {
            lines = ConfigFile.parse(file, new CommandParser(Engines.penctl(engine).daemon(), FileRoots.ANY));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith(file.toString())) {
                throw new AssertionError("a bad config file must be named in the error: " + e.getMessage(), e);
            }
            return;
        }
        for (ConfigFile.Line l : lines) if (!Guard.executable(l.text())) return;
        String before = EngineFingerprint.of(engine);
        Reply r;
        try {
            r = engine.execute(state -> ConfigFile.apply(lines, state));
        } catch (RuntimeException e) {
            throw new AssertionError("applying the file threw " + e, e);
        }
        if (!r.ok()) {
            String after = EngineFingerprint.of(engine);
            if (!after.equals(before)) {
                throw new AssertionError("a config file that failed (" + r.text() + ") changed the state:\n"
                        + before + "\n--- became ---\n" + after);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }
}
