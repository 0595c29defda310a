package io.synprobe.check;

import io.synprobe.output.Addresses;
import io.synprobe.result.PortResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one check went.
 *
 * @param results       every result of the check's scan, by address then port
 * @param wrongState    the results whose state the expectation rejects
 * @param tooSlow       the results (of the right state) whose RTT is over the check's max_rtt
 * @param elapsedMillis how long the scan took
 */
public record CheckResult(Check check, List<PortResult> results, List<PortResult> wrongState, List<PortResult> tooSlow,
                          long elapsedMillis) {
    /** At most this many ports are named in a line; the rest are counted. */
    static final int NAMED = 12;

    public static CheckResult of(Check check, List<PortResult> results, long elapsedMillis) {
        List<PortResult> wrong = results.stream().filter(r -> !check.expect().holds(r.state())).toList();
        long maxUs = check.maxRtt() == null ? Long.MAX_VALUE : check.maxRtt().toNanos() / 1000;
        List<PortResult> slow = results.stream()
                .filter(r -> check.expect().holds(r.state()) && r.hasRtt() && r.rttUs() > maxUs).toList();
        return new CheckResult(check, List.copyOf(results), wrong, slow, elapsedMillis);
    }

    /** True when the scan found something and every port met the expectation and the RTT bound. */
    public boolean passed() {
        return !results.isEmpty() && wrongState.isEmpty() && tooSlow.isEmpty();
    }

    /**
     * What was seen, for people: every port when it passed ({@code 198.18.0.2 80/open 443/open}), only the
     * offending ones when it failed ({@code 198.18.0.2 443/filtered (no-response), expected open}).
     */
    public String detail() {
        if (results.isEmpty()) return "no results (the scan was interrupted)";
        if (passed()) return ports(results, false, false);
        List<String> parts = new ArrayList<>();
        if (!wrongState.isEmpty()) parts.add(ports(wrongState, true, false) + ", expected " + check.expect().label());
        if (!tooSlow.isEmpty()) parts.add(ports(tooSlow, false, true) + ", over max_rtt " + check.maxRttText());
        return String.join("; ", parts);
    }

    /** The line printed for the check: {@code PASS name: detail}. */
    public String line() {
        return (passed() ? "PASS " : "FAIL ") + check.name() + ": " + detail();
    }

    private static String ports(List<PortResult> list, boolean reasons, boolean rtts) {
        StringBuilder s = new StringBuilder();
        InetAddress host = null;
        for (int i = 0; i < list.size() && i < NAMED; i++) {
            PortResult r = list.get(i);
            if (!r.ip().equals(host)) {
                if (host != null) s.append(' ');
                host = r.ip();
                s.append(Addresses.text(host));
            }
            s.append(' ').append(r.port()).append('/').append(r.state().label());
            if (reasons) s.append(" (").append(r.reason().label()).append(')');
            if (rtts) s.append(" rtt ").append(millis(r.rttUs()));
        }
        if (list.size() > NAMED) s.append(" and ").append(list.size() - NAMED).append(" more");
        return s.toString();
    }

    static String millis(long us) {
        return String.format(Locale.ROOT, "%.3fms", us / 1000.0);
    }
}
