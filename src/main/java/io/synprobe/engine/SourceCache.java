package io.synprobe.engine;

import io.synprobe.nativeio.Routes;
import io.synprobe.target.Ip;
import java.util.ArrayList;
import java.util.List;

/**
 * Source address per destination, as the kernel's routing would choose it, asked once per /24 (IPv4) or
 * /64 (IPv6) and kept so the send loop looks it up without allocating. Each distinct source is kept once; an
 * IPv4 /24 costs one byte (a page of 256 per /16, made on first use: 18 MB for all of IPv4, not an entry per
 * /24), an IPv6 /64 a slot of a primitive open-addressing table.
 */
final class SourceCache {
    private final Routes routes;
    private long[] keys = new long[64];
    private int[] slots = new int[64];
    private int used;
    private final List<byte[]> sources = new ArrayList<>();

    SourceCache(Routes routes) {
        this.routes = routes;
    }

    /** IPv4 by /8, then /16: a page of 256 bytes per /16 in use, one per /24. */
    private final byte[][][] pages4 = new byte[256][][];

    byte[] sourceFor(int family, long hi, long lo) {
        if (family == 4) {
            int a = (int) lo;
            byte[][] mid = pages4[a >>> 24];
            if (mid == null) mid = pages4[a >>> 24] = new byte[256][];
            byte[] page = mid[(a >>> 16) & 0xff];
            if (page == null) page = mid[(a >>> 16) & 0xff] = new byte[256];
            int i = (a >>> 8) & 0xff;
            if (page[i] != 0) return sources.get((page[i] & 0xff) - 1);
            int id = idOf(routes.sourceFor(Ip.bytes(family, hi, lo)));
            if (id < 255) {
                page[i] = (byte) (id + 1);
                return sources.get(id);
            }
            // more distinct sources than a byte names: ask the table below
        }
        long key = family == 4 ? (lo >>> 8) | (1L << 62) : hi;
        int mask = keys.length - 1;
        int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (slots[i] != 0) {
            if (keys[i] == key) return sources.get(slots[i] - 1);
            i = (i + 1) & mask;
        }
        int id = idOf(routes.sourceFor(Ip.bytes(family, hi, lo)));
        byte[] src = sources.get(id);
        keys[i] = key;
        slots[i] = id + 1;
        if (++used * 2 > keys.length) grow();
        return src;
    }

    private int idOf(byte[] src) {
        for (int i = 0; i < sources.size(); i++) if (java.util.Arrays.equals(sources.get(i), src)) return i;
        sources.add(src);
        return sources.size() - 1;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldSlots[j] == 0) continue;
            int i = Long.hashCode(oldKeys[j] * 0x9E3779B97F4A7C15L) & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            slots[i] = oldSlots[j];
        }
    }
}
