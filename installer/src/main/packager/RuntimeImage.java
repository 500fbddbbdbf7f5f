import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** A trimmed Java runtime (jlink) with exactly the modules the jars use (jdeps), the extras, and JavaFX if used. */
final class RuntimeImage {
    /**
     * Modules jdeps cannot see: the EC ciphers TLS negotiates at run time, sun.misc.Signal for HUP (Netty also
     * reflects into jdk.unsupported), and java.net.http for the console's remote attach.
     */
    static final List<String> EXTRA_MODULES = List.of("jdk.crypto.ec", "jdk.unsupported", "java.net.http");

    private RuntimeImage() {}

    static Path build(Path classPath, Path fxModules, Path fxNatives, Path runtime) throws IOException {
        Set<String> modules = modules(classPath, fxModules);
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (!Files.isDirectory(jmods)) {
            throw new BuildFailure("jlink needs the JDK's jmods (" + jmods + "); on Debian: apt-get install -y openjdk-17-jdk-headless");
        }
        Tools.jdk("jlink", List.of("--module-path", jmods + File.pathSeparator + fxModules,
                "--add-modules", String.join(",", modules),
                // bin/java stays: on Linux jpen and jpenctl are scripts that start it (ScriptLaunchers)
                "--strip-debug", "--no-header-files", "--no-man-pages",
                "--compress=2", "--output", runtime.toString()));
        if (modules.stream().anyMatch(m -> m.startsWith("javafx."))) {
            Path libDir = runtime.resolve(Tools.isWindows() ? "bin" : "lib");
            try (Stream<Path> libs = Files.list(fxNatives)) {
                for (Path lib : libs.toList()) Tools.copy(lib, libDir.resolve(lib.getFileName()));
            }
        }
        Tools.log("runtime: " + Tools.mib(Tools.sizeOf(runtime)));
        return runtime;
    }

    private static Set<String> modules(Path classPath, Path fxModules) throws IOException {
        List<String> jars = Jars.names(classPath).stream().map(n -> classPath.resolve(n).toString()).toList();
        List<String> args = new ArrayList<>(List.of("--multi-release", "17", "--ignore-missing-deps",
                "--print-module-deps", "--module-path", fxModules.toString(),
                "--class-path", String.join(File.pathSeparator, jars)));
        args.addAll(jars);
        String printed = Tools.jdk("jdeps", args);
        String line = printed.lines().map(String::trim).filter(l -> l.matches("[\\w.]+(,[\\w.]+)*"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new BuildFailure("jdeps printed no module list:\n" + printed));
        Set<String> modules = new TreeSet<>(List.of(line.split(",")));
        modules.addAll(EXTRA_MODULES);
        Tools.log("runtime modules: " + String.join(",", modules));
        return modules;
    }
}
