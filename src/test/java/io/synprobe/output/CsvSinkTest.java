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
        List<List<String>> rows = Rfc4180.parse(Fixtures.render(OutputFormat.CSV, Fixtures.opts(), RESULTS));
        assertEquals(List.of(
                List.of("ip", "port", "proto", "state", "reason", "ttl", "rtt_us"),
                List.of("198.18.0.2", "22", "tcp", "open", "syn-ack", "64", "87"),
                List.of("198.18.0.2", "82", "tcp", "filtered", "no-response", "", ""),
                List.of("1.2.3.4", "80", "tcp", "closed", "reset", "5", "0"),
                List.of("fe80::1", "25", "tcp", "filtered", "host-unreach", "63", "900")), rows);
    }

    @Test
    void onlyFilterKeepsHeaderAndSelectedRows() {
        OutputOptions opts = new OutputOptions(Set.of(PortState.FILTERED), Fixtures.BUILT_IN);
        List<List<String>> rows = Rfc4180.parse(Fixtures.render(OutputFormat.CSV, opts, RESULTS));
        assertEquals(3, rows.size());
        assertEquals(List.of("82", "25"), rows.stream().skip(1).map(r -> r.get(1)).toList());
    }

    @Test
    void quotesFieldsThatNeedIt() {
        for (String v : List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "")) {
            List<List<String>> rows = Rfc4180.parse(CsvSink.field(v) + ",x\n");
            assertEquals(List.of(List.of(v, "x")), rows);
        }
        assertEquals("plain", CsvSink.field("plain"));
    }

    @Test
    void streamsRowsWithoutWaitingForTheEnd() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ResultSink sink = OutputFormat.CSV.create(bytes, Fixtures.opts())) {
            sink.begin(Fixtures.INFO);
            sink.accept(RESULTS.get(0));
            assertEquals(2, Rfc4180.parse(bytes.toString(StandardCharsets.UTF_8)).size());
        }
    }
}
