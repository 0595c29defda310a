package io.synprobe.result;

import java.time.Instant;

/**
 * Totals of a finished (or interrupted) scan.
 *
 * @param replies        replies that proved which probe they answer
 * @param ignored        packets that reached synprobe but proved nothing: malformed, stray, forged or duplicate
 * @param sendErrors     probes the local kernel refused to send (never on the wire)
 * @param firstSendError the errno name of the first such refusal, or null
 * @param unfiltered     ports an ACK scan found unfiltered (a RST came back)
 */
public record ScanSummary(Instant end, long elapsedMillis, long hosts, long hostsUp, long probesSent,
                          long retransmits, long replies, long ignored, long open, long closed, long filtered,
                          boolean interrupted, long sendErrors, String firstSendError, long unfiltered) {
    public ScanSummary(Instant end, long elapsedMillis, long hosts, long hostsUp, long probesSent, long retransmits,
                       long replies, long ignored, long open, long closed, long filtered, boolean interrupted,
                       long sendErrors, String firstSendError) {
        this(end, elapsedMillis, hosts, hostsUp, probesSent, retransmits, replies, ignored, open, closed, filtered,
                interrupted, sendErrors, firstSendError, 0);
    }

    public ScanSummary(Instant end, long elapsedMillis, long hosts, long hostsUp, long probesSent, long retransmits,
                       long replies, long ignored, long open, long closed, long filtered, boolean interrupted) {
        this(end, elapsedMillis, hosts, hostsUp, probesSent, retransmits, replies, ignored, open, closed, filtered,
                interrupted, 0, null, 0);
    }
}
