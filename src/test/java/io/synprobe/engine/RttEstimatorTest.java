package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    @Test
    void unsampledSlotReturnsInitialTimeout() {
        RttEstimator estimator = new RttEstimator(4, 100_000, 10_000_000, 1_000_000);
        assertEquals(1_000_000, estimator.timeoutUs(0));
        estimator.update(1, 20_000);
        assertEquals(1_000_000, estimator.timeoutUs(0));
        assertEquals(1_000_000, estimator.timeoutUs(3));
    }

    @Test
    void firstSampleSetsSrttAndClampedRttvar() {
        RttEstimator estimator = new RttEstimator(3, 0, 100_000_000, 1_000_000);
        estimator.update(0, 1_000);     // rttvar clamped up to 5000: 1000 + 4*5000
        estimator.update(1, 30_000);    // rttvar = rtt: 30000 + 4*30000
        estimator.update(2, 3_000_000); // rttvar clamped down to 2000000: 3000000 + 4*2000000
        assertEquals(21_000, estimator.timeoutUs(0));
        assertEquals(150_000, estimator.timeoutUs(1));
        assertEquals(11_000_000, estimator.timeoutUs(2));
    }

    @Test
    void laterSamplesSmoothLikeNmap() {
        RttEstimator estimator = new RttEstimator(1, 0, 100_000_000, 1_000_000);
        estimator.update(0, 10_000);    // srtt 10000, rttvar 10000
        estimator.update(0, 18_000);    // delta 8000: srtt 11000, rttvar 10000 + (8000-10000)/4 = 9500
        assertEquals(11_000 + 4 * 9_500, estimator.timeoutUs(0));
        estimator.update(0, 3_000);     // delta -8000: srtt 10000, rttvar 9500 + (8000-9500)/4 = 9125
        assertEquals(10_000 + 4 * 9_125, estimator.timeoutUs(0));
        estimator.update(0, 10_000);    // delta 0: srtt 10000, rttvar 9125 - 9125/4 = 6844 (integer division)
        assertEquals(10_000 + 4 * 6_844, estimator.timeoutUs(0));
    }

    @Test
    void timeoutIsClampedToMinAndMax() {
        RttEstimator estimator = new RttEstimator(2, 100_000, 500_000, 1_000_000);
        estimator.update(0, 1_000);
        assertEquals(100_000, estimator.timeoutUs(0));
        estimator.update(1, 400_000);
        assertEquals(500_000, estimator.timeoutUs(1));
    }

    @Test
    void negativeSampleCountsAsZero() {
        RttEstimator estimator = new RttEstimator(1, 0, 10_000_000, 1_000_000);
        estimator.update(0, -50);
        assertEquals(20_000, estimator.timeoutUs(0));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(1, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(1, -1, 2, 1));
    }

    /** A veth neighbour answers in microseconds: the timeout settles on the floor, not on nmap's 100 ms. */
    @Test
    void microsecondHostSettlesOnTheDefaultFloor() {
        long floor = ScanOptions.DEFAULT_MIN_TIMEOUT_US;
        assertEquals(10_000, floor);
        RttEstimator estimator = new RttEstimator(1, floor, 10_000_000, 1_000_000);
        estimator.update(0, 20);
        assertEquals(20 + 4 * 5_000, estimator.timeoutUs(0), "first sample: rttvar at least 5 ms, like nmap");
        for (int i = 0; i < 60; i++) estimator.update(0, 15 + i % 10);
        assertEquals(floor, estimator.timeoutUs(0), "after 60 samples of 15-24 us only the floor is left");
    }

    /** The floor decides only for fast hosts: a 20 ms path with jitter keeps its timeout above every sample seen. */
    @Test
    void slowerHostIsGovernedByItsEstimateNotTheFloor() {
        RttEstimator estimator = new RttEstimator(1, ScanOptions.DEFAULT_MIN_TIMEOUT_US, 10_000_000, 1_000_000);
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long rtt = 20_000 + (i % 5) * 500; // 20.0 .. 22.0 ms
            max = Math.max(max, rtt);
            estimator.update(0, rtt);
        }
        long timeout = estimator.timeoutUs(0);
        assertTrue(timeout > max, "timeout " + timeout + " us must exceed the largest sample " + max + " us");
        assertTrue(timeout < 40_000, "but stay near the path's RTT, not a fixed 100 ms: " + timeout);
    }

    /** After settling on the floor, one slow reply (a busy target) lifts the timeout at once above that reply. */
    @Test
    void aSlowReplyLiftsTheTimeoutOffTheFloor() {
        RttEstimator estimator = new RttEstimator(1, ScanOptions.DEFAULT_MIN_TIMEOUT_US, 10_000_000, 1_000_000);
        for (int i = 0; i < 100; i++) estimator.update(0, 20);
        assertEquals(10_000, estimator.timeoutUs(0));
        estimator.update(0, 30_000);
        assertTrue(estimator.timeoutUs(0) > 30_000, "timeout after a 30 ms reply: " + estimator.timeoutUs(0));
    }
}
