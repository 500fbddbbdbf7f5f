import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jpackage app image: the runtime, the jars on the class path, and a native launcher per command, the console
 * being the main one; the others are {@code --add-launcher}s described by a properties file each.
 */
final class AppImage {
    static final String VENDOR = "jpen developers";
    static final String DESCRIPTION = "TCP and UDP load balancer compatible with Pen, with a desktop console";

    private AppImage() {}

    /** The application icon in the form this platform's launchers take. */
    static Path icon(Path iconsDir) {
        Path icon = iconsDir.resolve(Tools.isWindows() ? "jpen.ico" : Tools.isMac() ? "jpen.icns" : "jpen-256.png");
        if (!Files.isRegularFile(icon)) throw new BuildFailure("icon " + icon + " is missing (see icons/README.md)");
        return icon;
    }

    /** The jpackage arguments every package type shares. */
    static List<String> common(String name, String version) {
        return List.of("--name", name, "--app-version", version, "--vendor", VENDOR, "--description", DESCRIPTION,
                "--copyright", VENDOR);
    }

    static Path build(Path classPath, Path runtime, List<Launcher> launchers, String version, Path icon, Path work)
            throws IOException {
        Launcher main = launchers.get(0);
        Path dest = work.resolve("image");
        List<String> args = new ArrayList<>(List.of("--type", "app-image", "--dest", dest.toString(),
                "--input", classPath.toString(),
                "--main-jar", Jars.holding(classPath, main.mainClass()).getFileName().toString(),
                "--main-class", main.mainClass(),
                "--runtime-image", runtime.toString(),
                "--icon", icon.toString()));
        args.addAll(common(main.name(), version));
        for (String o : main.javaOptions()) args.addAll(List.of("--java-options", o));
        Path props = Files.createDirectories(work.resolve("launchers"));
        for (Launcher l : launchers.subList(1, launchers.size())) {
            Path file = props.resolve(l.name() + ".properties");
            List<String> lines = new ArrayList<>(List.of(
                    "main-jar=" + Jars.holding(classPath, l.mainClass()).getFileName(),
                    "main-class=" + l.mainClass(),
                    "description=jpen: " + l.summary(),
                    "icon=" + icon));
            if (!l.javaOptions().isEmpty()) lines.add("java-options=" + String.join(" ", l.javaOptions()));
            if (Tools.isWindows()) lines.add("win-console=" + l.terminal());
            // backslashes (Windows paths) must be escaped in a properties file
            Files.write(file, lines.stream().map(x -> x.replace("\\", "\\\\")).toList());
            args.addAll(List.of("--add-launcher", l.name() + "=" + file));
        }
        if (Tools.isWindows() && main.terminal()) args.add("--win-console");
        Tools.jdk("jpackage", args);
        try (Stream<Path> s = Files.list(dest)) {
            Path image = s.findFirst().orElseThrow(() -> new BuildFailure("jpackage made no app image in " + dest));
            Tools.log("app image: " + image + " (" + Tools.mib(Tools.sizeOf(image)) + ")");
            return image;
        }
    }
}
