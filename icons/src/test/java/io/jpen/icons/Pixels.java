package io.jpen.icons;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Test helpers to decode PNGs and compare images pixel by pixel. */
final class Pixels {

    /**
     * How far one colour channel may differ between a fresh rendering and a committed PNG. On the
     * JDK that wrote the files the difference is zero; a small allowance keeps the test from failing
     * when another JDK build rounds an antialiased edge pixel differently, while any change to the
     * drawing itself still fails it.
     */
    static final int CHANNEL_TOLERANCE = 2;

    private Pixels() {
    }

    static BufferedImage decode(byte[] png) {
        return decode(new ByteArrayInputStream(png));
    }

    static BufferedImage decode(InputStream in) {
        try (in) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IllegalArgumentException("not an image ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Describes where {@code actual} differs from {@code expected} by more than
     * {@link #CHANNEL_TOLERANCE} in any channel, or returns the empty string when it does not.
     * The colour of pixels transparent in both is ignored.
     */
    static String differences(BufferedImage expected, BufferedImage actual) {
        if (expected.getWidth() != actual.getWidth() || expected.getHeight() != actual.getHeight()) {
            return "size " + actual.getWidth() + "x" + actual.getHeight() + " instead of "
                    + expected.getWidth() + "x" + expected.getHeight();
        }
        int count = 0;
        String first = "";
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                if ((e >>> 24) == 0 && (a >>> 24) == 0) {
                    continue;
                }
                for (int shift = 0; shift < 32; shift += 8) {
                    if (Math.abs(((e >>> shift) & 0xff) - ((a >>> shift) & 0xff)) > CHANNEL_TOLERANCE) {
                        if (count == 0) {
                            first = String.format("first at (%d,%d): %08x instead of %08x", x, y, a, e);
                        }
                        count++;
                        break;
                    }
                }
            }
        }
        return count == 0 ? "" : count + " pixels differ, " + first;
    }
}
