package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanSummary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With --only, the buffering formats must not keep an object per hidden result. */
class HiddenResultsMemoryTest {
    static final int HOSTS = 16;
    static final int PORTS = 62_500; // 16 x 62,500 = 1,000,000 hidden results

    @Test
    void aMillionHiddenResultsKeepOnlyTheShownOnesAsObjects() throws Exception {
        for (OutputFormat format : List.of(OutputFormat.TABLE, OutputFormat.XML, OutputFormat.GREP)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PerHostSink sink = (PerHostSink) format.create(bytes,
                    new OutputOptions(Set.of(PortState.OPEN), Fixtures.BUILT_IN));
            sink.begin(Fixtures.INFO);
            long hidden = 0;
            for (int h = 0; h < HOSTS; h++) {
                var ip = Fixtures.ip("198.18.0." + (h + 2));
                for (int p = 1; p <= PORTS; p++) {
                    Reason reason = p == 22 ? Reason.SYN_ACK : p % 1000 == 0 ? Reason.NO_RESPONSE : Reason.RESET;
                    sink.accept(new PortResult(ip, p, reason.state(), reason, reason == Reason.NO_RESPONSE ? -1 : 64,
                            reason == Reason.NO_RESPONSE ? -1 : 50));
                    if (reason != Reason.SYN_ACK) hidden++;
                }
            }
            assertEquals(HOSTS * (PORTS - 1L), hidden, "the fixture hides all but port 22");
            assertEquals(HOSTS, sink.retainedResults(), format + ": only the shown (open) results are kept");
            sink.end(new ScanSummary(Fixtures.START, 1000, HOSTS, HOSTS, hidden + HOSTS, 0, hidden, 0, HOSTS,
                    hidden - HOSTS * 62L, HOSTS * 62L, false));
            sink.close();
            String out = bytes.toString(StandardCharsets.UTF_8);
            switch (format) {
                case TABLE -> assertTrue(out.contains("Not shown: 62437 closed tcp ports (reset), "
                        + "62 filtered tcp ports (no-response); hidden by state filter: closed, filtered\n"), out.substring(0, 600));
                case XML -> {
                    assertTrue(out.contains("<extrareasons reason=\"no-response\" count=\"62\" proto=\"tcp\" ports=\""
                            + "1000,2000,3000,"), out.substring(0, 2000));
                    assertTrue(out.contains("<extrareasons reason=\"reset\" count=\"62437\" proto=\"tcp\" ports=\""
                            + "1-21,23-999,1001-1999,"), out.substring(0, 2000));
                    assertTrue(out.contains("<times srtt=\"50\" rttvar=\"0\""), "RTTs of hidden results still count");
                    assertEquals(HOSTS, XmlSinkTest.parse(out).getElementsByTagName("host").getLength());
                }
                case GREP -> assertTrue(out.contains("Host: 198.18.0.17 ()\tPorts: 22/open/tcp//ssh///\n"), out);
                default -> throw new AssertionError(format);
            }
        }
    }

    @Test
    void shownStatesAreKeptWholeUpToTheFoldAndOpenOnesAlways() throws Exception {
        PerHostSink sink = (PerHostSink) OutputFormat.TABLE.create(new ByteArrayOutputStream(), Fixtures.opts());
        for (PortResult r : Fixtures.range("198.18.0.2", 1, 25, Reason.RESET, 64, 5)) sink.accept(r);
        assertEquals(25, sink.retainedResults(), "25 closed ports are listed one per line");
        sink.accept(Fixtures.result("198.18.0.2", 26, Reason.RESET, 64, 5));
        assertEquals(0, sink.retainedResults(), "the 26th folds the state: no object per port any more");
        for (PortResult r : Fixtures.range("198.18.0.2", 1000, 1099, Reason.SYN_ACK, 64, 5)) sink.accept(r);
        assertEquals(100, sink.retainedResults(), "open ports are never folded");
        sink.close();
    }
}
