package io.synprobe.runtime;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces one sender thread to a packet rate with a fixed schedule: each acquisition of n packets moves the next
 * send time by n/rate from the previous schedule point, not from "now", so sleep overshoot does not accumulate as
 * drift. A sender that falls more than {@link #MAX_LAG_NANOS} (or one batch) behind restarts the schedule at the
 * current time instead of bursting to catch up. Not thread-safe.
 */
public final class RateLimiter {

    /** How far behind schedule the sender may be and still catch up by sending early. */
    /** A short hiccup (a page fault, a busy softirq) is caught up; a longer stall restarts the schedule. */
    static final long MAX_LAG_NANOS = 5_000_000;
    /** Waits shorter than this are spun rather than parked, since parking overshoots by tens of microseconds. */
    static final long SPIN_NANOS = 50_000;

    /** How the limiter waits; replaced in tests by a fake that advances a fake clock. */
    public interface Sleeper {
        void parkNanos(long nanos);

        void spin();
    }

    private static final Sleeper SYSTEM_SLEEPER = new Sleeper() {
        @Override
        public void parkNanos(long nanos) {
            LockSupport.parkNanos(nanos);
        }

        @Override
        public void spin() {
            Thread.onSpinWait();
        }
    };

    private final double ratePps;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private boolean started;
    private long epochNanos;
    private long packetsSinceEpoch;

    /** A limiter on System.nanoTime; {@code ratePps <= 0} means unlimited. */
    public RateLimiter(double ratePps) {
        this(ratePps, System::nanoTime, SYSTEM_SLEEPER);
    }

    public RateLimiter(double ratePps, LongSupplier nanoClock, Sleeper sleeper) {
        if (Double.isNaN(ratePps) || Double.isInfinite(ratePps)) {
            throw new IllegalArgumentException("rate must be a finite number: " + ratePps);
        }
        this.ratePps = Math.max(0, ratePps);
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** Blocks until {@code n} more packets may be sent. */
    public void acquire(int n) {
        if (ratePps == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        long sendAt = reserve(now, n);
        for (long wait = sendAt - now; wait > 0; wait = sendAt - nanoClock.getAsLong()) {
            if (wait > SPIN_NANOS) {
                sleeper.parkNanos(wait - SPIN_NANOS);
            } else {
                sleeper.spin();
            }
        }
    }

    /**
     * Books {@code n} packets against the schedule given the current time and returns the time at which they may
     * be sent (at or before {@code nowNanos} means immediately). Pure arithmetic apart from advancing the schedule.
     */
    public long reserve(long nowNanos, int n) {
        if (ratePps == 0) {
            return nowNanos;
        }
        long sendAt = started ? scheduled() : nowNanos;
        long maxLag = Math.max(MAX_LAG_NANOS, nanosFor(n));
        if (!started || nowNanos - sendAt > maxLag) {
            started = true;
            epochNanos = nowNanos;
            packetsSinceEpoch = 0;
            sendAt = nowNanos;
        }
        packetsSinceEpoch += n;
        return sendAt;
    }

    /** Schedule times are derived from a packet count, so fractional intervals never round-accumulate. */
    private long scheduled() {
        return epochNanos + nanosFor(packetsSinceEpoch);
    }

    private long nanosFor(long packets) {
        return (long) (packets * 1e9 / ratePps);
    }
}
