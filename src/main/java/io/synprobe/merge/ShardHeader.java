package io.synprobe.merge;

import java.time.Instant;
import java.util.List;

/** What the "scan" record of one shard's JSONL says about the scan it belongs to. */
record ShardHeader(long seed, int shard, int shards, String targets, long hosts, int ports, String portSpec,
                   String scanType, Instant start, List<String> args) {

    /** The first field in which this shard's scan differs from {@code other}'s, as "name a vs b"; null when none. */
    String differenceFrom(ShardHeader other) {
        if (seed != other.seed) return "seed " + seed + " vs " + other.seed;
        if (shards != other.shards) return "shard count " + shards + " vs " + other.shards;
        if (!targets.equals(other.targets)) return "targets " + targets + " vs " + other.targets + " (digest of the addresses)";
        if (hosts != other.hosts) return "hosts " + hosts + " vs " + other.hosts;
        if (!portSpec.equals(other.portSpec) || ports != other.ports) return "ports " + portSpec + " vs " + other.portSpec;
        if (!scanType.equals(other.scanType)) return "scan type " + scanType + " vs " + other.scanType;
        return null;
    }

    /** "2/3". */
    String label() {
        return shard + "/" + shards;
    }
}
