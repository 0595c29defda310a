package io.synprobe.result;

import java.time.Instant;
import java.util.List;

/**
 * What a scan was asked to do, handed to output modules before the first result.
 *
 * @param seed    seed of the probe order, or null when not known
 * @param shard   which part of the probe order this run scans, 1-based
 * @param shards  how many parts the probe order was split into (1: the whole scan)
 * @param targets digest of the resolved target set (after exclusions), or null when not known
 */
public record ScanInfo(List<String> commandLine, Instant start, long hostCount, int portCount, String portSpec,
                       String scanType, String version, Long seed, int shard, int shards, String targets) {
    public ScanInfo(List<String> commandLine, Instant start, long hostCount, int portCount, String portSpec,
                    String scanType, String version) {
        this(commandLine, start, hostCount, portCount, portSpec, scanType, version, null, 1, 1, null);
    }
}
