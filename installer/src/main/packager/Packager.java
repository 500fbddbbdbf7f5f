import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Builds jpen's installers from the runtime jars: a jlink'd Java runtime with the JavaFX modules, a jpackage app
 * image with the launchers jpen-console, jpen and jpenctl, and the platform's package (.deb on Linux, .msi on
 * Windows, .dmg on macOS). The installer module's Maven profile runs it as a single-file program
 * ({@code java Packager.java --key=value ...}), so the same steps run on every platform without a shell.
 *
 * <p>A launcher whose main class is not in the build fails it with {@code --strict=true} (the Maven default), or
 * is left out with a warning with {@code --strict=false}, for building while a launcher is still being written.
 */
public final class Packager {

    /** One command the package installs. {@code terminal}: a command-line tool (a console window on Windows). */
    record Launcher(String name, String mainClass, String summary, boolean terminal) {}

    static final List<Launcher> LAUNCHERS = List.of(
            new Launcher("jpen-console", "io.jpen.gui.Launcher", "the desktop console", false),
            new Launcher("jpen", "io.jpen.headless.Jpen", "the headless balancer", true),
            new Launcher("jpenctl", "io.jpen.headless.Jpenctl", "the control client", true));

    /**
     * Modules jdeps cannot see: the EC ciphers TLS negotiates at run time, sun.misc.Signal for HUP (Netty also
     * reflects into jdk.unsupported), and java.net.http for the console's remote attach.
     */
    static final List<String> EXTRA_MODULES = List.of("jdk.crypto.ec", "jdk.unsupported", "java.net.http");

    static final String PACKAGE = "jpen";
    static final String VENDOR = "jpen developers";
    static final String DESCRIPTION = "TCP and UDP load balancer compatible with Pen, with a desktop console";

    private final Map<String, String> opts;
    private final Path out;
    private final String type;

    Packager(Map<String, String> opts) {
        this.opts = opts;
        this.out = Path.of(need("out")).toAbsolutePath();
        this.type = need("type");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) throw new IllegalArgumentException("expected --key=value, got " + a);
            opts.put(a.substring(2, eq), a.substring(eq + 1));
        }
        try {
            new Packager(opts).run();
        } catch (BuildFailure e) {
            System.err.println("[installer] ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A failure with a message for the user; the build stops with it and nothing else. */
    static final class BuildFailure extends RuntimeException {
        BuildFailure(String message) {
            super(message);
        }
    }

    void run() throws IOException {
        deleteTree(out);
        Path input = Files.createDirectories(out.resolve("input"));
        Path fxMods = Files.createDirectories(out.resolve("javafx-modules"));
        sortJars(Path.of(need("jars")), input, fxMods);

        List<Launcher> launchers = presentLaunchers(input);
        Launcher main = launchers.get(0);
        log("launchers: " + launchers.stream().map(Launcher::name).collect(Collectors.joining(", "))
                + " (main: " + main.name() + ")");

        Path runtime = jlink(input, fxMods);
        Path image = appImage(input, runtime, launchers);
        log("app image: " + image + " (" + mib(sizeOf(image)) + ")");
        if (type.equals("app-image")) return;

        Path pkg = platformPackage(image, launchers);
        log("package: " + pkg + " (" + mib(Files.size(pkg)) + ", " + Files.size(pkg) + " bytes)");
    }

    // ---- inputs ----

    /**
     * JavaFX's platform jars ({@code javafx-graphics-21.0.11-linux.jar}) are real modules with their native libraries
     * inside: they go to jlink. The classifier-less javafx jars are empty placeholders: dropped. Every other jar
     * goes on the launchers' class path.
     */
    void sortJars(Path jars, Path input, Path fxMods) throws IOException {
        if (!Files.isDirectory(jars)) throw new BuildFailure("no jars folder " + jars + " (run the Maven profile)");
        // javafx-graphics-21.0.11-linux.jar: the classifier is the platform the openjfx poms picked for this OS
        Pattern fxPlatformJar = Pattern.compile("javafx-[a-z]+-[0-9][0-9.]*-[a-z][a-z0-9-]*\\.jar");
        try (Stream<Path> files = Files.list(jars)) {
            for (Path jar : files.sorted().toList()) {
                String name = jar.getFileName().toString();
                if (!name.endsWith(".jar")) continue;
                if (fxPlatformJar.matcher(name).matches()) splitNatives(jar, fxMods.resolve(name), out.resolve("javafx-natives"));
                else if (!name.startsWith("javafx-") && !isOtherPlatformNative(name)) copy(jar, input.resolve(name));
            }
        }
    }

    /**
     * Copies a JavaFX platform jar without its native libraries, which go to {@code natives}. In a runtime image
     * JavaFX loads them from the runtime's own lib folder (bin on Windows) first; left inside the module, they are
     * extracted again into every user's ~/.openjfx/cache, and the package would hold them twice.
     */
    static void splitNatives(Path jar, Path strippedJar, Path natives) throws IOException {
        Files.createDirectories(natives);
        try (ZipFile zip = new ZipFile(jar.toFile());
             java.util.zip.ZipOutputStream stripped = new java.util.zip.ZipOutputStream(Files.newOutputStream(strippedJar))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    if (NATIVE_LIBRARY.matcher(e.getName()).matches()) {
                        Files.copy(in, natives.resolve(e.getName()), StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        stripped.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                        in.transferTo(stripped);
                        stripped.closeEntry();
                    }
                }
            }
        }
    }

    static final Pattern NATIVE_LIBRARY = Pattern.compile("[^/]+\\.(so|dll|dylib)");

    /** Netty ships native transports for several CPUs; only this machine's belong in this machine's package. */
    static boolean isOtherPlatformNative(String jarName) {
        if (!jarName.startsWith("netty-transport-native-") || !jarName.contains("-linux-")) return false;
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        return !jarName.endsWith("-linux-" + arch + ".jar");
    }

    List<Launcher> presentLaunchers(Path input) throws IOException {
        boolean strict = Boolean.parseBoolean(opts.getOrDefault("strict", "false"));
        List<Launcher> present = new ArrayList<>();
        for (Launcher l : LAUNCHERS) {
            if (jarWith(input, l.mainClass()) != null) {
                present.add(l);
            } else if (strict) {
                throw new BuildFailure("launcher " + l.name() + " (" + l.summary() + "): its main class "
                        + l.mainClass() + " is in none of the jars in " + input
                        + " (-Dinstaller.strict=false leaves the launcher out instead)");
            } else {
                log("WARNING: launcher " + l.name() + " (" + l.summary() + ") left out of the package: its main class "
                        + l.mainClass() + " is not in this build");
            }
        }
        if (present.isEmpty()) throw new BuildFailure("none of the launchers' main classes is in the build");
        return present;
    }

    /** The jar holding a class, or null. */
    static Path jarWith(Path input, String className) throws IOException {
        String entry = className.replace('.', '/') + ".class";
        try (Stream<Path> files = Files.list(input)) {
            for (Path jar : files.sorted().toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.getEntry(entry) != null) return jar;
                }
            }
        }
        return null;
    }

    // ---- runtime ----

    /** A trimmed runtime with exactly the modules the jars use (jdeps), the extras, and JavaFX when it is used. */
    Path jlink(Path input, Path fxMods) throws IOException {
        List<String> jars = jarNames(input).stream().map(n -> input.resolve(n).toString()).toList();
        List<String> jdepsArgs = new ArrayList<>(List.of("--multi-release", "17", "--ignore-missing-deps",
                "--print-module-deps", "--module-path", fxMods.toString(),
                "--class-path", String.join(java.io.File.pathSeparator, jars)));
        jdepsArgs.addAll(jars);
        String printed = tool("jdeps", jdepsArgs);
        String line = printed.lines().map(String::trim).filter(l -> l.matches("[\\w.]+(,[\\w.]+)*"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new BuildFailure("jdeps printed no module list:\n" + printed));
        Set<String> modules = new TreeSet<>(List.of(line.split(",")));
        modules.addAll(EXTRA_MODULES);
        log("runtime modules: " + String.join(",", modules));

        Path runtime = out.resolve("runtime");
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (!Files.isDirectory(jmods)) {
            throw new BuildFailure("jlink needs the JDK's jmods (" + jmods + "); on Debian: apt-get install -y openjdk-17-jdk-headless");
        }
        tool("jlink", List.of("--module-path", jmods + java.io.File.pathSeparator + fxMods,
                "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--strip-native-commands",
                "--compress=2", "--output", runtime.toString()));
        Path natives = out.resolve("javafx-natives");
        if (modules.stream().anyMatch(m -> m.startsWith("javafx.")) && Files.isDirectory(natives)) {
            Path libDir = runtime.resolve(isWindows() ? "bin" : "lib");
            try (Stream<Path> libs = Files.list(natives)) {
                for (Path lib : libs.toList()) copy(lib, libDir.resolve(lib.getFileName()));
            }
        }
        log("runtime: " + mib(sizeOf(runtime)));
        return runtime;
    }

    // ---- app image ----

    Path appImage(Path input, Path runtime, List<Launcher> launchers) throws IOException {
        Launcher main = launchers.get(0);
        Path dest = out.resolve("image");
        Path props = Files.createDirectories(out.resolve("launchers"));
        List<String> args = new ArrayList<>(List.of("--type", "app-image", "--dest", dest.toString(),
                "--name", main.name(),
                "--input", input.toString(),
                "--main-jar", jarWith(input, main.mainClass()).getFileName().toString(),
                "--main-class", main.mainClass(),
                "--runtime-image", runtime.toString(),
                "--app-version", appVersion(),
                "--vendor", VENDOR,
                "--description", DESCRIPTION,
                "--copyright", "jpen developers",
                "--icon", icon().toString()));
        args.addAll(javaOptions(main));
        for (Launcher l : launchers.subList(1, launchers.size())) {
            Path file = props.resolve(l.name() + ".properties");
            Properties p = new Properties();
            p.put("main-jar", jarWith(input, l.mainClass()).getFileName().toString());
            p.put("main-class", l.mainClass());
            p.put("description", "jpen: " + l.summary());
            p.put("icon", icon().toString());
            if (!javaOptionsOf(l).isEmpty()) p.put("java-options", String.join(" ", javaOptionsOf(l)));
            if (isWindows()) p.put("win-console", String.valueOf(l.terminal()));
            p.store(file);
            args.addAll(List.of("--add-launcher", l.name() + "=" + file));
        }
        if (isWindows() && main.terminal()) args.add("--win-console");
        tool("jpackage", args);
        try (Stream<Path> s = Files.list(dest)) {
            return s.findFirst().orElseThrow(() -> new BuildFailure("jpackage made no app image in " + dest));
        }
    }

    static List<String> javaOptions(Launcher l) {
        List<String> a = new ArrayList<>();
        for (String o : javaOptionsOf(l)) a.addAll(List.of("--java-options", o));
        return a;
    }

    /**
     * jpenctl runs for a moment per command: the C1 compiler and the serial collector start it fastest. jpen gets the
     * flags of the repository's ./jpen launcher (measured in docs/performance.md): the serial collector, freed native
     * memory handed back every second, a small heap. The console keeps the JVM's defaults.
     */
    static List<String> javaOptionsOf(Launcher l) {
        return switch (l.name()) {
            case "jpenctl" -> List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
            case "jpen" -> List.of("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=1000", "-Xms16m", "-Xmx512m",
                    "-XX:-UsePerfData");
            default -> List.of();
        };
    }

    /** jpackage wants a plain numeric version: 0.1.0-SNAPSHOT becomes 0.1.0. */
    String appVersion() {
        String v = need("version").replaceFirst("[-+].*$", "");
        if (!v.matches("\\d+(\\.\\d+){0,2}")) throw new BuildFailure("cannot make a package version out of " + need("version"));
        return v;
    }

    Path icon() {
        Path dir = Path.of(need("icons"));
        Path icon = dir.resolve(isWindows() ? "jpen.ico" : isMac() ? "jpen.icns" : "jpen-256.png");
        if (!Files.isRegularFile(icon)) throw new BuildFailure("icon " + icon + " is missing (see icons/README.md)");
        return icon;
    }

    // ---- platform packages ----

    Path platformPackage(Path image, List<Launcher> launchers) throws IOException {
        Path dest = Files.createDirectories(out.resolve("package"));
        List<String> args = new ArrayList<>(List.of("--type", type, "--dest", dest.toString(),
                "--app-image", image.toString(),
                "--name", launchers.get(0).name(),
                "--app-version", appVersion(),
                "--vendor", VENDOR,
                "--description", DESCRIPTION,
                "--copyright", "jpen developers"));
        switch (type) {
            case "deb" -> args.addAll(List.of(
                    "--linux-package-name", PACKAGE,
                    // JavaFX's native libraries sit inside the jars, where jpackage's library scan cannot see them:
                    // GTK 3 and libXtst are what libglassgtk3.so links against. passwd: useradd in postinst.
                    "--linux-package-deps", "libgtk-3-0, libxtst6, passwd",
                    "--linux-deb-maintainer", "jpen@localhost",
                    "--linux-app-category", "net",
                    "--resource-dir", Path.of(need("deb-scripts")).toAbsolutePath().toString()));
            // WiX 3 must be on the PATH. The upgrade UUID is fixed forever, so a newer .msi replaces an older one.
            case "msi" -> args.addAll(List.of("--win-menu", "--win-menu-group", "jpen", "--win-shortcut",
                    "--win-dir-chooser", "--win-per-user-install",
                    "--win-upgrade-uuid", "6a0f7b52-3c1d-4e8a-9b57-2f1d0c8e4a11"));
            case "dmg" -> args.addAll(List.of("--mac-package-identifier", "io.jpen.console",
                    "--mac-package-name", "jpen"));
            default -> throw new BuildFailure("unknown package type " + type + " (app-image, deb, msi or dmg)");
        }
        if (type.equals("deb")) requireCommands("dpkg-deb", "fakeroot");
        tool("jpackage", args);
        Path pkg;
        try (Stream<Path> s = Files.list(dest)) {
            pkg = s.filter(p -> p.toString().endsWith("." + type)).findFirst()
                    .orElseThrow(() -> new BuildFailure("jpackage made no ." + type + " in " + dest));
        }
        if (type.equals("deb")) new DebFinisher(pkg, launchers).finish();
        return pkg;
    }

    /**
     * jpackage's .deb holds only /opt/jpen. This adds what makes it a Debian package a service can run from, all
     * as files dpkg owns (so removal is clean without scripts): the /usr/bin command links, the systemd unit, the
     * example config as a conffile, the desktop entry with the icons in the hicolor theme, and md5sums.
     */
    final class DebFinisher {
        private final Path deb;
        private final List<Launcher> launchers;
        private final Path root;

        DebFinisher(Path deb, List<Launcher> launchers) {
            this.deb = deb;
            this.launchers = launchers;
            this.root = out.resolve("deb-root");
        }

        void finish() throws IOException {
            deleteTree(root);
            run(List.of("dpkg-deb", "--raw-extract", deb.toString(), root.toString()));
            Path files = Path.of(need("deb-files"));
            copyTree(files.resolve("common"), root);
            // The HA examples (docs/ha.md): keepalived.conf and its notify script, plain files in src/main/examples.
            copyTree(Path.of(need("examples")), root.resolve("usr/share/doc/jpen/examples"));
            boolean console = launchers.stream().anyMatch(l -> l.name().equals("jpen-console"));
            if (console) {
                copyTree(files.resolve("console"), root);
                Path icons = Path.of(need("icons"));
                for (int size : new int[] {16, 24, 32, 48, 64, 128, 256, 512}) {
                    copy(icons.resolve("jpen-" + size + ".png"),
                            root.resolve("usr/share/icons/hicolor/" + size + "x" + size + "/apps/jpen.png"));
                }
                copy(icons.resolve("jpen-48.png"), root.resolve("usr/share/pixmaps/jpen.png"));
            }
            Path bin = Files.createDirectories(root.resolve("usr/bin"));
            for (Launcher l : launchers) {
                Files.createSymbolicLink(bin.resolve(l.name()), Path.of("/opt", PACKAGE, "bin", l.name()));
            }
            Files.writeString(root.resolve("DEBIAN/conffiles"), "/etc/jpen/jpen.cfg\n");
            writeMd5sums();
            rewriteControl();
            normalizeModes(root);
            Path rebuilt = deb.resolveSibling(deb.getFileName() + ".tmp");
            // gzip: every dpkg reads it, and the payload (jars, the jlink'd modules file) is compressed already:
            // xz saves 7 % and takes ten times as long; zstd needs dpkg 1.21.18 (Debian 12) to install.
            String z = opts.getOrDefault("deb-compression", "gzip");
            run(List.of("dpkg-deb", "--root-owner-group", "-Z" + z, "--build", root.toString(), rebuilt.toString()));
            Files.move(rebuilt, deb, StandardCopyOption.REPLACE_EXISTING);
            log("deb control:\n" + run(List.of("dpkg-deb", "--field", deb.toString())).indent(4));
        }

        private void writeMd5sums() throws IOException {
            StringBuilder sums = new StringBuilder();
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(Files::isRegularFile).filter(f -> !f.startsWith(root.resolve("DEBIAN")))
                        .sorted().toList()) {
                    sums.append(md5(f)).append("  ").append(root.relativize(f).toString().replace('\\', '/')).append('\n');
                }
            }
            Files.writeString(root.resolve("DEBIAN/md5sums"), sums.toString());
        }

        /** Installed-Size counts what was added; the description gets its long form. */
        private void rewriteControl() throws IOException {
            Path control = root.resolve("DEBIAN/control");
            long kib = 0;
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(f -> !f.startsWith(root.resolve("DEBIAN"))).toList()) {
                    kib += Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? (Files.size(f) + 1023) / 1024 : 1;
                }
            }
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(control)) {
                if (l.isBlank()) continue;
                if (l.startsWith("Installed-Size:")) l = "Installed-Size: " + kib;
                if (l.startsWith("Depends:")) {
                    // jpackage's found libraries and ours, each once ("zlib1g , libgtk-3-0" otherwise)
                    Set<String> deps = new java.util.LinkedHashSet<>();
                    for (String d : l.substring("Depends:".length()).split(",")) if (!d.isBlank()) deps.add(d.strip());
                    l = "Depends: " + String.join(", ", deps);
                }
                lines.add(l);
                if (l.startsWith("Description:")) {
                    lines.add(" jpen balances TCP and UDP connections over a set of servers, option for option like");
                    lines.add(" Pen. It installs the commands jpen (the balancer), jpenctl (its control client) and");
                    lines.add(" jpen-console (a JavaFX desktop console), a systemd unit jpen.service that runs");
                    lines.add(" 'jpen -F /etc/jpen/jpen.cfg' as the user jpen, and a desktop entry.");
                }
            }
            Files.write(control, lines);
        }
    }

    // ---- helpers ----

    void requireCommands(String... commands) {
        for (String c : commands) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, c)));
            if (!found) {
                throw new BuildFailure("jpackage --type deb needs " + c + ", which is not installed; on Debian: "
                        + "apt-get install -y fakeroot dpkg-dev");
            }
        }
    }

    /** Runs a JDK tool in this JVM; fails the build with its output when it fails. Returns what it printed. */
    static String tool(String name, List<String> args) {
        ToolProvider tp = ToolProvider.findFirst(name)
                .orElseThrow(() -> new BuildFailure("this JDK has no " + name + " (a full JDK 17 or newer is needed)"));
        log(name + " " + String.join(" ", args));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintWriter pw = new PrintWriter(buf, true, StandardCharsets.UTF_8)) {
            rc = tp.run(pw, pw, args.toArray(String[]::new));
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        if (rc != 0) throw new BuildFailure(name + " failed (exit " + rc + "):\n" + printed);
        if (!printed.isBlank() && !name.equals("jdeps")) System.out.print(printed.indent(4));
        return printed;
    }

    /** Runs a command; fails the build with its output when it fails. Returns what it printed. */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed;
        try (InputStream in = p.getInputStream()) {
            printed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0) throw new BuildFailure(String.join(" ", command) + " failed:\n" + printed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailure("interrupted: " + String.join(" ", command));
        }
        return printed;
    }

    String need(String key) {
        String v = opts.get(key);
        if (v == null || v.isBlank()) throw new BuildFailure("missing option --" + key + "=...");
        return v;
    }

    static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    static boolean isWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    static boolean isMac() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) throw new BuildFailure("missing folder " + from);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else copy(f, target);
            }
        }
    }

    /** Files 0644, folders and executables 0755, whatever the checkout's umask did to them. */
    static void normalizeModes(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.toList()) {
                if (Files.isSymbolicLink(f)) continue;
                boolean exec = Files.isDirectory(f) || Files.isExecutable(f)
                        || f.getParent().equals(root.resolve("DEBIAN")) && !Set.of("control", "conffiles", "md5sums")
                        .contains(f.getFileName().toString());
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static String md5(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static void log(String s) {
        System.out.println("[installer] " + s);
    }

    /** A launcher's properties file for jpackage, in a stable order. */
    static final class Properties {
        private final Map<String, String> entries = new LinkedHashMap<>();

        void put(String key, String value) {
            entries.put(key, value);
        }

        void store(Path file) throws IOException {
            StringBuilder b = new StringBuilder();
            // backslashes (Windows paths) must be escaped in a properties file
            entries.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Files.writeString(file, b.toString());
        }
    }
}
