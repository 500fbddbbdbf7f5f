package io.jpen.icons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IconGeneratorTest {

    @Test
    void generatorWritesEveryIconFileIntoTheModule(@TempDir Path module) throws IOException {
        List<Path> written = IconGenerator.generate(module);

        Path resources = module.resolve(IconGenerator.RESOURCES);
        try (Stream<Path> files = Files.list(resources)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "jpen-128.png", "jpen-16.png", "jpen-24.png", "jpen-256.png", "jpen-32.png",
                    "jpen-48.png", "jpen-512.png", "jpen-64.png", "jpen.icns", "jpen.ico");
        }
        assertThat(module.resolve(IconGenerator.SVG)).exists();
        assertThat(written).hasSize(Icons.SIZES.size() + 3).allSatisfy(p -> assertThat(p).isNotEmptyFile());
        for (int size : Icons.SIZES) {
            byte[] png = Files.readAllBytes(resources.resolve("jpen-" + size + ".png"));
            assertThat(Pixels.differences(Pixels.decode(Icons.open(size)), Pixels.decode(png)))
                    .as("generated jpen-%d.png against the committed one", size).isEmpty();
        }
    }

    @Test
    void theIcoAndIcnsAreBuiltFromTheSamePngs(@TempDir Path module) throws IOException {
        IconGenerator.generate(module);
        Path resources = module.resolve(IconGenerator.RESOURCES);
        byte[] png16 = Files.readAllBytes(resources.resolve("jpen-16.png"));
        byte[] png512 = Files.readAllBytes(resources.resolve("jpen-512.png"));
        byte[] ico = Files.readAllBytes(resources.resolve("jpen.ico"));
        byte[] icns = Files.readAllBytes(resources.resolve("jpen.icns"));
        assertThat(indexOf(ico, png16)).as("16 px PNG inside the ICO").isPositive();
        assertThat(indexOf(icns, png16)).as("16 px PNG inside the ICNS").isPositive();
        assertThat(indexOf(icns, png512)).as("512 px PNG inside the ICNS").isPositive();
        assertThat(indexOf(ico, png512)).as("no 512 px entry in the ICO").isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
