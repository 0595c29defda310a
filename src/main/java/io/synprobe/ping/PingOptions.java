package io.synprobe.ping;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * @param count    probes per target; 0 = until stopped
 * @param interval time between two probes to one target
 * @param timeout  how long a probe waits for its reply before it counts as lost (a later reply is "late")
 */
public record PingOptions(List<InetAddress> targets, int port, long count, Duration interval, Duration timeout,
                          int ttl, String netnsPath) {
    public PingOptions {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) throw new IllegalArgumentException("no targets");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
    }
}
