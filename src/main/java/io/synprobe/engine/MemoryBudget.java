package io.synprobe.engine;

import io.synprobe.target.UsageException;
import java.util.Locale;

/**
 * What a scan will hold, worked out before it sends anything, against the heap it has. The probes of the scan
 * cost nothing each; the state is the table of probes in flight ({@link InFlight}, 24 bytes an entry, allocated
 * once), sized by rate x timeout, never beyond the run's own share of the probes, and never beyond what fits the
 * heap next to a fixed reserve for the rest of the run. A heap too small even for the smallest table is refused up front
 * (exit 2, naming the sizes and what to do) instead of ending in an OutOfMemoryError half way.
 */
public final class MemoryBudget {
    /** The rest of a run: buffers, result queue, caches, the output's working set, the JVM's own objects. */
    static final long RESERVE = 16L << 20;
    /** The smallest table a run gets (or its whole share, when that is smaller). */
    static final int MIN_IN_FLIGHT = 1 << 12;
    /**
     * The largest table: 2^19 entries, 12 MB. A run that would keep more in flight slows down instead: with every
     * host silent and nmap's initial timeout of 1 s, that is above 500,000 probes a second, retransmissions included.
     */
    static final int MAX_IN_FLIGHT = 1 << 19;

    private MemoryBudget() {
    }

    /**
     * @param shareProbes       probes this run sends (its shard's part, plus any carried over by a resume)
     * @param inFlightCapacity  entries of the in-flight table, allocated once before the first probe
     * @param stateBytes        the table's size
     * @param peakBytes         what the run needs of the heap: the table plus the reserve
     */
    public record Plan(long shareProbes, int inFlightCapacity, long stateBytes, long peakBytes) {
    }

    /** The probes of this run: its shard's steps of the permutation, plus the pending probes of a resume. */
    public static long shareOf(ScanOptions opt, long carried) {
        long n = opt.probeCount();
        return (n + opt.shardCount() - 1 - opt.shardIndex()) / opt.shardCount() + carried;
    }

    /**
     * The in-flight entries a run can have: an entry leaves the table at the latest its timeout after it was sent
     * (at most --max-rtt-timeout), and at most rate entries come in a second, so rate x longest timeout, plus a
     * batch; without a rate, the maximum.
     */
    static long wanted(ScanOptions opt) {
        if (opt.ratePps() <= 0) return MAX_IN_FLIGHT;
        return (long) Math.ceil(opt.ratePps() * (opt.maxTimeoutUs() / 1e6)) + 256;
    }

    /** @throws UsageException when the heap cannot hold even the smallest table next to the reserve */
    public static Plan plan(ScanOptions opt, long carried, long maxHeapBytes) {
        long share = Math.max(1, shareOf(opt, carried));
        long want = Math.min(Math.min(wanted(opt), share), MAX_IN_FLIGHT);
        int cap = ceilPow2(Math.max(want, 16));
        int floor = Math.min(cap, MIN_IN_FLIGHT);
        while (cap > floor && RESERVE + (long) cap * InFlight.BYTES_PER_ENTRY > maxHeapBytes) cap >>= 1;
        long peak = RESERVE + (long) cap * InFlight.BYTES_PER_ENTRY;
        if (peak > maxHeapBytes) {
            throw new UsageException(String.format(Locale.ROOT,
                    "this scan needs about %d MB of heap (%d MB for the run, %d KB for %,d probes in flight), more than"
                            + " the %d MB heap; give it a larger heap (SYNPROBE_JAVA_OPTS=-Xmx...)",
                    mb(peak), RESERVE >> 20, (long) cap * InFlight.BYTES_PER_ENTRY >> 10, cap, mb(maxHeapBytes)));
        }
        return new Plan(share, cap, (long) cap * InFlight.BYTES_PER_ENTRY, peak);
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private static int ceilPow2(long v) {
        return (int) Math.min(1L << 30, Long.highestOneBit(v - 1) << 1);
    }
}
