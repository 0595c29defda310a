package io.synprobe.ping;

import java.net.InetAddress;
import java.time.Duration;

/** One thing to ping: an address and port, every interval, a reply counting when it comes within timeout. */
public record PingTarget(InetAddress ip, int port, Duration interval, Duration timeout) {
    public PingTarget {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }
}
