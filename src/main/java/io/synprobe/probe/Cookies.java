package io.synprobe.probe;

import io.synprobe.packet.SipHash24;
import java.security.SecureRandom;

/**
 * Keyed sequence numbers: SipHash-2-4 under a random per-run 128-bit key over both addresses, both ports and a
 * tag (0 for scans, the probe number for ping). A reply proves it answers our probe only if it acknowledges
 * exactly this value, which nobody without the key can predict. Not thread-safe: one instance per thread,
 * sharing a key through {@link #copy}.
 */
public final class Cookies {
    private final long k0;
    private final long k1;
    private final byte[] scratch = new byte[48];

    public Cookies(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    public static Cookies random() {
        SecureRandom r = new SecureRandom();
        return new Cookies(r.nextLong(), r.nextLong());
    }

    public Cookies copy() {
        return new Cookies(k0, k1);
    }

    /** @return the 32-bit cookie for a probe from (src, sport) to (dst, dport) */
    public int compute(long srcHi, long srcLo, long dstHi, long dstLo, int sport, int dport, long tag) {
        put(0, srcHi);
        put(8, srcLo);
        put(16, dstHi);
        put(24, dstLo);
        put(32, ((long) sport << 16) | dport);
        put(40, tag);
        long h = SipHash24.hash(k0, k1, scratch, 0, 48);
        return (int) (h ^ (h >>> 32));
    }

    private void put(int off, long v) {
        for (int i = 0; i < 8; i++) scratch[off + i] = (byte) (v >>> (8 * i));
    }
}
