package io.synprobe.runtime;

import io.synprobe.nativeio.WireClock;

/**
 * The two clocks of a run read at one instant: the JVM's monotonic clock (deadlines, pacing) and the kernel's
 * CLOCK_REALTIME, which stamps packets. The first native call may take milliseconds (linking, loading), so it
 * is made before the readings, and the tightest of a few bracketed readings is kept.
 */
public record ClockPair(long monoNs, long realtimeNs) {
    public static ClockPair now() {
        WireClock.realtimeNs();
        long bestSpan = Long.MAX_VALUE;
        ClockPair best = null;
        for (int i = 0; i < 5; i++) {
            long before = System.nanoTime();
            long real = WireClock.realtimeNs();
            long after = System.nanoTime();
            if (after - before < bestSpan) {
                bestSpan = after - before;
                best = new ClockPair(before + (after - before) / 2, real);
            }
        }
        return best;
    }

    /** The kernel clock's reading at a given System.nanoTime(). */
    public long realtimeOf(long monoNs) {
        return realtimeNs + (monoNs - this.monoNs);
    }
}
