package io.synprobe.runtime;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.probe.Cookies;
import io.synprobe.probe.ProbeModule;

/**
 * The batch a schedule fills for one send call: each probe is made by the run's probe module with its cookie as
 * the sequence number, and remembers which of the schedule's probes it is (a handle) and its attempt.
 */
public final class Outbox {
    private final ProbeBatch batch;
    private final ProbeModule module;
    private final Cookies cookies;
    private final long[] handles;
    private final int[] attempts;
    private final int limit;

    Outbox(int capacity, ProbeModule module, Cookies cookies) {
        this.batch = new ProbeBatch(capacity);
        this.module = module;
        this.cookies = cookies;
        this.handles = new long[capacity];
        this.attempts = new int[capacity];
        this.limit = capacity;
    }

    /**
     * Adds a probe from (src, sport) to (dst, dport). Addresses are 4 or 16 bytes; srcHi/srcLo and dstHi/dstLo are
     * the same addresses as two longs (see {@link io.synprobe.target.Ip}), from which the cookie is computed.
     */
    public void add(long handle, int attempt, byte[] src, long srcHi, long srcLo, byte[] dst, long dstHi, long dstLo,
                    int sport, int dport, long tag, int ttl) {
        int cookie = cookies.compute(srcHi, srcLo, dstHi, dstLo, sport, dport, tag);
        int slot = module.add(batch, src, dst, sport, dport, cookie, ttl, cookie >>> 16);
        handles[slot] = handle;
        attempts[slot] = attempt;
    }

    public boolean isFull() {
        return batch.size() >= limit;
    }

    public int size() {
        return batch.size();
    }

    public long handle(int slot) {
        return handles[slot];
    }

    public int attempt(int slot) {
        return attempts[slot];
    }

    ProbeBatch batch() {
        return batch;
    }

    void clear() {
        batch.clear();
    }
}
