package io.synprobe.cli;

import io.synprobe.target.UsageException;

/** Parses packet rates: 1000, 1.5k, 100k, 1m (per second). */
final class Rates {
    private Rates() {
    }

    static double parse(String token) {
        String t = token.trim().toLowerCase(java.util.Locale.ROOT);
        double mult = 1;
        if (t.endsWith("k")) {
            mult = 1e3;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1e6;
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t) * mult;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid --rate '" + token + "' (packets per second, e.g. 1000, 50k, 1m)");
        }
        if (!(v > 0) || Double.isInfinite(v) || v > 100e6 || !t.matches("[0-9.]+")) {
            throw new UsageException("invalid --rate '" + token + "' (a positive number up to 100m)");
        }
        return v;
    }
}
