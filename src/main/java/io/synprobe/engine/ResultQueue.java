package io.synprobe.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands final results from the probing threads to the output thread: (probe index, packed result) pairs in a
 * bounded ring of primitives. Several producers, one consumer; producers wait (briefly) when it is full.
 */
final class ResultQueue {
    private final long[] index;
    private final long[] packed;
    private final int mask;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile long consumed;
    private volatile boolean abandoned;

    ResultQueue(int capacityPow2) {
        index = new long[capacityPow2];
        packed = new long[capacityPow2];
        mask = capacityPow2 - 1;
    }

    /** reason ordinal (6 bits), ttl + 1 (9 bits), rtt_us + 1 (remaining bits) */
    static long pack(int reason, int ttl, long rttUs) {
        return reason | ((long) (ttl + 1) << 6) | ((rttUs + 1) << 15);
    }

    static int reason(long p) {
        return (int) (p & 0x3f);
    }

    static int ttl(long p) {
        return (int) ((p >>> 6) & 0x1ff) - 1;
    }

    static long rttUs(long p) {
        return (p >>> 15) - 1;
    }

    /** The consumer is gone (its sink failed): producers drop results instead of waiting for room forever. */
    void abandon() {
        abandoned = true;
    }

    void put(long probe, long value) {
        if (abandoned) return;
        long slot = claimed.getAndIncrement();
        while (slot - consumed >= index.length) {
            if (abandoned) {
                // keep the publication order intact for any producer behind us
                while (published.get() != slot) Thread.onSpinWait();
                published.set(slot + 1);
                return;
            }
            LockSupport.parkNanos(50_000);
        }
        int i = (int) (slot & mask);
        index[i] = probe;
        packed[i] = value;
        // publish in claim order so the consumer never reads a slot still being written
        while (published.get() != slot) Thread.onSpinWait();
        published.set(slot + 1);
    }

    interface Consumer {
        void accept(long probe, long packed);
    }

    /** Hands every published result to the consumer; returns how many. */
    int drain(Consumer c) {
        long end = published.get();
        long start = consumed;
        for (long s = start; s < end; s++) {
            int i = (int) (s & mask);
            c.accept(index[i], packed[i]);
        }
        consumed = end;
        return (int) (end - start);
    }
}
