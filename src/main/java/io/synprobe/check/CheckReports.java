package io.synprobe.check;

import io.synprobe.output.Addresses;
import io.synprobe.output.Json;
import io.synprobe.output.Xml;
import io.synprobe.result.PortResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The check outputs: a line per check and a total for people, JSON lines for scripts, JUnit XML for CI. */
public final class CheckReports {
    private CheckReports() {
    }

    /** e.g. {@code 3 checks: 2 passed, 1 failed}. */
    public static String total(List<CheckResult> results) {
        long passed = results.stream().filter(CheckResult::passed).count();
        return results.size() + (results.size() == 1 ? " check: " : " checks: ") + passed + " passed, "
                + (results.size() - passed) + " failed";
    }

    /** {@code {"type":"check","name":..,"passed":..,"expect":..,"detail":..,"results":[...]}} and a newline. */
    public static String jsonLine(CheckResult r) {
        List<Json> results = r.results().stream().map(CheckReports::json).toList();
        return new Json().field("type", "check").field("name", r.check().name()).field("passed", r.passed())
                .field("expect", r.check().expect().label()).field("detail", r.detail())
                .field("line", r.check().line()).objects("results", results).line();
    }

    /** {@code {"type":"summary","checks":..,"passed":..,"failed":..}} and a newline. */
    public static String jsonSummary(List<CheckResult> results) {
        long passed = results.stream().filter(CheckResult::passed).count();
        return new Json().field("type", "summary").field("checks", results.size()).field("passed", passed)
                .field("failed", results.size() - passed).line();
    }

    private static Json json(PortResult p) {
        return new Json().field("ip", Addresses.text(p.ip())).field("port", p.port()).field("state", p.state().label())
                .field("reason", p.reason().label()).optional("rtt_us", p.rttUs());
    }

    /** One testsuite, one testcase per check, a failure element (message = what was seen) per failed check. */
    public static String junit(String suite, List<CheckResult> results, Instant start) {
        long failures = results.stream().filter(r -> !r.passed()).count();
        long millis = results.stream().mapToLong(CheckResult::elapsedMillis).sum();
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<testsuite name=\"").append(Xml.attr(suite)).append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"0\" time=\"")
                .append(seconds(millis)).append("\" timestamp=\"").append(start).append("\">\n");
        for (CheckResult r : results) {
            s.append("  <testcase classname=\"synprobe.check\" name=\"").append(Xml.attr(r.check().name()))
                    .append("\" time=\"").append(seconds(r.elapsedMillis())).append('"');
            if (r.passed()) {
                s.append("/>\n");
                continue;
            }
            s.append(">\n    <failure type=\"check\" message=\"").append(Xml.attr(r.detail())).append("\">")
                    .append(Xml.attr(seen(r))).append("</failure>\n  </testcase>\n");
        }
        return s.append("</testsuite>\n").toString();
    }

    /** Every result of a failed check, one per line, for the failure element's text. */
    private static String seen(CheckResult r) {
        StringBuilder s = new StringBuilder("expected ").append(r.check().expect().label());
        if (r.check().maxRtt() != null) s.append(", max_rtt ").append(r.check().maxRttText());
        s.append('\n');
        for (PortResult p : r.results()) {
            s.append(Addresses.text(p.ip())).append(' ').append(p.port()).append('/').append(p.state().label())
                    .append(' ').append(p.reason().label());
            if (p.hasRtt()) s.append(" rtt ").append(CheckResult.millis(p.rttUs()));
            s.append('\n');
        }
        return s.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
