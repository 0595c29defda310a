package io.synprobe.target;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses as two longs (high and low 64 bits) so the hot path compares and hashes them without objects.
 * An IPv4 address is (0, its 32 bits).
 */
public final class Ip {
    private Ip() {
    }

    public static long hi(byte[] a) {
        return a.length == 4 ? 0 : readLong(a, 0);
    }

    public static long lo(byte[] a) {
        return a.length == 4 ? (readLong4(a)) : readLong(a, 8);
    }

    private static long readLong4(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    private static long readLong(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (a[off + i] & 0xffL);
        return v;
    }

    public static byte[] bytes(int family, long hi, long lo) {
        if (family == 4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** Writes the address into dst (4 or 16 bytes, chosen by family) without allocating. */
    public static void write(int family, long hi, long lo, byte[] dst) {
        if (family == 4) {
            dst[0] = (byte) (lo >>> 24);
            dst[1] = (byte) (lo >>> 16);
            dst[2] = (byte) (lo >>> 8);
            dst[3] = (byte) lo;
        } else {
            for (int i = 0; i < 8; i++) {
                dst[i] = (byte) (hi >>> (56 - 8 * i));
                dst[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
    }

    public static InetAddress inet(int family, long hi, long lo) {
        try {
            return InetAddress.getByAddress(bytes(family, hi, lo));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    /** Unsigned 128-bit comparison. */
    public static int compare(long hiA, long loA, long hiB, long loB) {
        int c = Long.compareUnsigned(hiA, hiB);
        return c != 0 ? c : Long.compareUnsigned(loA, loB);
    }
}
