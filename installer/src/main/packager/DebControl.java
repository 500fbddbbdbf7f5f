import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The control folder jdeb packs into the .deb (see the installer pom): the maintainer scripts as they are, and
 * the control file from its template with the version, the architecture and the dependencies filled in.
 */
final class DebControl {
    /**
     * Dependencies the library scan cannot see: JavaFX's GTK 3 and libXtst (what libglassgtk3.so links against;
     * the scan finds them only where GTK is installed at build time), and passwd for postinst's useradd.
     */
    static final List<String> ALWAYS = List.of("libgtk-3-0", "libxtst6", "passwd");

    private DebControl() {}

    static void write(Path template, Path out, String version, String architecture, Path image) throws IOException {
        String dpkgArch = Tools.output(List.of("dpkg", "--print-architecture")).strip();
        if (!dpkgArch.equals(architecture)) {
            throw new BuildFailure("this machine's Debian architecture is " + dpkgArch + ", not " + architecture
                    + " (-Dinstaller.debArch=" + dpkgArch + ")");
        }
        Set<String> depends = new LinkedHashSet<>(DebDepends.of(image));
        depends.addAll(ALWAYS);
        Tools.deleteTree(out);
        Files.createDirectories(out);
        try (Stream<Path> files = Files.list(template)) {
            for (Path f : files.toList()) Tools.copy(f, out.resolve(f.getFileName()));
        }
        String control = Files.readString(template.resolve("control"))
                .replace("[[version]]", version)
                .replace("[[architecture]]", architecture)
                .replace("[[depends]]", String.join(", ", depends));
        Files.writeString(out.resolve("control"), control);
        Tools.log("deb control:\n" + control.indent(4));
    }
}
