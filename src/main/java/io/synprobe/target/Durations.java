package io.synprobe.target;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses command-line durations such as {@code 250us}, {@code 20ms}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m|h)?");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * A non-negative decimal number with an optional unit (us, ms, s, m, h; seconds when omitted), rounded to
     * whole nanoseconds. Anything that does not fit in a long of nanoseconds (about 292 years) is rejected so
     * callers can always use {@link Duration#toNanos()}.
     *
     * @throws IllegalArgumentException naming the token when it is malformed, negative or too large
     */
    public static Duration parse(String token) {
        Matcher m = token == null ? null : FORMAT.matcher(token);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + token + "' (use e.g. 20ms, 1s, 2m)");
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2))))
                .setScale(0, RoundingMode.HALF_UP);
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("invalid duration '" + token + "' (too large)");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    private static long unitNanos(String unit) {
        if (unit == null) {
            return 1_000_000_000L;
        }
        return switch (unit) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException("unit accepted by pattern but not handled: " + unit);
        };
    }
}
