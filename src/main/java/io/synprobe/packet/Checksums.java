package io.synprobe.packet;

import java.nio.ByteBuffer;

/**
 * RFC 1071 internet checksums over a ByteBuffer, using absolute gets only so the buffer's position and byte
 * order do not matter. Every result is the value to store in the checksum field; when the field already holds a
 * correct checksum the result is 0.
 */
public final class Checksums {

    private static final int TCP = 6;
    private static final int IPV6_HEADER_BYTES = 40;

    private Checksums() {
    }

    /**
     * Adds {@code len} bytes from {@code off} as big-endian 16-bit words (an odd last byte is padded with zero)
     * to {@code initial}. The result is an unfolded partial sum; carries out of 32 bits are wrapped back in, which
     * keeps it congruent modulo 0xffff.
     */
    public static int sum(ByteBuffer b, int off, int len, int initial) {
        long acc = initial & 0xffffffffL;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            acc += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        }
        if ((len & 1) != 0) {
            acc += (b.get(end) & 0xff) << 8;
        }
        while ((acc >>> 32) != 0) {
            acc = (acc & 0xffffffffL) + (acc >>> 32);
        }
        return (int) acc;
    }

    /** Folds a partial sum to 16 bits and returns its ones' complement. */
    public static int fold(int sum) {
        long acc = sum & 0xffffffffL;
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        return (int) ~acc & 0xffff;
    }

    public static int ipv4Header(ByteBuffer b, int off, int ihlBytes) {
        return fold(sum(b, off, ihlBytes, 0));
    }

    /** TCP checksum of the IPv4 packet at {@code ipOff}, using its IHL and total length. */
    public static int tcpIpv4(ByteBuffer b, int ipOff) {
        int ihlBytes = (b.get(ipOff) & 0x0f) * 4;
        int totalLength = u16(b, ipOff + 2);
        int tcpLength = totalLength - ihlBytes;
        if (ihlBytes < 20 || tcpLength < 0 || (b.get(ipOff + 9) & 0xff) != TCP) {
            throw new IllegalArgumentException("not a well-formed IPv4 TCP packet at offset " + ipOff);
        }
        int pseudo = sum(b, ipOff + 12, 8, 0) + TCP + tcpLength;
        return fold(sum(b, ipOff + ihlBytes, tcpLength, pseudo));
    }

    /** TCP checksum of the IPv6 packet at {@code ipOff}; TCP must directly follow the fixed header. */
    public static int tcpIpv6(ByteBuffer b, int ipOff) {
        if ((b.get(ipOff + 6) & 0xff) != TCP) {
            throw new IllegalArgumentException("IPv6 next header is not TCP at offset " + ipOff);
        }
        int tcpLength = u16(b, ipOff + 4);
        int pseudo = sum(b, ipOff + 8, 32, 0) + TCP + tcpLength;
        return fold(sum(b, ipOff + IPV6_HEADER_BYTES, tcpLength, pseudo));
    }

    private static int u16(ByteBuffer b, int off) {
        return ((b.get(off) & 0xff) << 8) | (b.get(off + 1) & 0xff);
    }
}
