package io.synprobe.result;

import java.net.InetAddress;

/** Per-target totals at the end of a ping run. Latencies in microseconds; NaN/0 where nothing was received. */
public record PingSummary(InetAddress ip, int port, long sent, long received, double lossPercent, long minUs,
                          double avgUs, long maxUs, double stddevUs, long p50Us, long p90Us, long p99Us,
                          double jitterUs, long late, long dup) {
    public static PingSummary of(InetAddress ip, int port, PingStatistics s, long late, long dup) {
        return new PingSummary(ip, port, s.sent(), s.received(), s.lossPercent(), s.minUs(), s.avgUs(), s.maxUs(),
                s.stddevUs(), s.percentileUs(50), s.percentileUs(90), s.percentileUs(99), s.jitterUs(), late, dup);
    }
}
