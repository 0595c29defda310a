package io.synprobe.serve;

import java.net.InetAddress;
import java.time.Duration;

/** What the prober sends to: one address and port, at its own pace. */
public record ProbeTarget(InetAddress address, int port, Duration interval, Duration timeout) {
}
