package io.synprobe.result;

import java.time.Instant;

/**
 * Totals of a finished (or interrupted) scan.
 *
 * @param replies replies that proved which probe they answer
 * @param ignored packets that reached synprobe but proved nothing: malformed, stray, forged or duplicate
 */
public record ScanSummary(Instant end, long elapsedMillis, long hosts, long hostsUp, long probesSent,
                          long retransmits, long replies, long ignored, long open, long closed, long filtered,
                          boolean interrupted) {
}
