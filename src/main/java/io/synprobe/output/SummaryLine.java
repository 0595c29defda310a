package io.synprobe.output;

import io.synprobe.result.ScanSummary;

import java.util.Locale;

/** The one-line end-of-scan report, e.g. for the CLI's stderr. */
public final class SummaryLine {
    private SummaryLine() {
    }

    /**
     * e.g. {@code synprobe done: 2 hosts (2 up), 4000 ports, 8000 probes (120 retransmits), 8010 replies in 1.23s:
     * 3 open, 7990 closed, 7 filtered}.
     *
     * @param ports how many ports each host was probed on
     */
    public static String format(ScanSummary s, int ports) {
        return String.format(Locale.ROOT,
                "synprobe %s: %s (%d up), %s, %s (%s), %s%s in %.2fs: %d open, %d closed, %d filtered",
                s.interrupted() ? "interrupted" : "done", count(s.hosts(), "host"), s.hostsUp(), count(ports, "port"),
                count(s.probesSent(), "probe"), count(s.retransmits(), "retransmit"), count(s.replies(), "reply"),
                s.ignored() > 0 ? " (" + s.ignored() + " other packets ignored)" : "",
                s.elapsedMillis() / 1000.0, s.open(), s.closed(), s.filtered())
                + (s.unfiltered() > 0 ? ", " + s.unfiltered() + " unfiltered" : "")
                + (s.sendErrors() > 0 ? ", " + s.sendErrors() + " not sent" : "");
    }

    private static String count(long n, String noun) {
        if (n == 1) return n + " " + noun;
        return n + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }
}
