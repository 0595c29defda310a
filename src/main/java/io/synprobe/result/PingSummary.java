package io.synprobe.result;

import java.net.InetAddress;

/** Per-target totals at the end of a ping run. Latencies in microseconds; NaN/0 where nothing was received. */
public record PingSummary(InetAddress ip, int port, long sent, long received, double lossPercent, long minUs,
                          double avgUs, long maxUs, double stddevUs, long p50Us, long p90Us, long p99Us,
                          double jitterUs, long late, long dup, long sendErrors) {
    public PingSummary(InetAddress ip, int port, long sent, long received, double lossPercent, long minUs, double avgUs,
                       long maxUs, double stddevUs, long p50Us, long p90Us, long p99Us, double jitterUs, long late, long dup) {
        this(ip, port, sent, received, lossPercent, minUs, avgUs, maxUs, stddevUs, p50Us, p90Us, p99Us, jitterUs, late, dup, 0);
    }

    public static PingSummary of(InetAddress ip, int port, PingStatistics s, long late, long dup) {
        return of(ip, port, s, late, dup, 0);
    }

    /** @param sendErrors probes the local kernel refused: not sent, so neither lost nor answered */
    public static PingSummary of(InetAddress ip, int port, PingStatistics s, long late, long dup, long sendErrors) {
        return new PingSummary(ip, port, s.sent(), s.received(), s.lossPercent(), s.minUs(), s.avgUs(), s.maxUs(),
                s.stddevUs(), s.percentileUs(50), s.percentileUs(90), s.percentileUs(99), s.jitterUs(), late, dup,
                sendErrors);
    }
}
