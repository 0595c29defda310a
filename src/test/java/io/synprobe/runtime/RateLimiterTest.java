package io.synprobe.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock that only moves when the limiter parks or spins. */
    private static final class FakeTime implements RateLimiter.Sleeper {
        long now = 1_000_000_000L;
        final List<Long> parks = new ArrayList<>();
        int spins;

        @Override
        public void parkNanos(long nanos) {
            parks.add(nanos);
            now += nanos;
        }

        @Override
        public void spin() {
            spins++;
            now += 1_000;
        }
    }

    @Test
    void reserveFollowsScheduleWithoutDrift() {
        RateLimiter limiter = new RateLimiter(3, () -> 0, new FakeTime());
        assertEquals(0, limiter.reserve(0, 1));
        assertEquals(333_333_333, limiter.reserve(0, 1));
        assertEquals(666_666_666, limiter.reserve(0, 1));
        assertEquals(1_000_000_000, limiter.reserve(0, 1));
        for (int i = 4; i < 3000; i++) {
            limiter.reserve(0, 1);
        }
        assertEquals(1_000_000_000_000L, limiter.reserve(0, 1));
    }

    @Test
    void batchesAdvanceScheduleByBatchSize() {
        RateLimiter limiter = new RateLimiter(1000, () -> 0, new FakeTime());
        assertEquals(5_000, limiter.reserve(5_000, 10));
        assertEquals(5_000 + 10_000_000, limiter.reserve(5_000, 10));
        assertEquals(5_000 + 20_000_000, limiter.reserve(5_000, 1));
        assertEquals(5_000 + 21_000_000, limiter.reserve(5_000, 1));
    }

    @Test
    void smallLagIsCaughtUpButLargeLagResetsSchedule() {
        RateLimiter limiter = new RateLimiter(1_000_000, () -> 0, new FakeTime());
        assertEquals(0, limiter.reserve(0, 1));
        // 4 ms late: within the 5 ms allowance, so the schedule stands and the packet may go immediately.
        assertEquals(1_000, limiter.reserve(4_000_000, 1));
        assertEquals(2_000, limiter.reserve(4_000_000, 1));
        // 10 ms late: restart from now instead of bursting thousands of packets.
        assertEquals(10_000_000, limiter.reserve(10_000_000, 1));
        assertEquals(10_001_000, limiter.reserve(10_000_000, 1));
    }

    @Test
    void allowanceCoversOneBatch() {
        RateLimiter limiter = new RateLimiter(100, () -> 0, new FakeTime());
        limiter.reserve(0, 1000); // next slot at 10 s
        // 1.5 s late is more than the 5 ms allowance but less than one 1000-packet batch (10 s): keep the schedule.
        assertEquals(10_000_000_000L, limiter.reserve(11_500_000_000L, 1000));
    }

    @Test
    void acquireParksThenSpinsUntilScheduledTime() {
        FakeTime time = new FakeTime();
        long start = time.now;
        RateLimiter limiter = new RateLimiter(1000, () -> time.now, time);
        limiter.acquire(1);
        assertEquals(start, time.now);
        assertTrue(time.parks.isEmpty());
        limiter.acquire(1);
        assertEquals(List.of(1_000_000L - RateLimiter.SPIN_NANOS), time.parks);
        assertEquals(50, time.spins);
        assertEquals(start + 1_000_000, time.now);
    }

    @Test
    void acquireDoesNotWaitWhenAlreadyDue() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(1000, () -> time.now, time);
        limiter.acquire(1);
        time.now += 3_000_000;
        limiter.acquire(1);
        assertTrue(time.parks.isEmpty());
        assertEquals(0, time.spins);
    }

    @Test
    void unlimitedNeverWaitsOrReadsClock() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(0, () -> {
            throw new AssertionError("clock read");
        }, time);
        for (int i = 0; i < 100; i++) {
            limiter.acquire(1000);
        }
        assertEquals(123, limiter.reserve(123, 5));
        assertTrue(time.parks.isEmpty());
    }

    @Test
    void rejectsNonFiniteRate() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.POSITIVE_INFINITY));
    }
}
