package io.synprobe.engine;

/**
 * Where an interrupted scan stopped: how far its shard of the permutation had gone, and the probes sent before
 * that point that had no final answer yet (they are probed again first). Seed and shard come with the options.
 */
public record ResumePoint(long position, long[] pending) {
    public ResumePoint {
        if (position < 0) throw new IllegalArgumentException("position " + position);
        pending = pending.clone();
    }
}
