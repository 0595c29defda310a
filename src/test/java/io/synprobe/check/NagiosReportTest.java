package io.synprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Nagios status line and code from hand-made results (the lab test runs real scans). */
@Timeout(10)
class NagiosReportTest {
    static PortResult r(int port, Reason reason, long rttUs) throws Exception {
        return new PortResult(InetAddress.getByName("198.18.0.2"), port, reason.state(), reason, rttUs < 0 ? -1 : 64, rttUs);
    }

    static Check check(String name, Expect expect, Duration warn, Duration max) {
        return new Check(name, 3, "198.18.0.2", "22", expect, max, max == null ? null : max.toMillis() + "ms", 2,
                Duration.ofSeconds(1), warn, warn == null ? null : warn.toMillis() + "ms");
    }

    @Test
    void okWithPerfdataOfTheSlowestPort() throws Exception {
        NagiosReport.Status s = NagiosReport.of(List.of(
                CheckResult.of(check("echo answers", Expect.OPEN, null, null), List.of(r(7, Reason.SYN_ACK, 420), r(22, Reason.SYN_ACK, 30)), 1),
                CheckResult.of(check("web", Expect.OPEN, Duration.ofMillis(20), Duration.ofMillis(50)), List.of(r(80, Reason.SYN_ACK, 1500)), 1)));
        assertEquals(NagiosReport.OK, s.code());
        assertEquals("SYNPROBE OK - 2/2 checks passed | 'echo answers'=0.420ms;;;0; 'web'=1.500ms;20.000;50.000;0;", s.line());
    }

    @Test
    void warningNamesTheSlowCheck() throws Exception {
        NagiosReport.Status s = NagiosReport.of(List.of(
                CheckResult.of(check("web", Expect.OPEN, Duration.ofMillis(1), Duration.ofMillis(50)), List.of(r(80, Reason.SYN_ACK, 1500)), 1)));
        assertEquals(NagiosReport.WARNING, s.code());
        assertEquals("SYNPROBE WARNING - 1/1 checks passed, 1 over warn_rtt: web (198.18.0.2:80 1.500ms > 1ms) | 'web'=1.500ms;1.000;50.000;0;",
                s.line());
    }

    @Test
    void criticalWinsOverWarningAndUnansweredIsU() throws Exception {
        NagiosReport.Status s = NagiosReport.of(List.of(
                CheckResult.of(check("slow", Expect.OPEN, Duration.ofMillis(1), null), List.of(r(80, Reason.SYN_ACK, 1500)), 1),
                CheckResult.of(check("db | main", Expect.OPEN, null, null), List.of(r(5432, Reason.NO_RESPONSE, -1)), 1)));
        assertEquals(NagiosReport.CRITICAL, s.code());
        assertEquals("SYNPROBE CRITICAL - 1/2 checks failed: db / main: 198.18.0.2 5432/filtered (no-response), expected open"
                + " | 'slow'=1.500ms;1.000;;0; 'db / main'=U;;;0;", s.line());
    }

    @Test
    void unknownIsOneLine() {
        NagiosReport.Status s = NagiosReport.unknown("checks.yaml:4: unknown key 'prot'\nmore | text");
        assertEquals(NagiosReport.UNKNOWN, s.code());
        assertEquals("SYNPROBE UNKNOWN - checks.yaml:4: unknown key 'prot' more / text", s.line());
    }
}
