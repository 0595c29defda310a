package io.synprobe.output;

/** Running mean and standard deviation of RTTs in microseconds, without keeping the samples. */
final class RttStats {
    private long count;
    private double mean;
    private double sumSquaredDeviations;

    void add(long rttUs) {
        count++;
        double delta = rttUs - mean;
        mean += delta / count;
        sumSquaredDeviations += delta * (rttUs - mean);
    }

    long count() {
        return count;
    }

    /** Mean in whole microseconds; 0 when empty. */
    long meanUs() {
        return Math.round(mean);
    }

    /** Population standard deviation in whole microseconds; 0 when empty. */
    long deviationUs() {
        return count == 0 ? 0 : Math.round(Math.sqrt(sumSquaredDeviations / count));
    }
}
