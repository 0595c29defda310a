package io.synprobe.trace;

import java.net.InetAddress;
import java.time.Duration;

/**
 * @param maxHops       highest TTL / hop limit probed (1..255)
 * @param probesPerHop  probes sent with each TTL (1..10)
 * @param timeout       how long a probe waits for its answer before it is shown as silent
 * @param netnsPath     network namespace to probe from, or null for the current one
 */
public record TraceOptions(InetAddress target, int port, int maxHops, int probesPerHop, Duration timeout,
                           String netnsPath) {
    public static final int MAX_PROBES_PER_HOP = 10;

    public TraceOptions {
        if (target == null) throw new IllegalArgumentException("no target");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (maxHops < 1 || maxHops > 255) throw new IllegalArgumentException("max hops " + maxHops + " (1-255)");
        if (probesPerHop < 1 || probesPerHop > MAX_PROBES_PER_HOP) {
            throw new IllegalArgumentException("probes per hop " + probesPerHop + " (1-" + MAX_PROBES_PER_HOP + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }

    /** Probes in one trace; probe k has TTL k / probesPerHop + 1. */
    public int probeCount() {
        return maxHops * probesPerHop;
    }

    public io.synprobe.result.TraceInfo info() {
        return new io.synprobe.result.TraceInfo(target, port, maxHops, probesPerHop, timeout);
    }
}
