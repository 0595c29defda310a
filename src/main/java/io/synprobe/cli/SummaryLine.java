package io.synprobe.cli;

import io.synprobe.result.ScanSummary;
import java.util.Locale;

/** The one-line summary a scan prints on standard error. */
final class SummaryLine {
    private SummaryLine() {
    }

    static String of(ScanSummary s, int ports) {
        return String.format(Locale.ROOT,
                "synprobe %s: %d hosts (%d up), %d ports, %d probes (%d retransmits), %d replies in %.2fs: %d open, %d closed, %d filtered",
                s.interrupted() ? "interrupted" : "done", s.hosts(), s.hostsUp(), ports, s.probesSent(), s.retransmits(),
                s.replies(), s.elapsedMillis() / 1000.0, s.open(), s.closed(), s.filtered());
    }
}
