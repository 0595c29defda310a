package io.synprobe.output;

import static io.synprobe.output.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonlSinkTest {
    private static final List<PortResult> RESULTS = List.of(
            result("198.18.0.2", 22, Reason.SYN_ACK, 64, 87),
            result("198.18.0.2", 80, Reason.RESET, 64, 120),
            Fixtures.silent("198.18.0.2", 82),
            result("2001:db8::1", 443, Reason.ADMIN_PROHIBITED, 250, 1500));

    private static List<Map<String, Object>> parseLines(String out) {
        assertTrue(out.endsWith("\n"), "last line is complete");
        return out.lines().map(MiniJson::object).toList();
    }

    @Test
    void writesScanPortAndSummaryObjects() {
        List<Map<String, Object>> lines = parseLines(Fixtures.render(OutputFormat.JSONL, Fixtures.opts(), RESULTS));
        assertEquals(6, lines.size());

        Map<String, Object> scan = lines.get(0);
        assertEquals("scan", scan.get("type"));
        assertEquals("0.1.0", scan.get("version"));
        assertEquals("2026-01-02T03:04:05Z", scan.get("start"));
        assertEquals(Fixtures.INFO.commandLine(), scan.get("args"));
        assertEquals(2L, scan.get("hosts"));
        assertEquals(100L, scan.get("ports"));

        assertEquals(Map.of("type", "port", "ip", "198.18.0.2", "port", 22L, "proto", "tcp", "state", "open",
                "reason", "syn-ack", "ttl", 64L, "rtt_us", 87L), lines.get(1));
        Map<String, Object> silent = lines.get(3);
        assertEquals("no-response", silent.get("reason"));
        assertTrue(silent.containsKey("ttl") && silent.containsKey("rtt_us"));
        assertNull(silent.get("ttl"));
        assertNull(silent.get("rtt_us"));
        assertEquals("2001:db8::1", lines.get(4).get("ip"));

        Map<String, Object> summary = lines.get(5);
        assertEquals("summary", summary.get("type"));
        assertEquals(Set.of("type", "end", "elapsed_millis", "hosts", "hosts_up", "probes_sent", "retransmits",
                "replies", "ignored", "open", "closed", "filtered", "interrupted"), summary.keySet());
        assertEquals(1L, summary.get("open"));
        assertEquals(2L, summary.get("filtered"));
        assertEquals(Boolean.FALSE, summary.get("interrupted"));
    }

    @Test
    void onlyFilterDropsOtherStates() {
        OutputOptions onlyOpen = new OutputOptions(Set.of(PortState.OPEN), Fixtures.BUILT_IN);
        List<Map<String, Object>> ports = parseLines(Fixtures.render(OutputFormat.JSONL, onlyOpen, RESULTS)).stream()
                .filter(l -> l.get("type").equals("port")).toList();
        assertEquals(1, ports.size());
        assertEquals(22L, ports.get(0).get("port"));
    }

    @Test
    void escapesAwkwardArguments() {
        List<String> args = List.of("quote\"back\\slash", "new\nline\ttab", "bell\u0007", "snow\u2603 \uD83D\uDE00",
                "lone\uD800");
        ScanInfo info = new ScanInfo(args, Fixtures.START, 1, 1, "1", "syn", "0.1.0");
        String out = Fixtures.render(OutputFormat.JSONL, Fixtures.opts(), info, List.of(), null);
        assertEquals(1, out.lines().count(), "control characters never break the line");
        assertEquals(args, MiniJson.object(out.strip()).get("args"));
    }

    @Test
    void streamsEachLineAsSoonAsItArrives() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ResultSink sink = OutputFormat.JSONL.create(bytes, Fixtures.opts())) {
            sink.begin(Fixtures.INFO);
            for (int i = 0; i < RESULTS.size(); i++) {
                sink.accept(RESULTS.get(i));
                String soFar = bytes.toString(StandardCharsets.UTF_8);
                assertEquals(i + 2, parseLines(soFar).size(), "whole lines only, nothing held back");
            }
        }
    }
}
