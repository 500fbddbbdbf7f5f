package io.jpen.icons;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;

/**
 * The jpen application icon, as resources on the class path: PNGs in {@link #SIZES}, a Windows
 * {@code .ico} and a macOS {@code .icns}. All are drawn by {@link IconPainter} and written by
 * {@link IconGenerator}; the GUI builds its window icons from {@link #url(int)}, the installer
 * hands {@link #ico()}, {@link #icns()} or the 512-pixel PNG to jpackage.
 */
public final class Icons {

    /** The pixel sizes a PNG is shipped for, smallest first. */
    public static final List<Integer> SIZES = List.of(16, 24, 32, 48, 64, 128, 256, 512);

    /** Resource name of the Windows icon (PNG entries for 16 to 256 pixels). */
    static final String ICO = "jpen.ico";
    /** Resource name of the macOS icon family (PNG entries for 16 to 512 pixels, and @2x). */
    static final String ICNS = "jpen.icns";

    private Icons() {
    }

    /** Opens the PNG of {@code size}×{@code size} pixels; the caller closes the stream. */
    public static InputStream open(int size) {
        return open(fileName(size));
    }

    /** The class-path URL of the PNG of {@code size}×{@code size} pixels. */
    public static URL url(int size) {
        return url(fileName(size));
    }

    /** The bytes of {@code jpen.ico}. */
    public static byte[] ico() {
        return bytes(ICO);
    }

    /** The bytes of {@code jpen.icns}. */
    public static byte[] icns() {
        return bytes(ICNS);
    }

    /** The resource file name of the PNG of a given size, e.g. {@code jpen-16.png}. */
    static String fileName(int size) {
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException("no icon of " + size + " pixels; sizes are " + SIZES);
        }
        return "jpen-" + size + ".png";
    }

    private static URL url(String name) {
        URL url = Icons.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("icon resource missing from the class path: " + name);
        }
        return url;
    }

    private static InputStream open(String name) {
        InputStream in = Icons.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("icon resource missing from the class path: " + name);
        }
        return in;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read icon resource " + name, e);
        }
    }
}
