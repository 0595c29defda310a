package io.synprobe.output;

import static io.synprobe.output.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonlSinkTest {
    private static final List<PortResult> RESULTS = List.of(
            result("198.18.0.2", 22, Reason.SYN_ACK, 64, 87),
            result("198.18.0.2", 80, Reason.RESET, 64, 120),
            Fixtures.silent("198.18.0.2", 82),
            result("2001:db8::1", 443, Reason.ADMIN_PROHIBITED, 250, 1500));

    private static List<String> names(JsonNode n) {
        List<String> list = new ArrayList<>();
        n.fieldNames().forEachRemaining(list::add);
        return list;
    }

    @Test
    void writesScanPortAndSummaryObjects() {
        String text = Fixtures.render(OutputFormat.JSONL, Fixtures.opts(), RESULTS);
        List<JsonNode> lines = Fixtures.jsonLines(text);
        assertEquals(6, lines.size());

        JsonNode scan = lines.get(0);
        assertEquals(List.of("type", "version", "start", "args", "hosts", "ports", "port_spec", "scan_type"), names(scan),
                "the field names the README documents, in order");
        assertEquals("scan", scan.get("type").asText());
        assertEquals("0.1.0", scan.get("version").asText());
        assertEquals("2026-01-02T03:04:05Z", scan.get("start").asText());
        List<String> args = new ArrayList<>();
        scan.get("args").forEach(a -> args.add(a.asText()));
        assertEquals(Fixtures.INFO.commandLine(), args);
        assertEquals(2, scan.get("hosts").asLong());
        assertEquals(100, scan.get("ports").asLong());

        assertEquals("{\"type\":\"port\",\"ip\":\"198.18.0.2\",\"port\":22,\"proto\":\"tcp\",\"state\":\"open\","
                + "\"reason\":\"syn-ack\",\"ttl\":64,\"rtt_us\":87}", text.lines().toList().get(1), "byte for byte as before");
        JsonNode silent = lines.get(3);
        assertEquals("no-response", silent.get("reason").asText());
        assertTrue(silent.get("ttl").isNull() && silent.get("rtt_us").isNull(), "absent values are present as null");
        assertEquals("2001:db8::1", lines.get(4).get("ip").asText());

        JsonNode summary = lines.get(5);
        assertEquals(List.of("type", "end", "elapsed_millis", "hosts", "hosts_up", "probes_sent", "retransmits",
                "replies", "ignored", "open", "closed", "filtered", "interrupted", "send_errors"), names(summary));
        assertEquals(1, summary.get("open").asLong());
        assertEquals(2, summary.get("filtered").asLong());
        assertTrue(summary.get("interrupted").isBoolean() && !summary.get("interrupted").asBoolean());
    }

    @Test
    void onlyFilterDropsOtherStates() {
        OutputOptions onlyOpen = new OutputOptions(Set.of(PortState.OPEN), Fixtures.BUILT_IN);
        List<JsonNode> ports = Fixtures.jsonLines(Fixtures.render(OutputFormat.JSONL, onlyOpen, RESULTS)).stream()
                .filter(l -> l.get("type").asText().equals("port")).toList();
        assertEquals(1, ports.size());
        assertEquals(22, ports.get(0).get("port").asInt());
    }

    @Test
    void escapesAwkwardArguments() {
        List<String> args = List.of("quote\"back\\slash", "new\nline\ttab", "bell\u0007", "snow\u2603 \uD83D\uDE00",
                "lone\uD800");
        ScanInfo info = new ScanInfo(args, Fixtures.START, 1, 1, "1", "syn", "0.1.0");
        String out = Fixtures.render(OutputFormat.JSONL, Fixtures.opts(), info, List.of(), null);
        assertEquals(1, out.lines().count(), "control characters never break the line");
        List<String> parsed = new ArrayList<>();
        Fixtures.jsonLines(out).get(0).get("args").forEach(a -> parsed.add(a.asText()));
        assertEquals(args, parsed);
        assertTrue(out.contains("snow\u2603 \uD83D\uDE00"), "text outside ASCII stays readable UTF-8: " + out);
    }

    @Test
    void streamsEachLineAsSoonAsItArrives() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ResultSink sink = OutputFormat.JSONL.create(bytes, Fixtures.opts())) {
            sink.begin(Fixtures.INFO);
            for (int i = 0; i < RESULTS.size(); i++) {
                sink.accept(RESULTS.get(i));
                String soFar = bytes.toString(StandardCharsets.UTF_8);
                assertEquals(i + 2, Fixtures.jsonLines(soFar).size(), "whole lines only, nothing held back");
            }
        }
    }
}
