import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The runtime jars sorted for jlink and jpackage. JavaFX's platform jars ({@code javafx-graphics-21.0.11-linux.jar})
 * are real modules with their native libraries inside: they go to jlink, their natives apart. The classifier-less
 * javafx jars are empty placeholders: dropped. Netty's native jars for other CPUs: dropped. Every other jar goes on
 * the launchers' class path.
 */
final class Jars {
    /** javafx-graphics-21.0.11-linux.jar: the classifier is the platform the openjfx poms picked for this OS. */
    private static final Pattern FX_PLATFORM_JAR = Pattern.compile("javafx-[a-z]+-[0-9][0-9.]*-[a-z][a-z0-9-]*\\.jar");
    private static final Pattern NATIVE_LIBRARY = Pattern.compile("[^/]+\\.(so|dll|dylib)");

    private Jars() {}

    static void sort(Path jars, Path classPath, Path fxModules, Path fxNatives) throws IOException {
        if (!Files.isDirectory(jars)) throw new BuildFailure("no jars folder " + jars + " (run the Maven profile)");
        Files.createDirectories(classPath);
        Files.createDirectories(fxModules);
        Files.createDirectories(fxNatives);
        for (String name : names(jars)) {
            Path jar = jars.resolve(name);
            if (FX_PLATFORM_JAR.matcher(name).matches()) splitNatives(jar, fxModules.resolve(name), fxNatives);
            else if (!name.startsWith("javafx-") && !isOtherPlatformNative(name)) Tools.copy(jar, classPath.resolve(name));
        }
    }

    /**
     * Copies a JavaFX platform jar without its native libraries, which go to {@code natives}. In a runtime image
     * JavaFX loads them from the runtime's own lib folder (bin on Windows) first; left inside the module, they are
     * extracted again into every user's ~/.openjfx/cache, and the package would hold them twice.
     */
    private static void splitNatives(Path jar, Path strippedJar, Path natives) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream stripped = new ZipOutputStream(Files.newOutputStream(strippedJar))) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    if (NATIVE_LIBRARY.matcher(e.getName()).matches()) {
                        Files.copy(in, natives.resolve(e.getName()), StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        stripped.putNextEntry(new ZipEntry(e.getName()));
                        in.transferTo(stripped);
                        stripped.closeEntry();
                    }
                }
            }
        }
    }

    /** Netty ships native transports for several CPUs; only this machine's belong in this machine's package. */
    private static boolean isOtherPlatformNative(String jarName) {
        if (!jarName.startsWith("netty-transport-native-") || !jarName.contains("-linux-")) return false;
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        return !jarName.endsWith("-linux-" + arch + ".jar");
    }

    /** The jar in {@code dir} holding a class, or null. */
    static Path holding(Path dir, String className) throws IOException {
        String entry = className.replace('.', '/') + ".class";
        for (String name : names(dir)) {
            try (ZipFile zip = new ZipFile(dir.resolve(name).toFile())) {
                if (zip.getEntry(entry) != null) return dir.resolve(name);
            }
        }
        return null;
    }

    /** The jars in {@code dir}, by name. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }
}
