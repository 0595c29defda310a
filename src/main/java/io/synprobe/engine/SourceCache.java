package io.synprobe.engine;

import io.synprobe.nativeio.Routes;
import io.synprobe.target.Ip;
import java.util.ArrayList;
import java.util.List;

/**
 * Source address per destination, as the kernel's routing would choose it, asked once per /24 (IPv4) or
 * /64 (IPv6) and kept in a primitive open-addressing table so the send loop looks it up without allocating.
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

    byte[] sourceFor(int family, long hi, long lo) {
        long key = family == 4 ? (lo >>> 8) | (1L << 62) : hi;
        int mask = keys.length - 1;
        int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (slots[i] != 0) {
            if (keys[i] == key) return sources.get(slots[i] - 1);
            i = (i + 1) & mask;
        }
        byte[] src = routes.sourceFor(Ip.bytes(family, hi, lo));
        sources.add(src);
        keys[i] = key;
        slots[i] = sources.size();
        if (++used * 2 > keys.length) grow();
        return src;
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
