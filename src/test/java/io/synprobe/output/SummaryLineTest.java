package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.synprobe.result.ScanSummary;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SummaryLineTest {
    @Test
    void formatsTheClosingLine() {
        ScanSummary s = new ScanSummary(Instant.EPOCH, 1234, 2, 2, 8000, 120, 8010, 0, 3, 7990, 7, false);
        assertEquals("synprobe done: 2 hosts (2 up), 4000 ports, 8000 probes (120 retransmits), 8010 replies in 1.23s: "
                + "3 open, 7990 closed, 7 filtered", SummaryLine.format(s, 4000));
    }

    @Test
    void saysWhenInterruptedAndUsesSingulars() {
        ScanSummary s = new ScanSummary(Instant.EPOCH, 50, 1, 0, 1, 1, 1, 0, 0, 0, 1, true);
        assertEquals("synprobe interrupted: 1 host (0 up), 1 port, 1 probe (1 retransmit), 1 reply in 0.05s: "
                + "0 open, 0 closed, 1 filtered", SummaryLine.format(s, 1));
    }

    @Test
    void countsThePacketsThatProvedNothing() {
        ScanSummary s = new ScanSummary(Instant.EPOCH, 1000, 1, 1, 10, 0, 10, 25, 1, 9, 0, false);
        assertEquals("synprobe done: 1 host (1 up), 10 ports, 10 probes (0 retransmits), 10 replies (25 other packets ignored)"
                + " in 1.00s: 1 open, 9 closed, 0 filtered", SummaryLine.format(s, 10));
    }
}
