package io.synprobe.result;

import java.time.Instant;

/** Totals of a finished (or interrupted) scan. */
public record ScanSummary(Instant end, long elapsedMillis, long hosts, long hostsUp, long probesSent,
                          long retransmits, long replies, long open, long closed, long filtered,
                          boolean interrupted) {
}
