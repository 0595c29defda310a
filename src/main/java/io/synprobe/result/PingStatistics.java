package io.synprobe.result;

import org.HdrHistogram.Histogram;

/**
 * Latency statistics for one ping target. Not thread-safe; recording does not allocate.
 *
 * <p>With no replies, {@link #minUs()}, {@link #maxUs()} and {@link #percentileUs} return 0 while
 * {@link #avgUs()} and {@link #stddevUs()} return NaN; {@link #jitterUs()} is NaN until two replies have
 * arrived. {@link #lossPercent()} is 0 when nothing has been sent.
 */
public final class PingStatistics {

    /** One hour: anything slower is recorded as one hour. */
    static final long HIGHEST_TRACKABLE_US = 3_600_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_US, 3);
    private long sent;
    private long received;
    private long minUs = Long.MAX_VALUE;
    private long maxUs;
    private double meanUs;
    private double sumSquaredDeviations;
    private long previousRttUs;
    private double sumAbsoluteDifferencesUs;

    public void recordSent() {
        sent++;
    }

    /** Records a reply; negative round-trip times (clock skew) count as 0. */
    public void recordReceived(long rttUs) {
        long rtt = Math.max(0, rttUs);
        received++;
        minUs = Math.min(minUs, rtt);
        maxUs = Math.max(maxUs, rtt);
        // Welford's update keeps the variance accurate over long runs.
        double delta = rtt - meanUs;
        meanUs += delta / received;
        sumSquaredDeviations += delta * (rtt - meanUs);
        if (received > 1) {
            sumAbsoluteDifferencesUs += Math.abs(rtt - previousRttUs);
        }
        previousRttUs = rtt;
        histogram.recordValue(Math.min(rtt, HIGHEST_TRACKABLE_US));
    }

    public long sent() {
        return sent;
    }

    public long received() {
        return received;
    }

    /** Percentage of sent probes without a reply; never negative even if duplicates outnumber probes. */
    public double lossPercent() {
        if (sent == 0) {
            return 0;
        }
        return Math.max(0, sent - received) * 100.0 / sent;
    }

    public long minUs() {
        return received == 0 ? 0 : minUs;
    }

    public double avgUs() {
        return received == 0 ? Double.NaN : meanUs;
    }

    public long maxUs() {
        return maxUs;
    }

    /** Population standard deviation. */
    public double stddevUs() {
        return received == 0 ? Double.NaN : Math.sqrt(sumSquaredDeviations / received);
    }

    /** The RTT at percentile {@code p} (0..100), within HdrHistogram's 3 significant digits. */
    public long percentileUs(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
        }
        return histogram.getValueAtPercentile(p);
    }

    /** Mean absolute difference between consecutive RTTs in arrival order. */
    public double jitterUs() {
        return received < 2 ? Double.NaN : sumAbsoluteDifferencesUs / (received - 1);
    }
}
