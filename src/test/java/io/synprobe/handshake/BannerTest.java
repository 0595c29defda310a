package io.synprobe.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BannerTest {
    @Test
    void greetingsBecomeOneLineOfAscii() {
        assertEquals("SSH-2.0-OpenSSH_9.2p1 Debian-2\\r\\n",
                Banner.escape("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("a\\\\b\\tc\\x00\\xff\\x7f\\x1b[0m", Banner.escape(new byte[] {'a', '\\', 'b', '\t', 'c', 0, (byte) 0xff, 0x7f, 0x1b, '[', '0', 'm'}));
        assertEquals("caf\\xc3\\xa9", Banner.escape("café".getBytes(StandardCharsets.UTF_8)), "bytes, not characters");
    }

    @Test
    void atMost256BytesAreKept() {
        byte[] big = new byte[1000];
        java.util.Arrays.fill(big, (byte) 'x');
        big[256] = 'Y';
        String s = Banner.escape(big);
        assertEquals(256, s.length());
        assertTrue(s.chars().allMatch(c -> c == 'x'));
        assertEquals("xx", Banner.escape(big, 10, 2));
    }
}
