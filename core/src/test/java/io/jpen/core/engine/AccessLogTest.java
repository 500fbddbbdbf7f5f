package io.jpen.core.engine;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's line (the log moved to the engine, which writes it; these tests came from StatusPageTest). */
class AccessLogTest {

    @Test
    void accessLogLineIsPensFormatWithControlCharactersMasked() {
        String line = AccessLog.format(InetAddress.getLoopbackAddress(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), 1_795_627_865L,
                Unpooled.copiedBuffer("bin\0ary\tGET\r\nHost: x\r\n", StandardCharsets.ISO_8859_1));
        assertThat(line).isEqualTo("127.0.0.1 1795627865 127.0.0.1 bin.ary.GET\n");
    }

    @Test
    void c1ControlBytesAreMaskedLikeTheOtherControlBytesAndLatin1LettersKept() {
        byte[] data = {'G', 'E', 'T', ' ', (byte) 0x80, (byte) 0x85, (byte) 0x9b, (byte) 0x9f, (byte) 0x7f, (byte) 0xa0, (byte) 0xe9, '/'};
        String line = AccessLog.format(InetAddress.getLoopbackAddress(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), 1L, Unpooled.wrappedBuffer(data));
        // 0x85 is NEL and 0x9b CSI: a terminal showing the log would act on them.
        assertThat(line).isEqualTo("127.0.0.1 1 127.0.0.1 GET .....\u00a0\u00e9/\n");
    }
}
