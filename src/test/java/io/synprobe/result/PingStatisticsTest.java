package io.synprobe.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingStatisticsTest {

    private static PingStatistics with(long sent, long... rtts) {
        PingStatistics stats = new PingStatistics();
        for (long i = 0; i < sent; i++) {
            stats.recordSent();
        }
        for (long rtt : rtts) {
            stats.recordReceived(rtt);
        }
        return stats;
    }

    @Test
    void knownSequence() {
        PingStatistics stats = with(5, 100, 300, 200, 400);
        assertEquals(5, stats.sent());
        assertEquals(4, stats.received());
        assertEquals(20.0, stats.lossPercent(), 1e-12);
        assertEquals(100, stats.minUs());
        assertEquals(400, stats.maxUs());
        assertEquals(250.0, stats.avgUs(), 1e-9);
        // deviations -150, 50, -50, 150: variance (22500 + 2500 + 2500 + 22500) / 4 = 12500
        assertEquals(Math.sqrt(12500), stats.stddevUs(), 1e-9);
        // |300-100| + |200-300| + |400-200| = 500 over 3 differences
        assertEquals(500.0 / 3, stats.jitterUs(), 1e-9);
    }

    @Test
    void jitterUsesArrivalOrderNotSortedOrder() {
        assertEquals(0.0, with(3, 7, 7, 7).jitterUs(), 0);
        assertEquals(1000.0, with(3, 1000, 2000, 1000).jitterUs(), 1e-9);
        assertEquals(500.0, with(3, 1000, 1500, 2000).jitterUs(), 1e-9);
    }

    @Test
    void percentilesWithinHistogramPrecision() {
        PingStatistics stats = new PingStatistics();
        for (long rtt = 1; rtt <= 10_000; rtt++) {
            stats.recordSent();
            stats.recordReceived(rtt * 100); // 100us .. 1s
        }
        assertWithinPrecision(500_000, stats.percentileUs(50));
        assertWithinPrecision(990_000, stats.percentileUs(99));
        assertWithinPrecision(100, stats.percentileUs(0));
        assertWithinPrecision(1_000_000, stats.percentileUs(100));
        assertEquals(0.0, stats.lossPercent());
        assertEquals(500_050.0, stats.avgUs(), 1e-6);
    }

    @Test
    void populationStddevOfLargeValuesIsStable() {
        PingStatistics stats = new PingStatistics();
        for (int i = 0; i < 100_000; i++) {
            stats.recordReceived(1_000_000_000L + (i % 2 == 0 ? 1 : -1));
        }
        assertEquals(1.0, stats.stddevUs(), 1e-6);
    }

    @Test
    void nothingReceived() {
        PingStatistics stats = with(3);
        assertEquals(100.0, stats.lossPercent());
        assertEquals(0, stats.minUs());
        assertEquals(0, stats.maxUs());
        assertEquals(0, stats.percentileUs(50));
        assertTrue(Double.isNaN(stats.avgUs()));
        assertTrue(Double.isNaN(stats.stddevUs()));
        assertTrue(Double.isNaN(stats.jitterUs()));
    }

    @Test
    void nothingSent() {
        assertEquals(0.0, new PingStatistics().lossPercent());
    }

    @Test
    void singleReplyHasZeroStddevAndNoJitter() {
        PingStatistics stats = with(1, 1234);
        assertEquals(0.0, stats.stddevUs());
        assertEquals(1234, stats.minUs());
        assertEquals(1234, stats.maxUs());
        assertTrue(Double.isNaN(stats.jitterUs()));
    }

    @Test
    void duplicatesNeverGiveNegativeLoss() {
        assertEquals(0.0, with(1, 10, 10).lossPercent());
    }

    @Test
    void hugeRttIsClampedIntoHistogramButKeptInMax() {
        PingStatistics stats = with(1, 10 * PingStatistics.HIGHEST_TRACKABLE_US);
        assertEquals(10 * PingStatistics.HIGHEST_TRACKABLE_US, stats.maxUs());
        assertWithinPrecision(PingStatistics.HIGHEST_TRACKABLE_US, stats.percentileUs(100));
    }

    @Test
    void rejectsPercentileOutOfRange() {
        PingStatistics stats = with(1, 5);
        assertThrows(IllegalArgumentException.class, () -> stats.percentileUs(100.5));
        assertThrows(IllegalArgumentException.class, () -> stats.percentileUs(-1));
    }

    private static void assertWithinPrecision(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= Math.max(1, expected / 1000),
                "expected ~" + expected + " but was " + actual);
    }
}
