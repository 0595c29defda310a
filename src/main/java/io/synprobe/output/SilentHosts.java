package io.synprobe.output;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * How many silent results each not-yet-answering host has had, for {@code --show-down} in scans of several ports:
 * a host is down once all its ports were silent. An open-addressing table of primitive keys (21 bytes a slot, at
 * most half full), so a host costs about 42 bytes while its probes are in flight, and nothing once reported.
 */
final class SilentHosts {
    private static final int MIN_CAPACITY = 16;

    private long[] hi = new long[MIN_CAPACITY];
    private long[] lo = new long[MIN_CAPACITY];
    private byte[] family = new byte[MIN_CAPACITY]; // 0 = empty slot, 4 or 6
    private int[] count = new int[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Slots allocated, for tests of the structure's size. */
    int capacity() {
        return family.length;
    }

    /** Counts one more silent result for {@code ip}; returns the new count. */
    int increment(InetAddress ip) {
        byte[] b = ip.getAddress();
        long h = high(b), l = low(b);
        byte f = (byte) (b.length == 4 ? 4 : 6);
        int i = find(h, l, f);
        if (family[i] != 0) return ++count[i];
        if ((size + 1) * 2 > family.length) {
            grow();
            i = find(h, l, f);
        }
        hi[i] = h;
        lo[i] = l;
        family[i] = f;
        count[i] = 1;
        size++;
        return 1;
    }

    /** Forgets {@code ip}; returns how many silent results it had (0 when unknown). */
    int remove(InetAddress ip) {
        byte[] b = ip.getAddress();
        int i = find(high(b), low(b), (byte) (b.length == 4 ? 4 : 6));
        if (family[i] == 0) return 0;
        int n = count[i];
        family[i] = 0;
        size--;
        // backward-shift deletion keeps every remaining key reachable from its home slot without tombstones
        int mask = family.length - 1;
        for (int gap = i, j = (i + 1) & mask; family[j] != 0; j = (j + 1) & mask) {
            int home = slot(hi[j], lo[j], family[j]);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                hi[gap] = hi[j];
                lo[gap] = lo[j];
                family[gap] = family[j];
                count[gap] = count[j];
                family[j] = 0;
                gap = j;
            }
        }
        return n;
    }

    /** The hosts still in the table, in address order (IPv4 first), then empties it. */
    InetAddress[] drain() {
        InetAddress[] out = new InetAddress[size];
        int n = 0;
        for (int i = 0; i < family.length; i++) {
            if (family[i] != 0) out[n++] = address(hi[i], lo[i], family[i]);
        }
        Arrays.sort(out, Addresses.ORDER);
        hi = new long[MIN_CAPACITY];
        lo = new long[MIN_CAPACITY];
        family = new byte[MIN_CAPACITY];
        count = new int[MIN_CAPACITY];
        size = 0;
        return out;
    }

    private int find(long h, long l, byte f) {
        int mask = family.length - 1;
        int i = slot(h, l, f);
        while (family[i] != 0 && !(family[i] == f && hi[i] == h && lo[i] == l)) i = (i + 1) & mask;
        return i;
    }

    private int slot(long h, long l, byte f) {
        long x = h * 0x9E3779B97F4A7C15L ^ l * 0xC2B2AE3D27D4EB4FL ^ f;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return (int) x & (family.length - 1);
    }

    private void grow() {
        long[] oh = hi, ol = lo;
        byte[] of = family;
        int[] oc = count;
        int capacity = of.length * 2;
        hi = new long[capacity];
        lo = new long[capacity];
        family = new byte[capacity];
        count = new int[capacity];
        for (int k = 0; k < of.length; k++) {
            if (of[k] == 0) continue;
            int i = find(oh[k], ol[k], of[k]);
            hi[i] = oh[k];
            lo[i] = ol[k];
            family[i] = of[k];
            count[i] = oc[k];
        }
    }

    private static long high(byte[] b) {
        return b.length == 4 ? 0 : bytes(b, 0);
    }

    private static long low(byte[] b) {
        return b.length == 4 ? bytes(b, 0) >>> 32 : bytes(b, 8);
    }

    private static long bytes(byte[] b, int from) {
        long v = 0;
        for (int k = 0; k < 8; k++) v = (v << 8) | (from + k < b.length ? b[from + k] & 0xff : 0);
        return v;
    }

    private static InetAddress address(long h, long l, byte f) {
        byte[] b = new byte[f == 4 ? 4 : 16];
        if (f == 4) {
            for (int k = 0; k < 4; k++) b[k] = (byte) (l >>> (24 - 8 * k));
        } else {
            for (int k = 0; k < 8; k++) {
                b[k] = (byte) (h >>> (56 - 8 * k));
                b[8 + k] = (byte) (l >>> (56 - 8 * k));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes are always an address
        }
    }
}
