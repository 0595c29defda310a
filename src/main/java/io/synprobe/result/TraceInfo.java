package io.synprobe.result;

import java.net.InetAddress;
import java.time.Duration;

/** What a trace probes, for the heading of its report. */
public record TraceInfo(InetAddress target, int port, int maxHops, int probesPerHop, Duration timeout) {
}
