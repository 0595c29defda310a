package io.synprobe.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    /** 198.18.0.1:40000 -> 198.18.0.2:443 SYN with an MSS option; checksums computed offline. */
    private static final String SYN_V4 = "4500002c1234400040069c70c6120001c6120002"
            + "9c4001bb12345678000000006002faf00a660000020405b4";
    /** [2001:db8::1]:40000 -> [2001:db8::2]:80 SYN with an MSS option; checksum computed offline. */
    private static final String SYN_V6 = "600000000018064020010db8000000000000000000000001"
            + "20010db80000000000000000000000029c400050deadbeef000000006002ffff02980000020405a0";

    private static ByteBuffer hex(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    @Test
    void rfc1071WorkedExample() {
        ByteBuffer b = hex("0001f203f4f5f6f7");
        assertEquals(0x2ddf0, Checksums.sum(b, 0, 8, 0));
        assertEquals(~0xddf2 & 0xffff, Checksums.fold(Checksums.sum(b, 0, 8, 0)));
    }

    @Test
    void oddLengthPadsLastByteWithZero() {
        ByteBuffer b = hex("ff0102030405");
        assertEquals(0x0102 + 0x0300, Checksums.sum(b, 1, 3, 0));
        assertEquals(0x0102 + 0x0300 + 7, Checksums.sum(b, 1, 3, 7));
    }

    @Test
    void sumWrapsCarriesOutOf32Bits() {
        ByteBuffer b = hex("ffffffff");
        assertEquals(0x1fffe, Checksums.sum(b, 0, 4, 0xffffffff));
    }

    @Test
    void foldOfZeroIsAllOnes() {
        assertEquals(0xffff, Checksums.fold(0));
        assertEquals(0, Checksums.fold(0xffff));
    }

    @Test
    void wellKnownIpv4HeaderExample() {
        ByteBuffer b = hex("45000073000040004011b861c0a80001c0a800c7");
        assertEquals(0, Checksums.ipv4Header(b, 0, 20));
        b.putShort(10, (short) 0);
        assertEquals(0xb861, Checksums.ipv4Header(b, 0, 20));
    }

    @Test
    void ipv4SynVerifiesAndRecomputes() {
        ByteBuffer b = hex("aabb" + SYN_V4);
        assertEquals(0, Checksums.ipv4Header(b, 2, 20));
        assertEquals(0, Checksums.tcpIpv4(b, 2));
        b.putShort(2 + 20 + 16, (short) 0);
        assertEquals(0x0a66, Checksums.tcpIpv4(b, 2));
    }

    @Test
    void ipv6SynVerifiesAndRecomputes() {
        ByteBuffer b = hex(SYN_V6);
        assertEquals(0, Checksums.tcpIpv6(b, 0));
        b.putShort(40 + 16, (short) 0);
        assertEquals(0x0298, Checksums.tcpIpv6(b, 0));
    }

    @Test
    void corruptedPacketDoesNotVerify() {
        ByteBuffer b = hex(SYN_V4);
        b.put(30, (byte) (b.get(30) ^ 0x40));
        assertNotEquals(0, Checksums.tcpIpv4(b, 0));
    }

    @Test
    void doesNotMoveBufferPositionAndIgnoresByteOrder() {
        ByteBuffer b = hex(SYN_V4).order(ByteOrder.LITTLE_ENDIAN);
        b.position(7);
        assertEquals(0, Checksums.tcpIpv4(b, 0));
        assertEquals(7, b.position());
    }

    @Test
    void ipv4RandomTcpSegmentsMatchIndependentImplementation() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            int ihl = 20 + 4 * random.nextInt(11);
            int tcpLength = 20 + random.nextInt(100);
            byte[] packet = new byte[ihl + tcpLength];
            random.nextBytes(packet);
            packet[0] = (byte) (0x40 | ihl / 4);
            packet[2] = (byte) (packet.length >> 8);
            packet[3] = (byte) packet.length;
            packet[9] = 6;
            byte[] pseudo = new byte[12];
            System.arraycopy(packet, 12, pseudo, 0, 8);
            pseudo[9] = 6;
            pseudo[10] = (byte) (tcpLength >> 8);
            pseudo[11] = (byte) tcpLength;
            int expected = naiveChecksum(pseudo, packet, ihl);
            assertEquals(expected, Checksums.tcpIpv4(ByteBuffer.wrap(packet), 0));
        }
    }

    @Test
    void ipv6RandomTcpSegmentsMatchIndependentImplementation() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 500; i++) {
            int tcpLength = 20 + random.nextInt(1400);
            byte[] packet = new byte[40 + tcpLength];
            random.nextBytes(packet);
            packet[4] = (byte) (tcpLength >> 8);
            packet[5] = (byte) tcpLength;
            packet[6] = 6;
            byte[] pseudo = new byte[40];
            System.arraycopy(packet, 8, pseudo, 0, 32);
            pseudo[34] = (byte) (tcpLength >> 8);
            pseudo[35] = (byte) tcpLength;
            pseudo[39] = 6;
            assertEquals(naiveChecksum(pseudo, packet, 40), Checksums.tcpIpv6(ByteBuffer.wrap(packet), 0));
        }
    }

    @Test
    void rejectsNonTcp() {
        ByteBuffer v4 = hex(SYN_V4);
        v4.put(9, (byte) 17);
        assertThrows(IllegalArgumentException.class, () -> Checksums.tcpIpv4(v4, 0));
        ByteBuffer v6 = hex(SYN_V6);
        v6.put(6, (byte) 17);
        assertThrows(IllegalArgumentException.class, () -> Checksums.tcpIpv6(v6, 0));
    }

    /** Straightforward checksum of pseudo-header plus packet[from..] via one concatenated byte array. */
    private static int naiveChecksum(byte[] pseudo, byte[] packet, int from) {
        byte[] all = new byte[pseudo.length + packet.length - from + 1];
        System.arraycopy(pseudo, 0, all, 0, pseudo.length);
        System.arraycopy(packet, from, all, pseudo.length, packet.length - from);
        int len = all.length - 1;
        long total = 0;
        for (int i = 0; i < len; i += 2) {
            total += ((all[i] & 0xff) << 8) + (all[i + 1] & 0xff);
        }
        while (total > 0xffff) {
            total = (total & 0xffff) + (total >> 16);
        }
        return (int) (~total & 0xffff);
    }
}
