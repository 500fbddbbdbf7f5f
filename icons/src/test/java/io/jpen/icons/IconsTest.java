package io.jpen.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IconsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void sizesRunFrom16To512() {
        assertThat(Icons.SIZES).containsExactly(16, 24, 32, 48, 64, 128, 256, 512);
    }

    @Test
    void everyStandardSizeIsAPngOfThatSize() throws IOException {
        for (int size : Icons.SIZES) {
            byte[] png;
            try (InputStream in = Icons.open(size)) {
                png = in.readAllBytes();
            }
            assertThat(Arrays.copyOf(png, 8)).as("PNG signature of %d", size).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = Pixels.decode(png);
            assertThat(image.getWidth()).as("width of %d", size).isEqualTo(size);
            assertThat(image.getHeight()).as("height of %d", size).isEqualTo(size);
            assertThat(image.getColorModel().hasAlpha()).as("alpha of %d", size).isTrue();
        }
    }

    @Test
    void urlPointsAtTheSameBytesAsOpen() throws IOException {
        for (int size : Icons.SIZES) {
            URL url = Icons.url(size);
            assertThat(url.getPath()).endsWith("/io/jpen/icons/jpen-" + size + ".png");
            try (InputStream viaUrl = url.openStream(); InputStream viaOpen = Icons.open(size)) {
                assertThat(viaUrl.readAllBytes()).isEqualTo(viaOpen.readAllBytes());
            }
        }
    }

    @Test
    void sizesThatAreNotShippedAreRejected() {
        for (int size : new int[] {0, -16, 17, 100, 1024}) {
            assertThatThrownBy(() -> Icons.open(size)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(size));
            assertThatThrownBy(() -> Icons.url(size)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void icoFileListsEachSizeAndParsesBack() {
        byte[] ico = Icons.ico();
        ByteBuffer in = ByteBuffer.wrap(ico).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(in.getShort()).as("reserved").isZero();
        assertThat(in.getShort()).as("type: icon").isEqualTo((short) 1);
        int count = in.getShort();
        assertThat(count).isEqualTo(7);

        List<Integer> sizes = new ArrayList<>();
        int end = 6 + 16 * count;
        for (int i = 0; i < count; i++) {
            int width = Byte.toUnsignedInt(in.get());
            int height = Byte.toUnsignedInt(in.get());
            int size = width == 0 ? 256 : width;
            assertThat(height == 0 ? 256 : height).as("square entry %d", i).isEqualTo(size);
            assertThat(in.get()).as("colour count").isZero();
            assertThat(in.get()).as("reserved byte").isZero();
            assertThat(in.getShort()).as("planes").isEqualTo((short) 1);
            assertThat(in.getShort()).as("bits per pixel").isEqualTo((short) 32);
            int length = in.getInt();
            int offset = in.getInt();
            assertThat(offset).as("entries follow the directory without gaps").isEqualTo(end);
            end = offset + length;

            byte[] png = Arrays.copyOfRange(ico, offset, offset + length);
            assertThat(Arrays.copyOf(png, 8)).as("PNG signature of entry %d", size).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = Pixels.decode(png);
            assertThat(image.getWidth()).as("decoded width of entry %d", size).isEqualTo(size);
            assertThat(image.getHeight()).as("decoded height of entry %d", size).isEqualTo(size);
            assertThat(png).as("entry %d is the committed PNG", size).isEqualTo(committedPng(size));
            sizes.add(size);
        }
        assertThat(end).as("file ends with the last entry").isEqualTo(ico.length);
        assertThat(sizes).containsExactly(16, 24, 32, 48, 64, 128, 256);
    }

    @Test
    void icnsFileHoldsPngEntries() {
        byte[] icns = Icons.icns();
        ByteBuffer in = ByteBuffer.wrap(icns).order(ByteOrder.BIG_ENDIAN);
        assertThat(type(in)).isEqualTo("icns");
        assertThat(in.getInt()).as("total length").isEqualTo(icns.length);

        Map<String, Integer> found = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            String type = type(in);
            int length = in.getInt();
            assertThat(length).as("length of %s", type).isGreaterThan(8).isLessThanOrEqualTo(in.remaining() + 8);
            byte[] png = new byte[length - 8];
            in.get(png);
            assertThat(Arrays.copyOf(png, 8)).as("PNG signature of %s", type).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = Pixels.decode(png);
            assertThat(image.getHeight()).as("square %s", type).isEqualTo(image.getWidth());
            assertThat(png).as("%s is the committed PNG", type).isEqualTo(committedPng(image.getWidth()));
            found.put(type, image.getWidth());
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("icp4", 16);
        expected.put("icp5", 32);
        expected.put("icp6", 64);
        expected.put("ic07", 128);
        expected.put("ic08", 256);
        expected.put("ic09", 512);
        expected.put("ic11", 32); // 16x16@2x
        expected.put("ic12", 64); // 32x32@2x
        expected.put("ic13", 256); // 128x128@2x
        expected.put("ic14", 512); // 256x256@2x
        assertThat(found).containsExactlyEntriesOf(expected);
    }

    private static String type(ByteBuffer in) {
        byte[] type = new byte[4];
        in.get(type);
        return new String(type, StandardCharsets.US_ASCII);
    }

    private static byte[] committedPng(int size) {
        try (InputStream in = Icons.open(size)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
