package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingStatistics;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingListenersTest {
    static final InetAddress IP = Fixtures.ip("198.18.0.2");
    static final List<PingEvent> EVENTS = List.of(
            new PingEvent(PingEvent.Type.REPLY, IP, 22, 0, PortState.OPEN, Reason.SYN_ACK, "SA", 64, 64240, 37),
            new PingEvent(PingEvent.Type.TIMEOUT, IP, 22, 1, PortState.FILTERED, Reason.NO_RESPONSE, null, -1, -1, -1),
            new PingEvent(PingEvent.Type.LATE, IP, 22, 1, PortState.OPEN, Reason.SYN_ACK, "SA", 64, 64240, 1_200_000),
            new PingEvent(PingEvent.Type.DUP, IP, 22, 0, PortState.OPEN, Reason.SYN_ACK, "SA", 64, 64240, 1_000_100));

    static PingSummary summary() {
        PingStatistics s = new PingStatistics();
        s.recordSent();
        s.recordSent();
        s.recordSent();
        s.recordReceived(37);
        return PingSummary.of(IP, 22, s, 1, 1);
    }

    static String render(OutputFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PingListener l = format.create(ResultKind.PING, out, Fixtures.opts());
        for (PingEvent e : EVENTS) l.event(e);
        l.summary(summary());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesReadBackWithTheDocumentedFields() throws Exception {
        String text = render(OutputFormat.JSONL);
        List<JsonNode> lines = Fixtures.jsonLines(text);
        assertEquals(5, lines.size());
        assertEquals("{\"type\":\"probe\",\"ip\":\"198.18.0.2\",\"port\":22,\"seq\":1,\"state\":\"filtered\","
                + "\"reason\":\"no-response\",\"flags\":null,\"rtt_us\":null,\"ttl\":null,\"window\":null,\"late\":false,"
                + "\"dup\":false,\"timeout\":true,\"send_error\":false}", text.lines().toList().get(1), "byte for byte as the README shows");
        assertTrue(lines.get(2).get("late").asBoolean());
        assertTrue(lines.get(3).get("dup").asBoolean());
        JsonNode sum = lines.get(4);
        assertEquals("summary", sum.get("type").asText());
        assertEquals(66.667, sum.get("loss_pct").asDouble(), 1e-9);
        assertTrue(sum.get("jitter_us").isNull(), "NaN is null");
        assertEquals(37, sum.get("p50_us").asLong());
    }

    @Test
    void csvHasOneRowPerProbeOutcome() throws Exception {
        List<List<String>> rows = Fixtures.csvRows(render(OutputFormat.CSV));
        assertEquals(List.of(
                List.of("ip", "port", "seq", "event", "state", "reason", "flags", "rtt_us", "ttl", "window"),
                List.of("198.18.0.2", "22", "0", "reply", "open", "syn-ack", "SA", "37", "64", "64240"),
                List.of("198.18.0.2", "22", "1", "timeout", "filtered", "no-response", "", "", "", ""),
                List.of("198.18.0.2", "22", "1", "late", "open", "syn-ack", "SA", "1200000", "64", "64240"),
                List.of("198.18.0.2", "22", "0", "dup", "open", "syn-ack", "SA", "1000100", "64", "64240")), rows);
    }

    @Test
    void csvWritesNothingBeforeTheFirstProbe() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputFormat.CSV.create(ResultKind.PING, out, Fixtures.opts());
        assertEquals(0, out.size(), "the output file appears with the first row, so a refused run leaves none");
    }

    @Test
    void tableIsForPeople() throws Exception {
        String text = render(OutputFormat.TABLE).replace(System.lineSeparator(), "\n");
        assertTrue(text.startsWith("seq=0 198.18.0.2:22 flags=SA open ttl=64 win=64240 rtt=0.037 ms\n"
                + "seq=1 198.18.0.2:22 timeout\n"), text);
        assertTrue(text.contains("3 probes sent, 1 replies, 66.7% loss (1 late, 1 dup not counted)"), text);
    }
}
