package io.synprobe.trace;

import io.synprobe.result.Hop;
import io.synprobe.result.Reason;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fate of every probe of one trace, and the hops they add up to. Probe k carries TTL k / perHop + 1. A probe
 * is pending until it is answered or its timeout passes; a hop is complete when none of its probes is pending.
 * Hops are handed out in TTL order up to the lowest TTL with a final answer (or the last TTL). Not thread-safe.
 */
final class TraceProbes {
    private final int perHop;
    private final long timeoutNs;
    private final long[] sentAt;           // CLOCK_REALTIME ns; 0 = not sent yet
    private final Hop.Reply[] replies;
    private final boolean[] silent;        // timed out, or could not be sent
    private int lastTtl;
    private int nextTtl = 1;

    TraceProbes(int maxHops, int perHop, long timeoutNs) {
        this.perHop = perHop;
        this.timeoutNs = timeoutNs;
        this.lastTtl = maxHops;
        int n = maxHops * perHop;
        sentAt = new long[n];
        replies = new Hop.Reply[n];
        silent = new boolean[n];
    }

    int count() {
        return sentAt.length;
    }

    int ttlOf(int k) {
        return k / perHop + 1;
    }

    /** Records that probe k left at realtimeNs; a probe that could not be sent (time <= 0) is silent at once. */
    void sent(int k, long realtimeNs) {
        if (realtimeNs > 0) sentAt[k] = realtimeNs;
        else silent[k] = true;
    }

    /**
     * Records the first answer to probe k if it came within the timeout; repeated and late answers are ignored.
     *
     * @return true when the answer was taken
     */
    boolean answer(int k, InetAddress from, long receivedNs, Reason reason) {
        if (sentAt[k] == 0 || replies[k] != null || silent[k]) return false;
        long rttNs = receivedNs - sentAt[k];
        if (rttNs >= timeoutNs) return false;
        replies[k] = new Hop.Reply(from, Math.max(0, rttNs / 1000), reason);
        if (reason != Reason.TIME_EXCEEDED) lastTtl = Math.min(lastTtl, ttlOf(k));
        return true;
    }

    /** Marks every probe sent at least a timeout before nowNs as silent. */
    void expire(long nowNs) {
        for (int k = 0; k < sentAt.length; k++) {
            if (sentAt[k] != 0 && replies[k] == null && nowNs - sentAt[k] >= timeoutNs) silent[k] = true;
        }
    }

    /** Gives up on every probe still waiting (the run was stopped). */
    void expireAll() {
        for (int k = 0; k < sentAt.length; k++) if (replies[k] == null) silent[k] = true;
    }

    /** The hops that just became complete, in TTL order; each hop is returned once. */
    List<Hop> completedHops() {
        List<Hop> out = new ArrayList<>();
        while (nextTtl <= lastTtl && complete(nextTtl)) {
            int from = (nextTtl - 1) * perHop;
            out.add(new Hop(nextTtl, Arrays.asList(Arrays.copyOfRange(replies, from, from + perHop))));
            nextTtl++;
        }
        return out;
    }

    /** True once the hop with the final answer (or the last TTL) has been handed out. */
    boolean done() {
        return nextTtl > lastTtl;
    }

    private boolean complete(int ttl) {
        for (int k = (ttl - 1) * perHop; k < ttl * perHop; k++) {
            if (replies[k] == null && !silent[k]) return false;
        }
        return true;
    }
}
