package io.synprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Judging and describing checks, with hand-made results (no packets). */
class CheckResultTest {
    static PortResult r(String ip, int port, Reason reason, long rttUs) throws Exception {
        return new PortResult(InetAddress.getByName(ip), port, reason.state(), reason,
                reason == Reason.NO_RESPONSE ? -1 : 64, reason == Reason.NO_RESPONSE ? -1 : rttUs);
    }

    static Check check(Expect expect, Duration maxRtt, String maxRttText) {
        return new Check("web is reachable", 3, "198.18.0.2", "80,443", expect, maxRtt, maxRttText, 2, Duration.ofSeconds(1));
    }

    @Test
    void passListsEveryPort() throws Exception {
        CheckResult c = CheckResult.of(check(Expect.OPEN, null, null),
                List.of(r("198.18.0.2", 80, Reason.SYN_ACK, 40), r("198.18.0.2", 443, Reason.SYN_ACK, 50)), 5);
        assertTrue(c.passed());
        assertEquals("PASS web is reachable: 198.18.0.2 80/open 443/open", c.line());
    }

    @Test
    void failNamesTheOffendingPortsWithReasons() throws Exception {
        CheckResult c = CheckResult.of(check(Expect.OPEN, null, null),
                List.of(r("198.18.0.2", 80, Reason.SYN_ACK, 40), r("198.18.0.2", 443, Reason.NO_RESPONSE, -1)), 5);
        assertFalse(c.passed());
        assertEquals("FAIL web is reachable: 198.18.0.2 443/filtered (no-response), expected open", c.line());
    }

    @Test
    void notOpenAcceptsClosedAndFiltered() throws Exception {
        CheckResult c = CheckResult.of(check(Expect.NOT_OPEN, null, null),
                List.of(r("198.18.0.2", 80, Reason.RESET, 40), r("198.18.0.3", 80, Reason.ADMIN_PROHIBITED, 50)), 5);
        assertTrue(c.passed());
        assertEquals("PASS web is reachable: 198.18.0.2 80/closed 198.18.0.3 80/filtered", c.line());
    }

    @Test
    void maxRttFailsOnAnySlowerPort() throws Exception {
        List<PortResult> results = List.of(r("198.18.0.2", 80, Reason.SYN_ACK, 40), r("198.18.0.2", 443, Reason.SYN_ACK, 51_000));
        CheckResult slow = CheckResult.of(check(Expect.OPEN, Duration.ofMillis(50), "50ms"), results, 5);
        assertFalse(slow.passed());
        assertEquals("FAIL web is reachable: 198.18.0.2 443/open rtt 51.000ms, over max_rtt 50ms", slow.line());
        assertTrue(CheckResult.of(check(Expect.OPEN, Duration.ofMillis(52), "52ms"), results, 5).passed());
    }

    @Test
    void noResultsIsAFailure() {
        assertFalse(CheckResult.of(check(Expect.OPEN, null, null), List.of(), 0).passed());
    }

    @Test
    void jsonAndJunitCarryTheVerdicts() throws Exception {
        CheckResult pass = CheckResult.of(check(Expect.OPEN, null, null), List.of(r("198.18.0.2", 80, Reason.SYN_ACK, 40)), 5);
        CheckResult fail = CheckResult.of(check(Expect.CLOSED, null, null), List.of(r("198.18.0.2", 80, Reason.SYN_ACK, 40)), 5);
        assertEquals("{\"type\":\"check\",\"name\":\"web is reachable\",\"passed\":false,\"expect\":\"closed\","
                + "\"detail\":\"198.18.0.2 80/open (syn-ack), expected closed\",\"line\":3,\"results\":[{\"ip\":\"198.18.0.2\","
                + "\"port\":80,\"state\":\"open\",\"reason\":\"syn-ack\",\"rtt_us\":40}]}\n", CheckReports.jsonLine(fail));
        assertEquals("2 checks: 1 passed, 1 failed", CheckReports.total(List.of(pass, fail)));
        String xml = CheckReports.junit("c.yaml", List.of(pass, fail), java.time.Instant.EPOCH);
        assertTrue(xml.contains("tests=\"2\" failures=\"1\""), xml);
        assertTrue(xml.contains("<failure type=\"check\" message=\"198.18.0.2 80/open (syn-ack), expected closed\">"), xml);
    }
}
