package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.packet.Checksums;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shim's SYN crafting, read back by the Java decoder's checksum code: every field where it belongs, both
 * checksums valid, for both families. Nothing is sent.
 */
class SynCraftTest {
    final Shim lib = NativeLoader.lib();
    final ProbeBatch batch = new ProbeBatch(1);
    final ByteBuffer out = ByteBuffer.allocateDirect(128).order(ByteOrder.BIG_ENDIAN);
    final NativeBuffer outView = lib.wrap(out);

    int craft() {
        return lib.craft(batch.nativeView(), outView, out.capacity());
    }

    @Test
    void ipv4SynWithMss() throws Exception {
        byte[] src = InetAddress.getByName("198.18.0.1").getAddress(), dst = InetAddress.getByName("198.18.0.2").getAddress();
        batch.clear();
        batch.addSyn(src, dst, 40000, 443, 0xDEADBEEF, 57, 0x1234, 1024, 1460);
        int len = craft();
        assertEquals(44, len, "20 bytes IPv4, 20 TCP, 4 MSS option");
        assertEquals(0x45, out.get(0) & 0xff);
        assertEquals(44, out.getShort(2) & 0xffff);
        assertEquals(0x1234, out.getShort(4) & 0xffff);
        assertEquals(57, out.get(8) & 0xff);
        assertEquals(6, out.get(9));
        assertEquals(0, Checksums.ipv4Header(out, 0, 20), "IP header checksum verifies");
        assertEquals(0xC6120001, out.getInt(12));
        assertEquals(0xC6120002, out.getInt(16));
        assertEquals(40000, out.getShort(20) & 0xffff);
        assertEquals(443, out.getShort(22) & 0xffff);
        assertEquals(0xDEADBEEF, out.getInt(24));
        assertEquals(0, out.getInt(28), "no acknowledgment in a SYN");
        assertEquals(6 << 4, out.get(32) & 0xff, "data offset 24 bytes");
        assertEquals(ProbeBatch.SYN, out.get(33));
        assertEquals(1024, out.getShort(34) & 0xffff);
        assertEquals(0x02041460 >>> 16, out.getShort(40) & 0xffff);
        assertEquals(1460, out.getShort(42) & 0xffff);
        assertEquals(0, Checksums.tcpIpv4(out, 0), "TCP checksum with pseudo-header verifies");
    }

    @Test
    void ipv6SynWithoutMss() throws Exception {
        byte[] src = InetAddress.getByName("2001:db8::1").getAddress(), dst = InetAddress.getByName("2001:db8::2").getAddress();
        batch.clear();
        batch.addSyn(src, dst, 50001, 22, 7, 3, 0xBEEF, 65535, 0);
        int len = craft();
        assertEquals(60, len);
        assertEquals(6, (out.get(0) & 0xff) >>> 4);
        assertEquals(0xBEEF, out.getInt(0) & 0xfffff, "the flow label carries the IP ID field");
        assertEquals(20, out.getShort(4) & 0xffff);
        assertEquals(6, out.get(6));
        assertEquals(3, out.get(7), "hop limit");
        assertEquals(22, out.getShort(42) & 0xffff);
        assertEquals(7, out.getInt(44));
        assertEquals(5 << 4, out.get(52) & 0xff);
        assertEquals(0, Checksums.tcpIpv6(out, 0));
    }

    @Test
    void randomProbeRecordsNeverCrashAndAlwaysCarryValidChecksums() {
        Random rnd = new Random(11);
        ByteBuffer raw = batchBuffer();
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            for (int k = 0; k < PROBE_SIZE; k++) raw.put(k, (byte) rnd.nextInt());
            if (rnd.nextInt(4) > 0) raw.put(PROBE_FAMILY, (byte) (rnd.nextBoolean() ? 4 : 6));
            int family = raw.get(PROBE_FAMILY);
            int len = craft();
            if (family != 4 && family != 6) {
                assertTrue(len < 0, "an unknown family is refused, not crafted");
                continue;
            }
            valid++;
            if (family == 4) {
                assertEquals(0, Checksums.ipv4Header(out, 0, 20));
                assertEquals(0, Checksums.tcpIpv4(out, 0));
            } else {
                assertEquals(0, Checksums.tcpIpv6(out, 0));
            }
        }
        assertTrue(valid > 10_000);
        assertTrue(lib.craft(batch.nativeView(), outView, 10) < 0, "a too-small output buffer is refused");
        assertTrue(lib.sendBatch(-1, -1, batch.nativeView(), -1) < 0, "a negative count is refused");
        assertTrue(lib.sendBatch(-1, -1, batch.nativeView(), MAX_BATCH + 1) < 0, "an oversized batch is refused");
    }

    private ByteBuffer batchBuffer() {
        batch.clear();
        batch.addSyn(new byte[4], new byte[4], 1, 1, 0, 64, 0, 0, 0);
        return batch.buffer();
    }
}
