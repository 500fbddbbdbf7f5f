package io.jpen.icons;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;

/** Writes the PNG, Windows ICO and macOS ICNS files, with the JDK alone. */
final class IconFormats {

    /** The sizes in {@code jpen.ico}; 512 is left out, the ICO directory cannot state it. */
    static final List<Integer> ICO_SIZES = List.of(16, 24, 32, 48, 64, 128, 256);

    /**
     * The entries of {@code jpen.icns}, type to pixel size, in file order: the plain sizes, then
     * the Retina ({@code @2x}) slots that reuse a PNG of twice the size.
     */
    static final Map<String, Integer> ICNS_TYPES = icnsTypes();

    private static final int ICO_HEADER = 6;
    private static final int ICO_ENTRY = 16;
    private static final int ICNS_HEADER = 8;

    private IconFormats() {
    }

    private static Map<String, Integer> icnsTypes() {
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("icp4", 16);
        types.put("icp5", 32);
        types.put("icp6", 64);
        types.put("ic07", 128);
        types.put("ic08", 256);
        types.put("ic09", 512);
        types.put("ic11", 32); // 16x16@2x
        types.put("ic12", 64); // 32x32@2x
        types.put("ic13", 256); // 128x128@2x
        types.put("ic14", 512); // 256x256@2x
        return java.util.Collections.unmodifiableMap(types);
    }

    /** Encodes an image as PNG. */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A Windows icon whose entries are PNG files (valid since Windows Vista): a 6-byte header
     * (reserved 0, type 1, count), one 16-byte directory entry per image (width and height with
     * 0 meaning 256, colour count 0, reserved 0, 1 plane, 32 bits per pixel, data length, data
     * offset), then the PNG data. Little-endian throughout.
     */
    static byte[] ico(IntFunction<byte[]> pngOfSize) {
        List<byte[]> pngs = ICO_SIZES.stream().map(pngOfSize::apply).toList();
        int length = ICO_HEADER + ICO_ENTRY * pngs.size()
                + pngs.stream().mapToInt(p -> p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) 0).putShort((short) 1).putShort((short) pngs.size());
        int offset = ICO_HEADER + ICO_ENTRY * pngs.size();
        for (int i = 0; i < pngs.size(); i++) {
            int size = ICO_SIZES.get(i);
            out.put((byte) (size >= 256 ? 0 : size));
            out.put((byte) (size >= 256 ? 0 : size));
            out.put((byte) 0).put((byte) 0);
            out.putShort((short) 1).putShort((short) 32);
            out.putInt(pngs.get(i).length).putInt(offset);
            offset += pngs.get(i).length;
        }
        pngs.forEach(out::put);
        return out.array();
    }

    /**
     * A macOS icon family with PNG entries: the magic {@code icns} and the total length, then per
     * entry its four-letter type, its length including this 8-byte header, and the PNG data.
     * Big-endian throughout.
     */
    static byte[] icns(IntFunction<byte[]> pngOfSize) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ICNS_TYPES.forEach((type, size) -> entries.put(type, pngOfSize.apply(size)));
        int length = ICNS_HEADER + entries.values().stream().mapToInt(p -> ICNS_HEADER + p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        out.put("icns".getBytes(StandardCharsets.US_ASCII)).putInt(length);
        entries.forEach((type, png) -> {
            out.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(ICNS_HEADER + png.length);
            out.put(png);
        });
        return out.array();
    }
}
