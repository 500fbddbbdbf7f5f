import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One command the package installs, with the JVM flags it starts with. {@code terminal}: a command-line tool (a
 * console window on Windows).
 */
record Launcher(String name, String mainClass, String summary, boolean terminal) {

    /** The console first: it is jpackage's main launcher. */
    static final List<Launcher> ALL = List.of(
            new Launcher("jpen-console", "io.jpen.gui.Launcher", "the desktop console", false),
            new Launcher("jpen", "io.jpen.headless.Jpen", "the headless balancer", true),
            new Launcher("jpenctl", "io.jpen.headless.Jpenctl", "the control client", true));

    /**
     * jpenctl runs for a moment per command: the C1 compiler and the serial collector start it fastest. jpen gets the
     * flags of the repository's ./jpen launcher (measured in docs/performance.md): the serial collector, freed
     * native memory handed back every second, a small heap with a young generation that does not grow with it, C1 at twice
     * the JVM's call counts (a shorter start), C2's code compiled for every path (no recompiling when traffic changes).
     * The console keeps the JVM's defaults.
     */
    List<String> javaOptions() {
        return switch (name) {
            case "jpenctl" -> List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
            case "jpen" -> List.of("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=1000", "-Xms16m", "-Xmx512m", "-Xmn5m",
                    "-XX:-UsePerfData", "-XX:Tier3InvocationThreshold=400", "-XX:Tier3MinInvocationThreshold=200",
                    "-XX:Tier3CompileThreshold=4000", "-XX:PerMethodTrapLimit=0");
            default -> List.of();
        };
    }

    /**
     * The launchers whose main class is in the jars. A missing one fails the build when {@code strict}, or is left out
     * with a warning, for building while a launcher is still being written.
     */
    static List<Launcher> present(Path classPath, boolean strict) throws IOException {
        List<Launcher> present = new ArrayList<>();
        for (Launcher l : ALL) {
            if (Jars.holding(classPath, l.mainClass()) != null) {
                present.add(l);
            } else if (strict) {
                throw new BuildFailure("launcher " + l.name() + " (" + l.summary() + "): its main class " + l.mainClass()
                        + " is in none of the jars in " + classPath + " (-Dinstaller.strict=false leaves the launcher out instead)");
            } else {
                Tools.log("WARNING: launcher " + l.name() + " (" + l.summary() + ") left out: its main class "
                        + l.mainClass() + " is not in this build");
            }
        }
        if (present.isEmpty()) throw new BuildFailure("none of the launchers' main classes is in the build");
        return present;
    }
}
