package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
