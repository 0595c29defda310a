package io.synprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.ScanLab;
import io.synprobe.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** synprobe check against the lab: 22, 80 open; 81 closed; 82 dropped; 84 admin-prohibited. */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(120)
class CheckLabTest {
    static final String TRUE_CHECKS = """
            defaults: { retries: 1, timeout: 300ms }
            checks:
              - name: web is reachable
                target: 198.18.0.2
                ports: "22,80"
                expect: open
                max_rtt: 5s
              - name: nothing on 81 or 82
                target: [198.18.0.2, 198.18.0.3]
                ports: [81, 82, 84]
                expect: not-open
              - name: 82 is dropped
                target: 2001:db8::2
                ports: 82
                expect: filtered
              - name: 81 answers with a reset
                target: 198.18.0.2/31
                ports: 81
                expect: closed
            """;

    static ScanLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() {
        lab = ScanLab.start(2);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.close();
    }

    private Cli check(String yaml, String... more) throws Exception {
        Path file = Files.writeString(dir.resolve("check.yaml"), yaml);
        List<String> args = new java.util.ArrayList<>(List.of("check", file.toString(), "--netns", lab.proberNetns()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void trueExpectationsExitZero() throws Exception {
        Cli r = check(TRUE_CHECKS);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(List.of("PASS web is reachable: 198.18.0.2 22/open 80/open",
                "PASS nothing on 81 or 82: 198.18.0.2 81/closed 82/filtered 84/filtered 198.18.0.3 81/closed 82/filtered 84/filtered",
                "PASS 82 is dropped: 2001:db8::2 82/filtered",
                "PASS 81 answers with a reset: 198.18.0.2 81/closed 198.18.0.3 81/closed",
                "4 checks: 4 passed, 0 failed"), r.out().lines().toList());
    }

    @Test
    void aFalseExpectationExitsOneWithTheFailLine() throws Exception {
        Cli r = check("""
                checks:
                  - name: web is reachable
                    target: 198.18.0.2
                    ports: "80,82"
                    expect: open
                    retries: 0
                    timeout: 200ms
                  - name: ssh closed
                    target: 198.18.0.2
                    ports: 22
                    expect: closed
                """);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(List.of("FAIL web is reachable: 198.18.0.2 82/filtered (no-response), expected open",
                "FAIL ssh closed: 198.18.0.2 22/open (syn-ack), expected closed",
                "2 checks: 0 passed, 2 failed"), r.out().lines().toList());
    }

    @Test
    void maxRttViolatedFails() throws Exception {
        Cli r = check("""
                checks:
                  - name: too slow
                    target: 198.18.0.2
                    ports: 22
                    expect: open
                    max_rtt: 1us
                """, "-q");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().matches("FAIL too slow: 198\\.18\\.0\\.2 22/open rtt \\d+\\.\\d{3}ms, over max_rtt 1us\n"), r.out());
    }

    @Test
    void junitReportParsesWithTheRightCounts() throws Exception {
        String yaml = TRUE_CHECKS + """
                  - name: wrong <on purpose> & "quoted"
                    target: 198.18.0.3
                    ports: 84
                    expect: open
                """;
        Path junit = dir.resolve("report.xml");
        Cli r = check(yaml, "--junit", junit.toString(), "-o", "jsonl");
        assertEquals(1, r.exit(), r.out() + r.err());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("check.yaml", suite.getAttribute("name"));
        assertEquals("5", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals(5, suite.getElementsByTagName("testcase").getLength());
        assertEquals(1, suite.getElementsByTagName("failure").getLength());
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertEquals("wrong <on purpose> & \"quoted\"", ((Element) failure.getParentNode()).getAttribute("name"));
        assertEquals("198.18.0.3 84/filtered (admin-prohibited), expected open", failure.getAttribute("message"));

        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("{\"type\":\"check\",\"name\":\"web is reachable\",\"passed\":true,\"expect\":\"open\","), lines.get(0));
        assertTrue(lines.get(0).contains("\"results\":[{\"ip\":\"198.18.0.2\",\"port\":22,\"state\":\"open\",\"reason\":\"syn-ack\",\"rtt_us\":"),
                lines.get(0));
        assertTrue(lines.get(4).contains("\"passed\":false"), lines.get(4));
        assertEquals("{\"type\":\"summary\",\"checks\":5,\"passed\":4,\"failed\":1}", lines.get(5));
    }
}
