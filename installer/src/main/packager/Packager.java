import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds jpen's installers from the runtime jars: a jlink'd Java runtime with the JavaFX modules, a jpackage app
 * image with the launchers jpen-console, jpen and jpenctl, and then for {@code --type=deb} the control folder jdeb
 * packs the .deb with (the installer pom runs jdeb next), for {@code msi} and {@code dmg} jpackage's installer.
 * The installer module's Maven profile compiles and runs it ({@code java Packager --key=value ...}), so the same
 * steps run on every platform without a shell.
 */
public final class Packager {
    private final Options opts;
    private final Path out;

    private Packager(Options opts) {
        this.opts = opts;
        this.out = opts.path("out");
    }

    public static void main(String[] args) throws IOException {
        try {
            new Packager(Options.parse(args)).run();
        } catch (BuildFailure e) {
            System.err.println("[installer] ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws IOException {
        String type = opts.need("type");
        String version = version();
        Tools.deleteTree(out);
        Path classPath = out.resolve("input");
        Path fxModules = out.resolve("javafx-modules");
        Path fxNatives = out.resolve("javafx-natives");
        Jars.sort(opts.path("jars"), classPath, fxModules, fxNatives);

        // jdeb's file list in the pom names all three commands, so a .deb needs every launcher.
        List<Launcher> launchers = Launcher.present(classPath, opts.flag("strict") || type.equals("deb"));
        Tools.log("launchers: " + launchers.stream().map(Launcher::name).collect(Collectors.joining(", "))
                + " (main: " + launchers.get(0).name() + ")");

        Path runtime = RuntimeImage.build(classPath, fxModules, fxNatives, out.resolve("runtime"));
        Path image = AppImage.build(classPath, runtime, launchers, version, AppImage.icon(opts.path("icons")), out);
        if (!Tools.isWindows() && !Tools.isMac()) ScriptLaunchers.install(image, launchers);
        switch (type) {
            case "app-image" -> { }
            case "deb" -> DebControl.write(opts.path("deb-control"), out.resolve("deb-control"), version,
                    opts.need("deb-arch"), image);
            default -> {
                Path pkg = NativePackage.build(type, image, launchers.get(0).name(), version, out.resolve("package"));
                Tools.log("package: " + pkg + " (" + Tools.mib(java.nio.file.Files.size(pkg)) + ")");
            }
        }
    }

    /** jpackage and dpkg want a plain numeric version: the pom passes 0.1.0 for 0.1.0-SNAPSHOT. */
    private String version() {
        String v = opts.need("version");
        if (!v.matches("\\d+(\\.\\d+){0,2}")) throw new BuildFailure("cannot make a package version out of " + v);
        return v;
    }
}
