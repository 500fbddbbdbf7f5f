import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Windows and macOS installers, made by jpackage from the app image. Neither has been built or run yet (see
 * installer/README.md); the Debian package is made by jdeb (DebControl and the pom).
 */
final class NativePackage {
    private NativePackage() {}

    static Path build(String type, Path image, String name, String version, Path dest) throws IOException {
        Files.createDirectories(dest);
        List<String> args = new ArrayList<>(List.of("--type", type, "--dest", dest.toString(), "--app-image", image.toString()));
        args.addAll(AppImage.common(name, version));
        switch (type) {
            // WiX 3 must be on the PATH. The upgrade UUID is fixed forever, so a newer .msi replaces an older one.
            case "msi" -> args.addAll(List.of("--win-menu", "--win-menu-group", "jpen", "--win-shortcut",
                    "--win-dir-chooser", "--win-per-user-install",
                    "--win-upgrade-uuid", "6a0f7b52-3c1d-4e8a-9b57-2f1d0c8e4a11"));
            case "dmg" -> args.addAll(List.of("--mac-package-identifier", "io.jpen.console", "--mac-package-name", "jpen"));
            default -> throw new BuildFailure("unknown package type " + type + " (app-image, deb, msi or dmg)");
        }
        Tools.jdk("jpackage", args);
        try (Stream<Path> s = Files.list(dest)) {
            return s.filter(p -> p.toString().endsWith("." + type)).findFirst()
                    .orElseThrow(() -> new BuildFailure("jpackage made no ." + type + " in " + dest));
        }
    }
}
