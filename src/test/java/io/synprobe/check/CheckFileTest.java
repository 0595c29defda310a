package io.synprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckFileTest {
    static final String VALID = """
            defaults: { retries: 1, timeout: 300ms }
            checks:
              - name: web is reachable
                target: 198.18.0.2
                ports: "80,443"
                expect: open
                max_rtt: 50ms
              - target: [198.18.0.2, 198.18.0.3]
                ports: [22, "8000-8001"]
                expect: not-open
                retries: 0
              - name: one port
                target: 198.18.0.0/30
                ports: 81
                expect: closed
                timeout: 2s
            """;

    @TempDir
    Path dir;

    @Test
    void readsChecksWithDefaultsAndOverrides() {
        List<Check> checks = CheckFile.parse("c.yaml", VALID);
        assertEquals(3, checks.size());
        Check web = checks.get(0);
        assertEquals(new Check("web is reachable", 3, "198.18.0.2", "80,443", Expect.OPEN, Duration.ofMillis(50), "50ms",
                1, Duration.ofMillis(300)), web);
        Check list = checks.get(1);
        assertEquals("198.18.0.2 198.18.0.3", list.targets());
        assertEquals("22,8000-8001", list.ports());
        assertEquals("198.18.0.2 198.18.0.3 22,8000-8001", list.name(), "the name defaults to target and ports");
        assertEquals(0, list.retries());
        assertNull(list.maxRtt());
        assertEquals(Duration.ofSeconds(2), checks.get(2).timeout());
        assertEquals(8, list.line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "expect: opne|unknown expect 'opne' (open, closed, filtered, not-open)",
            "expcet: open|unknown key 'expcet' in a check (expect, max_rtt, name, ports, retries, target, timeout, warn_rtt)",
            "max_rtt: 50 ms|max_rtt: invalid duration '50 ms' (use e.g. 20ms, 1s, 2m)",
            "timeout: 0s|invalid timeout '0s' (more than 0)",
            "retries: 16|invalid retries '16' (0-15)",
            "target: 198.18.0.300|invalid IPv4 address '198.18.0.300'",
            "ports: 70000|invalid port '70000' (1-65535)",
            "ports: 90-80|port range '90-80' ends before it starts",
            "name: [a, b]|name must be a single value",
    })
    void errorsNameTheirLine(String extra, String message) {
        // a valid first check, then a second one whose key is replaced (or, for a new key, added) by the case's line
        java.util.Map<String, String> second = new java.util.LinkedHashMap<>();
        for (String l : List.of("name: second", "target: 198.18.0.2", "ports: 22", "expect: open")) {
            second.put(l.substring(0, l.indexOf(':')), l);
        }
        second.put(extra.substring(0, extra.indexOf(':')), extra);
        StringBuilder text = new StringBuilder("# checks\nchecks:\n  - name: fine\n    target: 198.18.0.2\n"
                + "    ports: 80\n    expect: open\n");
        String prefix = "  - ";
        for (String l : second.values()) {
            text.append(prefix).append(l).append('\n');
            prefix = "    ";
        }
        int line = text.toString().lines().map(String::trim).toList().indexOf(extra) + 1;
        if (line == 0) line = text.toString().lines().map(String::trim).toList().indexOf("- " + extra) + 1;
        assertTrue(line > 6, "the case's line is in the second check:\n" + text);
        CheckFileException e = assertThrows(CheckFileException.class, () -> CheckFile.parse("check.yaml", text.toString()));
        assertEquals("check.yaml:" + line + ": " + message, e.getMessage(), text.toString());
        assertEquals(line, e.line());
    }

    @Test
    void missingKeysNameTheCheckLine() {
        String text = "checks:\n  - name: a\n    target: 198.18.0.2\n    ports: 80\n    expect: open\n"
                + "  - name: b\n    ports: 80\n    expect: open\n";
        CheckFileException e = assertThrows(CheckFileException.class, () -> CheckFile.parse("f.yaml", text));
        assertEquals("f.yaml:6: check is missing 'target'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|1|empty check file",
            "checks: []|1|'checks' must be a non-empty list",
            "defaults: {retries: 1}|1|missing 'checks:'",
            "hecks: []|1|unknown key 'hecks' in the file",
            "'checks:\n  - target: [x\n'|3|invalid YAML",
            "'checks:\n  - {target: a, target: b, ports: 1, expect: open}\n'|2|duplicate key 'target'",
            "'defaults:\n  timeout: fast\nchecks:\n  - {target: 127.0.0.1, ports: 1, expect: open}\n'|2|timeout: invalid duration 'fast'",
    })
    void fileLevelErrors(String text, int line, String start) {
        CheckFileException e = assertThrows(CheckFileException.class, () -> CheckFile.parse("x.yaml", text));
        assertTrue(e.getMessage().startsWith("x.yaml:" + line + ": " + start), e.getMessage());
    }

    @Test
    void theCliExitsWith2AndNamesTheLineBeforeSendingAnything() throws Exception {
        Path file = Files.writeString(dir.resolve("check.yaml"), """
                defaults: { retries: 2, timeout: 1s }
                checks:
                  - name: web is reachable
                    target: 198.18.0.2
                    ports: "80,443"
                    expect: open
                    max_rtt: 50ms
                  - name: typo
                    target: 198.18.0.2
                    ports: 22
                    expect: opne
                """);
        Path junit = dir.resolve("junit.xml");
        Cli r = Cli.run("check", file.toString(), "--junit", junit.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("synprobe check: " + file + ":11: unknown expect 'opne' (open, closed, filtered, not-open)\n",
                r.err());
        assertEquals("", r.out(), "no check ran");
        assertTrue(Files.notExists(junit), "no report for a file that was not run");
        assertEquals(2, Cli.run("check", dir.resolve("missing.yaml").toString()).exit());
        assertEquals(2, Cli.run("check", file.toString(), "-o", "xml").exit());
    }
}
