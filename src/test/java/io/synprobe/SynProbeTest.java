package io.synprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.ScanLab;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PortResult;
import io.synprobe.result.ScanSummary;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Java API against the lab (22, 80 open; 81 closed; 82 dropped; 84 admin-prohibited). */
@Tag("privileged")
class SynProbeTest {
    static ScanLab lab;

    @BeforeAll
    static void up() {
        lab = ScanLab.start(2);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.close();
    }

    static String describe(List<PortResult> results) {
        return String.join(" ", results.stream().map(r -> r.ip().getHostAddress() + ":" + r.port() + "/" + r.state().label()
                + "/" + r.reason().label()).toList());
    }

    @Test
    void builderScansAndSortsByAddressThenPort() throws Exception {
        List<PortResult> results = SynProbe.scanner().targets("198.18.0.3, 198.18.0.2").ports("84,22,81,80,82").retries(1)
                .timeout(Duration.ofMillis(300)).netns(lab.proberNetns()).run();
        String host = "198.18.0.%d:%s";
        StringBuilder expected = new StringBuilder();
        for (int h = 2; h <= 3; h++) {
            for (String p : List.of("22/open/syn-ack", "80/open/syn-ack", "81/closed/reset", "82/filtered/no-response",
                    "84/filtered/admin-prohibited")) {
                if (expected.length() > 0) expected.append(' ');
                expected.append(String.format(host, h, p));
            }
        }
        assertEquals(expected.toString(), describe(results));
        assertTrue(results.get(0).rttUs() >= 0 && results.get(0).ttl() == 64, results.get(0).toString());
    }

    @Test
    void streamingHandsOverEveryResultAndReturnsTheSummary() throws Exception {
        ConcurrentLinkedQueue<PortResult> seen = new ConcurrentLinkedQueue<>();
        SynProbe.ScanRequest request = new SynProbe.ScanRequest("198.18.0.2 2001:db8::2", "1-100", 0,
                Duration.ofMillis(300), 0, lab.proberNetnsPath());
        ScanSummary summary = SynProbe.scan(request, seen::add);
        assertEquals(200, seen.size());
        assertEquals(200, summary.open() + summary.closed() + summary.filtered());
        assertEquals(4, summary.open(), "22 and 80 on both addresses");
        assertEquals(2, summary.hostsUp());
        assertTrue(seen.stream().anyMatch(r -> r.ip().equals(address("2001:db8::2")) && r.port() == 22
                && r.state() == io.synprobe.result.PortState.OPEN));
    }

    @Test
    void pingMeasuresTheHandshake() throws Exception {
        PingSummary s = SynProbe.ping("198.18.0.2", 22, 3, Duration.ofMillis(20), lab.proberNetns());
        assertEquals(3, s.sent());
        assertEquals(3, s.received());
        assertEquals(0.0, s.lossPercent());
        assertTrue(s.minUs() <= s.maxUs() && s.maxUs() < 1_000_000, s.toString());
        PingSummary dropped = SynProbe.ping("198.18.0.2", 82, 1, Duration.ofMillis(20), lab.proberNetns());
        assertEquals(0, dropped.received());
    }

    @Test
    void badInputFailsBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> SynProbe.scan("198.18.0.300", "22"));
        assertThrows(IllegalArgumentException.class, () -> SynProbe.scan("198.18.0.2", "0"));
        assertThrows(IllegalArgumentException.class,
                () -> SynProbe.scanner().targets("198.18.0.2").netns("no-such-namespace-here").run());
        assertThrows(IllegalArgumentException.class, () -> SynProbe.scanner().targets("198.18.0.2").retries(16).run());
        assertThrows(IllegalArgumentException.class, () -> SynProbe.ping("198.18.0.0/30", 22, 1, Duration.ofSeconds(1)));
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
