package io.jpen.gui.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Named sets of balancers, reopened with {@code jpen-console --workspace NAME}: one plain text file per name in
 * {@code $XDG_CONFIG_HOME/jpen/workspaces} (or {@code ~/.config/jpen/workspaces}), one balancer a line, so an
 * operator can read, edit and share them. Tokens are never written: an SSH attach reads its token on the remote
 * host, an http attach keeps at most a token file's path.
 */
public final class Workspaces {
    private static final String SUFFIX = ".workspace";
    private final Path dir;

    public Workspaces(Path dir) {
        this.dir = dir;
    }

    /** The user's workspaces folder: beside jpen's default token file ({@code …/jpen/workspaces}). */
    public static Workspaces standard(Map<String, String> env) {
        return new Workspaces(io.jpen.core.api.ApiToken.defaultFile(env).resolveSibling("workspaces"));
    }

    public Path file(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("'" + name + "' is not a workspace name: letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
        return dir.resolve(name + SUFFIX);
    }

    public List<String> names() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Writes (or replaces) the workspace {@code name}; returns its file. */
    public Path save(String name, List<BalancerSpec> balancers) {
        Path file = file(name);
        if (balancers.isEmpty()) throw new IllegalArgumentException("workspace '" + name + "' would be empty: attach a balancer first");
        List<String> lines = new ArrayList<>();
        lines.add("# jpen console workspace '" + name + "': one balancer a line (demo | local PEN-ARGS | attach ADDRESS [token-file PATH]).");
        lines.add("# No tokens are kept here. Open it with: jpen-console --workspace " + name);
        for (BalancerSpec b : balancers) lines.add(b.line());
        try {
            Files.createDirectories(dir);
            // written whole or not at all: a half-written workspace would lose balancers
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save workspace '" + name + "' in " + dir + ": " + e.getMessage(), e);
        }
    }

    public List<BalancerSpec> load(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            List<String> known = names();
            throw new IllegalArgumentException("no workspace '" + name + "' in " + dir
                    + (known.isEmpty() ? " (none saved yet: --save-workspace NAME)" : " (saved: " + String.join(", ", known) + ")"));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workspace " + file + ": " + e.getMessage(), e);
        }
        List<BalancerSpec> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            try {
                out.add(BalancerSpec.fromLine(l));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("workspace " + file + " lists no balancer");
        return out;
    }
}
