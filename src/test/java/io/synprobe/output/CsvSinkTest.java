package io.synprobe.output;

import static io.synprobe.output.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvSinkTest {
    private static final List<PortResult> RESULTS = List.of(
            result("198.18.0.2", 22, Reason.SYN_ACK, 64, 87),
            Fixtures.silent("198.18.0.2", 82),
            result("::ffff:1.2.3.4", 80, Reason.RESET, 5, 0),
            result("fe80::1", 25, Reason.HOST_UNREACH, 63, 900));

    @Test
    void headerThenOneRowPerResultWithEmptyAbsentFields() {
        String text = Fixtures.render(OutputFormat.CSV, Fixtures.opts(), RESULTS);
        assertEquals(List.of(
                List.of("ip", "port", "proto", "state", "reason", "ttl", "rtt_us"),
                List.of("198.18.0.2", "22", "tcp", "open", "syn-ack", "64", "87"),
                List.of("198.18.0.2", "82", "tcp", "filtered", "no-response", "", ""),
                List.of("1.2.3.4", "80", "tcp", "closed", "reset", "5", "0"),
                List.of("fe80::1", "25", "tcp", "filtered", "host-unreach", "63", "900")), Fixtures.csvRows(text));
        assertEquals("ip,port,proto,state,reason,ttl,rtt_us\n198.18.0.2,22,tcp,open,syn-ack,64,87\n"
                + "198.18.0.2,82,tcp,filtered,no-response,,\n", text.substring(0, text.indexOf("1.2.3.4")),
                "byte for byte as before: LF line ends, no quotes where none are needed");
    }

    @Test
    void aContinuedFileGetsNoSecondHeader() {
        List<PortResult> first = RESULTS.subList(0, 2), rest = RESULTS.subList(2, 4);
        String text = Fixtures.render(OutputFormat.CSV, Fixtures.opts(), first)
                + Fixtures.render(OutputFormat.CSV, Fixtures.opts().continuing(true), rest);
        List<List<String>> rows = Fixtures.csvRows(text);
        assertEquals(5, rows.size(), text);
        assertEquals(1, rows.stream().filter(r -> r.get(0).equals("ip")).count(), "one header: " + text);
    }

    @Test
    void onlyFilterKeepsHeaderAndSelectedRows() {
        OutputOptions opts = new OutputOptions(Set.of(PortState.FILTERED), Fixtures.BUILT_IN);
        List<List<String>> rows = Fixtures.csvRows(Fixtures.render(OutputFormat.CSV, opts, RESULTS));
        assertEquals(3, rows.size());
        assertEquals(List.of("82", "25"), rows.stream().skip(1).map(r -> r.get(1)).toList());
    }

    @Test
    void quotesFieldsThatNeedIt() throws IOException {
        List<String> awkward = List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvRows rows = new CsvRows(bytes, List.of("value", "x"));
        for (String v : awkward) rows.row(v, "x");
        List<List<String>> parsed = Fixtures.csvRows(bytes.toString(StandardCharsets.UTF_8));
        assertEquals(awkward, parsed.stream().map(r -> r.get(0)).toList());
        parsed.forEach(r -> assertEquals("x", r.get(1)));
    }

    @Test
    void streamsRowsWithoutWaitingForTheEnd() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ResultSink sink = OutputFormat.CSV.create(bytes, Fixtures.opts())) {
            sink.begin(Fixtures.INFO);
            assertEquals(1, Fixtures.csvRows(bytes.toString(StandardCharsets.UTF_8)).size(), "the header at once");
            sink.accept(RESULTS.get(0));
            assertEquals(2, Fixtures.csvRows(bytes.toString(StandardCharsets.UTF_8)).size());
        }
    }
}
