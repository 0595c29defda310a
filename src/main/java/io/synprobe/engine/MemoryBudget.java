package io.synprobe.engine;

import io.synprobe.target.UsageException;

/**
 * What a scan will hold before it sends anything, against the heap it has: a run that cannot fit is refused
 * up front (exit 2, naming the size and what to do) instead of ending in an OutOfMemoryError half way.
 */
public final class MemoryBudget {
    /** Per-probe state: four bytes, whatever the outcome (see {@link ProbeStates}). */
    static final int BYTES_PER_PROBE = 4;
    /** The rest of a run (buffers, rings, queues, the JVM's own) needs some room too. */
    static final long RESERVE = 48L << 20;

    private MemoryBudget() {
    }

    /** @throws UsageException when probes x 4 bytes plus the reserve exceed the heap */
    public static void check(long probes, long maxHeapBytes) {
        long need = probes * BYTES_PER_PROBE + RESERVE;
        if (need <= maxHeapBytes) return;
        throw new UsageException(String.format(java.util.Locale.ROOT,
                "this scan of %,d probes keeps %d bytes of state each: about %d MB, more than the %d MB heap;"
                        + " give it a larger heap (SYNPROBE_JAVA_OPTS=-Xmx...) or split the targets or ports over several runs",
                probes, BYTES_PER_PROBE, need >> 20, maxHeapBytes >> 20));
    }
}
