package io.jpen.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class IconPainterTest {

    /** Surefire runs the tests in the module directory. */
    private static final Path COMMITTED_SVG = Path.of(IconGenerator.SVG);

    @Test
    void generatorReproducesTheCommittedPngs() {
        for (int size : Icons.SIZES) {
            BufferedImage committed = Pixels.decode(Icons.open(size));
            BufferedImage rendered = IconPainter.render(size);
            assertThat(Pixels.differences(committed, rendered))
                    .as("jpen-%d.png against IconPainter.render(%d); if the drawing changed on purpose,"
                            + " regenerate the icons (see icons/README.md)", size, size)
                    .isEmpty();
        }
    }

    @Test
    void committedSvgIsTheLargeDesign() throws IOException {
        assertThat(Files.readString(COMMITTED_SVG, StandardCharsets.UTF_8))
                .as("src/main/svg/jpen.svg; regenerate the icons (see icons/README.md)")
                .isEqualTo(IconPainter.svg());
    }

    @Test
    void svgIsWellFormedWithOneElementPerLayer() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(IconPainter.svg().getBytes(StandardCharsets.UTF_8)));
        assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 512 512");
        int shapes = svg.getElementsByTagNameNS("*", "path").getLength()
                + svg.getElementsByTagNameNS("*", "circle").getLength();
        assertThat(shapes).isEqualTo(IconPainter.LARGE.layers().size());
        assertThat(svg.getElementsByTagNameNS("*", "rect").getLength()).as("the badge").isEqualTo(1);
    }

    @Test
    void smallSizesUseTheirOwnPixelAlignedDrawings() {
        assertThat(IconPainter.designFor(16)).isSameAs(IconPainter.SMALL_16);
        assertThat(IconPainter.designFor(24)).isSameAs(IconPainter.SMALL_24);
        assertThat(IconPainter.designFor(32)).isSameAs(IconPainter.SMALL_32);
        assertThat(IconPainter.designFor(48)).isSameAs(IconPainter.MEDIUM);
        for (int size : new int[] {64, 128, 256, 512, 1024}) {
            assertThat(IconPainter.designFor(size)).as("design at %d", size).isSameAs(IconPainter.LARGE);
        }
    }

    @Test
    void everySizeHasTransparentCornersAndAnOpaqueBadge() {
        for (int size : new int[] {16, 20, 24, 32, 40, 48, 64, 100, 128, 256, 512, 1024}) {
            BufferedImage image = IconPainter.render(size);
            int last = size - 1;
            for (int[] corner : new int[][] {{0, 0}, {last, 0}, {0, last}, {last, last}}) {
                assertThat(alpha(image, corner[0], corner[1]))
                        .as("corner (%d,%d) at %d", corner[0], corner[1], size).isZero();
            }
            int inset = IconPainter.insetFor(size);
            assertThat(alpha(image, size / 2, inset)).as("top edge at %d", size).isEqualTo(255);
            assertThat(alpha(image, inset, size / 2)).as("left edge at %d", size).isEqualTo(255);
            assertThat(alpha(image, size / 2, size / 2)).as("centre at %d", size).isEqualTo(255);
        }
    }

    @Test
    void theDrawingShowsTheThreeColoursAtEverySize() {
        for (int size : Icons.SIZES) {
            BufferedImage image = IconPainter.render(size);
            assertThat(contains(image, IconPainter.NIB_COLOR.getRGB())).as("white nib at %d", size).isTrue();
            assertThat(contains(image, IconPainter.NODE_COLOR.getRGB())).as("amber nodes at %d", size).isTrue();
            assertThat(contains(image, IconPainter.BADGE_TOP.getRGB())
                    || blueDominates(image, size / 2, IconPainter.insetFor(size) + 1))
                    .as("blue badge at %d", size).isTrue();
        }
    }

    @Test
    void renderingIsRepeatable() {
        BufferedImage first = IconPainter.render(128);
        BufferedImage second = IconPainter.render(128);
        assertThat(Pixels.differences(first, second)).isEmpty();
    }

    @Test
    void sizeMustBePositive() {
        assertThatThrownBy(() -> IconPainter.render(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int alpha(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) >>> 24;
    }

    private static boolean contains(BufferedImage image, int argb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) == argb) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean blueDominates(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        int red = (rgb >> 16) & 0xff;
        int blue = rgb & 0xff;
        return blue > 2 * red;
    }
}
