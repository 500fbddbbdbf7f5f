package io.jpen.icons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes every icon file from {@link IconPainter}: {@code jpen-SIZE.png} for each of
 * {@link Icons#SIZES}, {@code jpen.ico} and {@code jpen.icns} into
 * {@code src/main/resources/io/jpen/icons/}, and the vector source {@code src/main/svg/jpen.svg}.
 *
 * <p>Usage, from the repository root (or from the icons module, or with the module directory as
 * the only argument):
 * <pre>
 * mvn -q -B -pl icons compile
 * java -Djava.awt.headless=true -cp icons/target/classes io.jpen.icons.IconGenerator
 * </pre>
 * The output is deterministic: running it again on the same JDK rewrites identical files.
 */
public final class IconGenerator {

    static final String RESOURCES = "src/main/resources/io/jpen/icons";
    static final String SVG = "src/main/svg/jpen.svg";

    private IconGenerator() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path module = args.length > 0 ? Path.of(args[0]) : findModule();
        for (Path written : generate(module)) {
            System.out.println("wrote " + written);
        }
    }

    /** Writes all files under the icons module directory {@code module}; returns their paths. */
    static java.util.List<Path> generate(Path module) throws IOException {
        Path resources = module.resolve(RESOURCES);
        Files.createDirectories(resources);
        Map<Integer, byte[]> pngs = new LinkedHashMap<>();
        for (int size : Icons.SIZES) {
            pngs.put(size, IconFormats.png(IconPainter.render(size)));
        }
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (Map.Entry<Integer, byte[]> png : pngs.entrySet()) {
            written.add(write(resources.resolve(Icons.fileName(png.getKey())), png.getValue()));
        }
        written.add(write(resources.resolve(Icons.ICO), IconFormats.ico(pngs::get)));
        written.add(write(resources.resolve(Icons.ICNS), IconFormats.icns(pngs::get)));
        Path svg = module.resolve(SVG);
        Files.createDirectories(svg.getParent());
        written.add(write(svg, IconPainter.svg().getBytes(StandardCharsets.UTF_8)));
        return written;
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The icons module: {@code ./icons} when run from the repository root, else {@code .}. */
    private static Path findModule() {
        Path fromRoot = Path.of("icons");
        if (Files.isDirectory(fromRoot.resolve("src/main/java/io/jpen/icons"))) {
            return fromRoot;
        }
        if (Files.isDirectory(Path.of("src/main/java/io/jpen/icons"))) {
            return Path.of(".");
        }
        throw new IllegalStateException("run from the repository root or the icons module,"
                + " or pass the icons module directory as the argument");
    }
}
