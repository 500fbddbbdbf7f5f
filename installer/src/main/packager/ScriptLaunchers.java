import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * On Linux, the command-line launchers jpen and jpenctl are shell scripts that start the runtime's java, not
 * jpackage's native launchers. JDK 17's native launcher asks rpm and then dpkg which package owns it, on every start
 * (and then lists the package's files with dpkg -L when one does): a few hundred milliseconds before the JVM even
 * starts (docs/performance.md, "Start-up"). The scripts also give jpen Netty's native library from a folder (no copy
 * to a temporary file at each start) and the class-data archive the package's postinst makes:
 *
 * <ul>
 *   <li>{@code JPEN_CDS_TRAIN=FILE bin/jpen} runs the training ({@code ClassDataTraining}) and lists the classes it
 *   loads in FILE; the build does that once and ships the list as {@code lib/jpen.classlist};</li>
 *   <li>{@code JPEN_CDS_DUMP=1 bin/jpen} makes the archive {@code lib/jpen.jsa} from that list, where the package is
 *   installed (the archive records the class path; postinst runs it, postrm removes the archive);</li>
 *   <li>otherwise bin/jpen starts jpen with the archive if it is there and matches.</li>
 * </ul>
 * {@code JPEN_JAVA_OPTS} adds JVM flags after the defaults (a later flag wins), as for the repository's ./jpen.
 */
final class ScriptLaunchers {
    static final String CLASS_LIST = "jpen.classlist";

    private ScriptLaunchers() {}

    static void install(Path image, List<Launcher> launchers) throws IOException {
        Path app = image.resolve("lib/app");
        unpackNatives(app, app.resolve("native"));
        List<String> jars = classPath(app, launchers);
        for (Launcher l : launchers) {
            if (!l.terminal()) continue; // the console keeps jpackage's launcher (desktop entry, icon)
            Path script = image.resolve("bin").resolve(l.name());
            Files.writeString(script, script(l, jars), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.deleteIfExists(app.resolve(l.name() + ".cfg")); // jpackage's launcher read it; the script does not
            Tools.log("launcher " + l.name() + ": a script starting lib/runtime/bin/java");
        }
        train(image);
    }

    /**
     * The jars a start loads from first (the headless jar, then jpen's, Netty's, picocli's and the logger's), then the
     * rest by name: a class that is not in the class-data archive is looked for jar by jar, and the signed Bouncy
     * Castle jars, first by name, took 35 ms to open (docs/performance.md, "Start-up").
     */
    private static List<String> classPath(Path app, List<Launcher> launchers) throws IOException {
        Launcher jpen = launchers.stream().filter(l -> l.name().equals("jpen")).findFirst()
                .orElseThrow(() -> new BuildFailure("no jpen launcher to make a script of"));
        String main = Jars.holding(app, jpen.mainClass()).getFileName().toString();
        List<String> jars = new ArrayList<>(List.of(main));
        for (String prefix : START_FIRST) {
            for (String n : Jars.names(app)) if (n.startsWith(prefix) && !jars.contains(n)) jars.add(n);
        }
        for (String n : Jars.names(app)) if (!jars.contains(n)) jars.add(n);
        return jars;
    }

    private static final List<String> START_FIRST = List.of("jpen-", "netty-", "picocli-", "slf4j-", "logback-");

    /**
     * nohup starts jpen with HUP ignored, and a JVM takes over no signal that was ignored when it started: HUP would not
     * re-read the configuration or reopen the logs. The JVM then starts with HUP's default action (coreutils' env
     * --default-signal, where it has it), which jpen replaces with its reload as the first thing it does, as on any
     * start. Read with the shell's own read: no fork unless HUP is ignored. The same lines are in the repository's ./jpen.
     */
    static final String HUP_BACK = """
            hup=
            [ -r /proc/$$/status ] && while read -r key value; do
              if [ "$key" = SigIgn: ]; then
                case $value in *[13579bdfBDF]) env --default-signal=HUP true 2>/dev/null && hup="env --default-signal=HUP" ;; esac
              fi
            done </proc/$$/status
            """;

    private static String script(Launcher l, List<String> jars) {
        StringBuilder cp = new StringBuilder();
        for (String j : jars) cp.append(cp.length() == 0 ? "" : ":").append("$app/").append(j);
        String flags = String.join(" ", l.javaOptions());
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# ").append(l.name()).append(": ").append(l.summary())
                .append(". Starts the package's Java runtime; its JVM flags are explained in docs/performance.md.\n");
        // one command substitution, not two (dirname): a fork less per start
        s.append("self=$(readlink -f \"$0\")\n");
        s.append("root=${self%/bin/*}\n");
        s.append("app=$root/lib/app\n");
        s.append("java=$root/lib/runtime/bin/java\n");
        s.append("cp=\"").append(cp).append("\"\n");
        s.append("# shellcheck disable=SC2086 # JPEN_JAVA_OPTS and flags are lists of words\n");
        if (!l.name().equals("jpen")) {
            s.append("exec \"$java\" ").append(flags).append(" ${JPEN_JAVA_OPTS:-} -cp \"$cp\" ").append(l.mainClass())
                    .append(" \"$@\"\n");
            return s.toString();
        }
        s.append("jsa=$root/lib/jpen.jsa\n");
        s.append("list=$root/lib/").append(CLASS_LIST).append("\n");
        s.append("flags=\"").append(flags).append("\"\n");
        s.append("if [ -n \"${JPEN_CDS_TRAIN:-}\" ]; then\n");
        s.append("  exec \"$java\" $flags -Djava.library.path=\"$app/native\" -XX:DumpLoadedClassList=\"$JPEN_CDS_TRAIN\" -cp \"$cp\" io.jpen.headless.ClassDataTraining\n");
        s.append("fi\n");
        s.append("if [ \"${JPEN_CDS_DUMP:-}\" = 1 ]; then\n");
        s.append("  rm -f \"$jsa\"\n");
        s.append("  exec \"$java\" $flags -Djava.library.path=\"$app/native\" -Xshare:dump -XX:SharedClassListFile=\"$list\" -XX:SharedArchiveFile=\"$jsa\" -cp \"$cp\"\n");
        s.append("fi\n");
        s.append(HUP_BACK);
        s.append("if [ -f \"$jsa\" ]; then\n");
        s.append("  exec $hup \"$java\" $flags -Djava.library.path=\"$app/native\" -XX:SharedArchiveFile=\"$jsa\" -Xlog:cds=off -Xlog:cds+dynamic=off ${JPEN_JAVA_OPTS:-} -cp \"$cp\" ")
                .append(l.mainClass()).append(" \"$@\"\n");
        s.append("fi\n");
        s.append("exec $hup \"$java\" $flags -Djava.library.path=\"$app/native\" ${JPEN_JAVA_OPTS:-} -cp \"$cp\" ").append(l.mainClass())
                .append(" \"$@\"\n");
        return s.toString();
    }

    /** Netty's native libraries out of their jars: Netty loads them from java.library.path when they are there. */
    private static void unpackNatives(Path app, Path natives) throws IOException {
        Files.createDirectories(natives);
        for (String name : Jars.names(app)) {
            if (!name.startsWith("netty-transport-native-") || !name.contains("-linux-")) continue;
            try (ZipFile zip = new ZipFile(app.resolve(name).toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    if (!e.getName().startsWith("META-INF/native/") || !e.getName().endsWith(".so")) continue;
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, natives.resolve(Path.of(e.getName()).getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** The class list the package's archive is made from, by the image's own runtime: ClassDataTraining. */
    private static void train(Path image) throws IOException {
        Path list = image.resolve("lib").resolve(CLASS_LIST);
        ProcessBuilder pb = new ProcessBuilder(image.resolve("bin/jpen").toString()).redirectErrorStream(true);
        pb.environment().put("JPEN_CDS_TRAIN", list.toString());
        Tools.log("class list: bin/jpen with JPEN_CDS_TRAIN=" + list);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(list)) {
                throw new BuildFailure("the class-data training run failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailure("interrupted during the class-data training run");
        } finally {
            p.destroyForcibly();
        }
        Tools.log("class list: " + Files.readAllLines(list).size() + " lines");
    }
}
