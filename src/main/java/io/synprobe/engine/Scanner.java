package io.synprobe.engine;

import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import java.io.IOException;

/** A way of scanning: raw SYN probes ({@link ScanEngine}) or kernel connects ({@link ConnectScanner}). */
public interface Scanner {
    /** Opens the output only once the sockets are open, so a run refused for privileges writes no file. */
    interface SinkOpener {
        ResultSink open() throws IOException;
    }

    /** Live counters for progress lines. */
    record Progress(long total, long sent, long retransmits, long replies, long finished, long elapsedNanos) {
    }

    ScanSummary run(SinkOpener opener, ScanInfo info) throws IOException;

    /** First call: stop sending new probes and wait for replies in flight. Second call: stop at once. */
    void requestStop();

    Progress progress();
}
