package io.synprobe.engine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Nmap-style retransmission timeouts per slot (the caller maps hosts to slots). One thread calls
 * {@link #update}; any thread may call {@link #timeoutUs}. The smoothed state is private to the updating thread,
 * and each update publishes a single precomputed timeout through an AtomicLongArray, so readers always see a
 * whole, recent value without locking or allocating.
 */
public final class RttEstimator {

    private static final long MIN_FIRST_RTTVAR_US = 5_000;
    private static final long MAX_FIRST_RTTVAR_US = 2_000_000;

    private final long minTimeoutUs;
    private final long maxTimeoutUs;
    private final long[] srttUs;
    private final long[] rttvarUs;
    private final boolean[] sampled;
    private final AtomicLongArray timeoutUs;

    public RttEstimator(int slots, long minTimeoutUs, long maxTimeoutUs, long initialTimeoutUs) {
        if (slots < 1 || minTimeoutUs < 0 || maxTimeoutUs < minTimeoutUs || initialTimeoutUs < 0) {
            throw new IllegalArgumentException("bad RTT estimator settings: slots=" + slots + " min=" + minTimeoutUs
                    + "us max=" + maxTimeoutUs + "us initial=" + initialTimeoutUs + "us");
        }
        this.minTimeoutUs = minTimeoutUs;
        this.maxTimeoutUs = maxTimeoutUs;
        this.srttUs = new long[slots];
        this.rttvarUs = new long[slots];
        this.sampled = new boolean[slots];
        this.timeoutUs = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            timeoutUs.set(i, initialTimeoutUs);
        }
    }

    /** Folds in one round-trip sample; negative samples (clock skew) count as 0. */
    public void update(int slot, long rttUs) {
        long rtt = Math.max(0, rttUs);
        if (!sampled[slot]) {
            sampled[slot] = true;
            srttUs[slot] = rtt;
            rttvarUs[slot] = clamp(rtt, MIN_FIRST_RTTVAR_US, MAX_FIRST_RTTVAR_US);
        } else {
            long delta = rtt - srttUs[slot];
            srttUs[slot] += delta / 8;
            rttvarUs[slot] += (Math.abs(delta) - rttvarUs[slot]) / 4;
        }
        timeoutUs.lazySet(slot, clamp(srttUs[slot] + 4 * rttvarUs[slot], minTimeoutUs, maxTimeoutUs));
    }

    /** srtt + 4 * rttvar clamped to [min, max], or the initial timeout while the slot has no sample. */
    public long timeoutUs(int slot) {
        return timeoutUs.get(slot);
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
