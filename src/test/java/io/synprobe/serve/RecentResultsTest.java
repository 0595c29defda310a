package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status page's window: fixed size, percentiles of answered probes only, ICMP answers not counted as loss. */
@Timeout(10)
class RecentResultsTest {
    @Test
    void theWindowKeepsTheLastSizeOutcomesOldestFirst() {
        RecentResults r = new RecentResults();
        for (long i = 0; i < RecentResults.SIZE + 50; i++) r.add(i);
        long[] w = r.snapshot();
        assertEquals(RecentResults.SIZE, w.length);
        assertEquals(50, w[0]);
        assertEquals(RecentResults.SIZE + 49, w[w.length - 1]);
    }

    @Test
    void percentilesIgnoreUnansweredProbesAndLossIgnoresIcmpAnswers() {
        long[] w = {100, RecentResults.NO_ANSWER, 300, RecentResults.OTHER_ANSWER, 200, RecentResults.NO_ANSWER};
        assertEquals(200, RecentResults.percentile(w, 50));
        assertEquals(300, RecentResults.percentile(w, 99));
        assertEquals(100, RecentResults.percentile(w, 1));
        assertEquals(100.0 * 2 / 6, RecentResults.lossPercent(w), 1e-9);
        assertEquals(-1, RecentResults.percentile(new long[] {RecentResults.NO_ANSWER}, 50));
        assertTrue(Double.isNaN(RecentResults.lossPercent(new long[0])));
    }

    @Test
    void theSparklineDrawsRepliesAsALineAndTheRestAsTicks() {
        String svg = StatusPage.sparkline(new long[] {50, 100, RecentResults.NO_ANSWER, RecentResults.OTHER_ANSWER});
        assertTrue(svg.startsWith("<svg") && svg.contains("<polyline"), svg);
        assertEquals(1, svg.split("#cf222e", -1).length - 1, "one red tick: " + svg);
        assertEquals(1, svg.split("#d4a72c", -1).length - 1, "one orange tick: " + svg);
        assertTrue(svg.endsWith("max 0.100 ms</span>"), svg);
        assertTrue(!StatusPage.sparkline(new long[] {RecentResults.NO_ANSWER}).contains("polyline"));
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", StatusPage.esc("a <b> & \"c\""));
    }
}
