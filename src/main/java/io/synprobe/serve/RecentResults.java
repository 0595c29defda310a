package io.synprobe.serve;

import java.util.Arrays;

/**
 * The last {@link #SIZE} probe outcomes of one target, for the status page: RTTs in microseconds, or
 * {@link #NO_ANSWER}, or {@link #OTHER_ANSWER} (an ICMP error: an answer, but no RTT of the target's TCP).
 * Fixed size whatever the uptime.
 */
final class RecentResults {
    static final int SIZE = 300;
    static final long NO_ANSWER = -1, OTHER_ANSWER = -2;
    private final long[] rttUs = new long[SIZE];
    private int next;
    private int count;

    synchronized void add(long us) {
        rttUs[next] = us;
        next = (next + 1) % SIZE;
        if (count < SIZE) count++;
    }

    /** Oldest first. */
    synchronized long[] snapshot() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = rttUs[(next - count + i + SIZE) % SIZE];
        return out;
    }

    /** Percentile (0-100) of the answered probes in the window, or -1 when none answered. */
    static long percentile(long[] window, double p) {
        long[] answered = Arrays.stream(window).filter(v -> v >= 0).sorted().toArray();
        if (answered.length == 0) return -1;
        int rank = (int) Math.ceil(p / 100.0 * answered.length) - 1;
        return answered[Math.max(0, Math.min(answered.length - 1, rank))];
    }

    /** Percent of the window's probes that got no answer, or NaN for an empty window. */
    static double lossPercent(long[] window) {
        if (window.length == 0) return Double.NaN;
        return 100.0 * Arrays.stream(window).filter(v -> v == NO_ANSWER).count() / window.length;
    }
}
