package io.synprobe.engine;

import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;

/**
 * Everything a scan needs to run.
 *
 * @param ratePps     upper bound on probes per second; 0 = as fast as the socket takes them
 * @param sourcePort  fixed first source port, or 0 for a random per-run base
 * @param netnsPath   open the sockets inside this network namespace (null = the current one)
 * @param shardIndex  this part of the probe permutation (0-based) of shardCount parts
 * @param transmitTimestamps send times from the kernel's transmit timestamps: exact per-probe RTTs, about 14%
 *                    fewer probes per second
 */
public record ScanOptions(TargetSet targets, PortList ports, int retries, double ratePps, long seed,
                          int shardIndex, int shardCount, int sourcePort, int ttl, String netnsPath,
                          long minTimeoutUs, long maxTimeoutUs, long initialTimeoutUs, int batchSize,
                          boolean transmitTimestamps) {
    public static final int MAX_RETRIES = 15;

    public ScanOptions {
        if (retries < 0 || retries > MAX_RETRIES) throw new IllegalArgumentException("retries must be 0-" + MAX_RETRIES);
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) throw new IllegalArgumentException("shard");
    }

    public static ScanOptions defaults(TargetSet targets, PortList ports) {
        return new ScanOptions(targets, ports, 2, 0, new java.security.SecureRandom().nextLong(), 0, 1, 0, 64, null,
                100_000, 10_000_000, 1_000_000, 256, false);
    }

    public ScanOptions withRetries(int r) {
        return new ScanOptions(targets, ports, r, ratePps, seed, shardIndex, shardCount, sourcePort, ttl, netnsPath,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withRate(double pps) {
        return new ScanOptions(targets, ports, retries, pps, seed, shardIndex, shardCount, sourcePort, ttl, netnsPath,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withNetns(String path) {
        return new ScanOptions(targets, ports, retries, ratePps, seed, shardIndex, shardCount, sourcePort, ttl, path,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withSeed(long s, int index, int count) {
        return new ScanOptions(targets, ports, retries, ratePps, s, index, count, sourcePort, ttl, netnsPath,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withSourcePort(int port) {
        return new ScanOptions(targets, ports, retries, ratePps, seed, shardIndex, shardCount, port, ttl, netnsPath,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withTimeouts(long minUs, long maxUs, long initialUs) {
        return new ScanOptions(targets, ports, retries, ratePps, seed, shardIndex, shardCount, sourcePort, ttl, netnsPath,
                minUs, maxUs, initialUs, batchSize, transmitTimestamps);
    }

    public ScanOptions withTransmitTimestamps(boolean on) {
        return new ScanOptions(targets, ports, retries, ratePps, seed, shardIndex, shardCount, sourcePort, ttl, netnsPath,
                minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, on);
    }

    public long probeCount() {
        return Math.multiplyExact(targets.size(), (long) ports.size());
    }
}
