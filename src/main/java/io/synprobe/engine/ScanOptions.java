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
                          boolean transmitTimestamps, String scanType) {
    public static final int MAX_RETRIES = 15;
    /**
     * The lower bound of a probe's timeout: 10 ms, a tenth of nmap's. nmap's 100 ms floor also covers its own
     * receive lag (pcap buffering, scheduling); here a probe is given up only against the instant up to which the
     * receiver has drained every reply (see Schedule.fill), so our own lag can never time a probe out. What is left
     * is the network and the target, which srtt + 4 rttvar follows: the floor only decides for hosts whose replies
     * come back within about 2 ms with little spread, where 100 ms would mean (retries + 1) x 100 ms of waiting at
     * the end of a scan for every silently dropped port. A reply still counts for any attempt until the last one
     * has timed out, so with 2 retries a port is called no-response only after 30 ms or more without an answer.
     */
    public static final long DEFAULT_MIN_TIMEOUT_US = 10_000;

    public ScanOptions {
        if (retries < 0 || retries > MAX_RETRIES) throw new IllegalArgumentException("retries must be 0-" + MAX_RETRIES);
        if (scanType == null) scanType = "syn";
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) throw new IllegalArgumentException("shard");
    }

    public static ScanOptions defaults(TargetSet targets, PortList ports) {
        return builder(targets, ports).build();
    }

    /**
     * Defaults: 2 retries, TTL 64, a random seed, and nmap's per-host timeout (srtt + 4 rttvar, 1 s before the first
     * reply, at most 10 s) with a lower bound of {@value #DEFAULT_MIN_TIMEOUT_US} us instead of nmap's 100 ms.
     */
    public static Builder builder(TargetSet targets, PortList ports) {
        return new Builder(targets, ports);
    }

    public static final class Builder {
        private final TargetSet targets;
        private final PortList ports;
        private int retries = 2;
        private double ratePps;
        private long seed = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
        private int shardIndex;
        private int shardCount = 1;
        private int sourcePort;
        private int ttl = 64;
        private String netnsPath;
        private long minTimeoutUs = DEFAULT_MIN_TIMEOUT_US;
        private long maxTimeoutUs = 10_000_000;
        private long initialTimeoutUs = 1_000_000;
        private int batchSize = 256;
        private boolean transmitTimestamps;
        private String scanType = "syn";

        private Builder(TargetSet targets, PortList ports) {
            this.targets = targets;
            this.ports = ports;
        }

        public Builder retries(int n) {
            retries = n;
            return this;
        }

        public Builder rate(double pps) {
            ratePps = pps;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder shard(int index, int count) {
            shardIndex = index;
            shardCount = count;
            return this;
        }

        public Builder sourcePort(int port) {
            sourcePort = port;
            return this;
        }

        public Builder ttl(int t) {
            ttl = t;
            return this;
        }

        public Builder netns(String path) {
            netnsPath = path;
            return this;
        }

        public Builder timeouts(long minUs, long maxUs, long initialUs) {
            minTimeoutUs = minUs;
            maxTimeoutUs = maxUs;
            initialTimeoutUs = initialUs;
            return this;
        }

        public Builder transmitTimestamps(boolean on) {
            transmitTimestamps = on;
            return this;
        }

        /** syn (the default, nmap -sS) or ack (nmap -sA). */
        public Builder scanType(String type) {
            scanType = type;
            return this;
        }

        public ScanOptions build() {
            return new ScanOptions(targets, ports, retries, ratePps, seed, shardIndex, shardCount, sourcePort, ttl,
                    netnsPath, minTimeoutUs, maxTimeoutUs, initialTimeoutUs, batchSize, transmitTimestamps, scanType);
        }
    }

    public long probeCount() {
        return Math.multiplyExact(targets.size(), (long) ports.size());
    }
}
