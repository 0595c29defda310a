package io.synprobe.check;

import io.synprobe.output.Addresses;
import io.synprobe.result.PortResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks as a Nagios plugin: one status line, {@code SYNPROBE OK - 3/3 checks passed | 'web'=0.420ms;20;50;0; ...},
 * with each check's slowest reply as perfdata (warn_rtt and max_rtt as its thresholds), and the plugin exit codes.
 */
public final class NagiosReport {
    public static final int OK = 0, WARNING = 1, CRITICAL = 2, UNKNOWN = 3;
    private static final String[] WORDS = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

    /** @param line the status line, without a newline */
    public record Status(int code, String line) {
    }

    private NagiosReport() {
    }

    public static Status unknown(String why) {
        return new Status(UNKNOWN, "SYNPROBE UNKNOWN - " + clean(why));
    }

    public static Status of(List<CheckResult> results) {
        List<String> failed = new ArrayList<>(), slow = new ArrayList<>();
        boolean interrupted = false;
        for (CheckResult r : results) {
            if (r.results().isEmpty()) interrupted = true;
            else if (!r.passed()) failed.add(r.check().name() + ": " + r.detail());
            else if (overWarn(r) != null) slow.add(r.check().name() + " (" + overWarn(r) + ")");
        }
        int code;
        String text;
        int n = results.size();
        if (interrupted) {
            code = UNKNOWN;
            text = "checks interrupted before they ended";
        } else if (!failed.isEmpty()) {
            code = CRITICAL;
            text = failed.size() + "/" + n + " checks failed: " + String.join("; ", failed);
        } else if (!slow.isEmpty()) {
            code = WARNING;
            text = n + "/" + n + " checks passed, " + slow.size() + " over warn_rtt: " + String.join("; ", slow);
        } else {
            code = OK;
            text = n + "/" + n + " checks passed";
        }
        StringBuilder line = new StringBuilder("SYNPROBE ").append(WORDS[code]).append(" - ").append(clean(text));
        String perf = perfdata(results);
        if (!perf.isEmpty()) line.append(" | ").append(perf);
        return new Status(code, line.toString());
    }

    /** The slowest reply over warn_rtt as {@code 198.18.0.2:443 0.512ms > 0.1ms}, or null. */
    static String overWarn(CheckResult r) {
        if (r.check().warnRtt() == null) return null;
        long warnUs = r.check().warnRtt().toNanos() / 1000;
        PortResult worst = null;
        for (PortResult p : r.results()) {
            if (r.check().expect().holds(p.state()) && p.hasRtt() && p.rttUs() > warnUs && (worst == null || p.rttUs() > worst.rttUs())) {
                worst = p;
            }
        }
        if (worst == null) return null;
        return Addresses.text(worst.ip()) + ":" + worst.port() + " " + CheckResult.millis(worst.rttUs())
                + " > " + r.check().warnRttText();
    }

    /** {@code 'name'=VALUEms;WARN;CRIT;0;} per check: its slowest reply, U when nothing answered with an RTT. */
    static String perfdata(List<CheckResult> results) {
        List<String> out = new ArrayList<>();
        for (CheckResult r : results) {
            long max = -1;
            for (PortResult p : r.results()) if (p.hasRtt()) max = Math.max(max, p.rttUs());
            String label = "'" + clean(r.check().name()).replace("=", "_").replace("'", "''") + "'";
            out.add(label + "=" + (max < 0 ? "U" : ms(max) + "ms") + ";" + threshold(r.check().warnRtt()) + ";"
                    + threshold(r.check().maxRtt()) + ";0;");
        }
        return String.join(" ", out);
    }

    private static String threshold(Duration d) {
        return d == null ? "" : ms(d.toNanos() / 1000);
    }

    private static String ms(long us) {
        return String.format(Locale.ROOT, "%.3f", us / 1000.0);
    }

    /** One line, and no pipe (it starts the perfdata). */
    private static String clean(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').replace('|', '/');
    }
}
