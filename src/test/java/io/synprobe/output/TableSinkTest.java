package io.synprobe.output;

import static io.synprobe.output.Fixtures.range;
import static io.synprobe.output.Fixtures.result;
import static io.synprobe.output.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableSinkTest {
    private static final String HOST = "198.18.0.2";

    /** Rendered with no port list, so only what the results say is printed. */
    private static String table(List<PortResult> results) {
        return table(Fixtures.opts(), results);
    }

    private static String table(OutputOptions opts, List<PortResult> results) {
        return Fixtures.render(OutputFormat.TABLE, opts, Fixtures.info(Fixtures.hosts(results), ""), results,
                Fixtures.summary(results));
    }

    private static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The rows of the port table: the header line and the lines after it up to the blank line. */
    private static List<String> portTable(String out) {
        List<String> all = out.lines().toList();
        int start = all.indexOf(all.stream().filter(l -> l.startsWith("PORT ")).findFirst().orElseThrow());
        List<String> rows = new ArrayList<>();
        for (int i = start; i < all.size() && !all.get(i).isEmpty(); i++) rows.add(all.get(i));
        return rows;
    }

    @Test
    void foldsAStateWithMoreThan25Ports() {
        List<PortResult> r = new ArrayList<>(range(HOST, 100, 125, Reason.RESET, 64, 100)); // 26 closed
        r.add(result(HOST, 22, Reason.SYN_ACK, 64, 87));
        r.add(result(HOST, 81, Reason.ADMIN_PROHIBITED, 64, 120));
        r.add(Fixtures.silent(HOST, 82));
        String out = table(r);
        assertEquals(List.of("Not shown: 26 closed tcp ports (reset)"), lines(out, "Not shown"));
        List<String> rows = portTable(out);
        assertEquals(List.of("PORT", "22/tcp", "81/tcp", "82/tcp"), rows.stream().map(l -> l.split(" +")[0]).toList());
        assertEquals(List.of("81/tcp", "filtered", "unknown", "admin-prohibited", "64", "0.120ms"),
                Arrays.asList(rows.get(2).split(" +")));
        assertEquals(List.of("82/tcp", "filtered", "unknown", "no-response", "-", "-"),
                Arrays.asList(rows.get(3).split(" +")));
    }

    @Test
    void aSendErrorBeforeAnyReplyIsShownAsTheErrorItWas() {
        // the refused probe is final before the host answers anything: it must not come back as a silent port
        List<PortResult> r = new ArrayList<>();
        r.add(new PortResult(ip(HOST), 7, PortState.ERROR, Reason.SEND_ERROR, -1, -1, "EPERM"));
        r.add(Fixtures.silent(HOST, 21));
        r.add(result(HOST, 22, Reason.RESET, 64, 90));
        List<String> rows = portTable(table(r));
        assertEquals(List.of("7/tcp", "error"), Arrays.asList(rows.get(1).split(" +")).subList(0, 2), rows.toString());
        assertTrue(rows.get(1).contains("send-error"), rows.toString());
    }

    @Test
    void aHostWhoseEveryProbeWasRefusedIsReportedNotACrash() {
        List<PortResult> r = List.of(new PortResult(ip(HOST), 7, PortState.ERROR, Reason.SEND_ERROR, -1, -1, "EPERM"));
        String out = table(r);
        assertTrue(out.contains("Host state unknown"), out);
        assertTrue(portTable(out).get(1).contains("send-error"), out);
    }

    @Test
    void keeps25PortsAndNeverFoldsOpenPorts() {
        List<PortResult> r = new ArrayList<>(range(HOST, 1, 25, Reason.RESET, 64, 100));
        r.addAll(range(HOST, 1000, 1039, Reason.SYN_ACK, 64, 100));
        String out = table(r);
        assertTrue(lines(out, "Not shown").isEmpty(), out);
        assertEquals(1 + 25 + 40, portTable(out).size());
    }

    @Test
    void foldsSeveralStatesMostPortsFirstWithReasons() {
        List<PortResult> r = new ArrayList<>(range(HOST, 1, 30, Reason.RESET, 64, 100));
        r.addAll(range(HOST, 31, 70, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range(HOST, 71, 72, Reason.HOST_PROHIBITED, 250, 900));
        r.add(result(HOST, 443, Reason.SYN_ACK, 64, 87));
        String out = table(r);
        assertEquals(List.of("Not shown: 40 filtered tcp ports (no-response), 2 filtered tcp ports (host-prohibited), "
                + "30 closed tcp ports (reset)"), lines(out, "Not shown"));
        assertEquals(2, portTable(out).size());
    }

    @Test
    void columnsAreAlignedToTheWidestCell() {
        List<PortResult> r = List.of(result(HOST, 22, Reason.SYN_ACK, 64, 87),
                result(HOST, 8080, Reason.ADMIN_PROHIBITED, 250, 123_456),
                Fixtures.silent(HOST, 9));
        List<String> rows = portTable(table(r));
        String header = rows.get(0);
        int[] starts = {0, header.indexOf("STATE"), header.indexOf("SERVICE"), header.indexOf("REASON"),
                header.indexOf("TTL"), header.indexOf("RTT")};
        for (String row : rows) {
            String[] cells = row.split(" +");
            for (int c = 0; c < starts.length; c++) {
                int end = c + 1 < starts.length ? starts[c + 1] : row.length();
                assertEquals(cells[c], row.substring(starts[c], end).strip(), "column " + c + " of: " + row);
            }
            assertFalse(row.endsWith(" "));
        }
        assertEquals(starts[3] + "admin-prohibited".length() + 1, starts[4], "widest reason plus one space");
        assertTrue(rows.get(3).endsWith("123.456ms"));
    }

    @Test
    void hostLineUsesTheFastestReplyAndSilentHostsAreOnlyCounted() {
        List<PortResult> r = new ArrayList<>();
        r.add(result(HOST, 80, Reason.RESET, 64, 900));
        r.add(result(HOST, 22, Reason.SYN_ACK, 63, 87));
        r.add(Fixtures.silent(HOST, 23));
        r.addAll(range("198.18.0.1", 1, 40, Reason.NO_RESPONSE, -1, -1));
        String out = table(r);
        assertEquals(List.of("Host is up, received syn-ack ttl 63 (0.087ms latency)."), lines(out, "Host "));
        assertEquals(List.of("synprobe scan report for 198.18.0.2"), lines(out, "synprobe scan report"));
        assertTrue(out.endsWith("\n2 IP addresses (1 host up) scanned in 1.26 seconds; 1 host never answered and is"
                + " not shown (--show-down lists them)\n"), out);
    }

    @Test
    void aHostWhoseEveryPortAnsweredHasNoClosingCount() {
        String out = table(List.of(result(HOST, 22, Reason.SYN_ACK, 64, 87)));
        assertTrue(out.endsWith("0.087ms\n\n"), "no line about silent hosts when there are none: " + out);
    }

    @Test
    void aCompleteRunNamesThePortsThatWereSilentBeforeTheHostAnswered() {
        // 2 hosts x ports 1-30; .2's first three results were silent, before it had answered anything
        List<PortResult> r = new ArrayList<>(range(HOST, 1, 3, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range("198.18.0.1", 1, 30, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range(HOST, 4, 21, Reason.RESET, 64, 10));
        r.add(result(HOST, 22, Reason.SYN_ACK, 64, 10));
        r.addAll(range(HOST, 23, 30, Reason.RESET, 64, 10));
        String out = Fixtures.render(OutputFormat.TABLE, Fixtures.opts(), Fixtures.info(2, "1-30"), r, Fixtures.summary(r));
        assertEquals(List.of("Not shown: 26 closed tcp ports (reset)"), lines(out, "Not shown"));
        assertEquals(List.of("PORT", "1/tcp", "2/tcp", "3/tcp", "22/tcp"),
                portTable(out).stream().map(l -> l.split(" +")[0]).toList());
        assertTrue(portTable(out).get(1).contains(" filtered ") && portTable(out).get(1).contains(" no-response "),
                portTable(out).get(1));
        assertTrue(lines(out, "No result").isEmpty(), out);
    }

    @Test
    void aPartialRunSaysHowManyPortsHaveNoResult() {
        // the same scan, interrupted: port 30 of .2 and everything of .1 never came
        List<PortResult> r = new ArrayList<>(range(HOST, 1, 3, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range(HOST, 4, 21, Reason.RESET, 64, 10));
        r.add(result(HOST, 22, Reason.SYN_ACK, 64, 10));
        r.addAll(range(HOST, 23, 29, Reason.RESET, 64, 10));
        String out = Fixtures.render(OutputFormat.TABLE, Fixtures.opts(), Fixtures.info(2, "1-30"), r, null);
        assertEquals(List.of("No result for 4 tcp ports in this partial run (not probed, or silent before the host"
                + " first answered)"), lines(out, "No result"));
        assertTrue(lines(out, "Not shown").isEmpty(), out);
        assertEquals(1 + 25 + 1, portTable(out).size(), "25 closed and 1 open: the silent ones were not kept");
    }

    @Test
    void hostsComeInNumericAddressOrderIpv4First() {
        List<PortResult> r = List.of(result("2001:db8::1", 22, Reason.SYN_ACK, 64, 1),
                result("10.0.0.10", 22, Reason.SYN_ACK, 64, 1),
                result("10.0.0.9", 22, Reason.SYN_ACK, 64, 1),
                result("::1", 22, Reason.SYN_ACK, 64, 1));
        assertEquals(List.of("10.0.0.9", "10.0.0.10", "::1", "2001:db8::1"),
                lines(table(r), "synprobe scan report for ").stream().map(l -> l.substring(25)).toList());
    }

    @Test
    void onlyFilterHidesStatesButStillCountsThem() {
        List<PortResult> r = List.of(result(HOST, 22, Reason.SYN_ACK, 64, 87), result(HOST, 23, Reason.RESET, 64, 90),
                Fixtures.silent(HOST, 24), Fixtures.silent(HOST, 25));
        String out = table(new OutputOptions(Set.of(PortState.OPEN), Fixtures.BUILT_IN), r);
        assertEquals(List.of("Not shown: 2 filtered tcp ports (no-response), 1 closed tcp ports (reset); "
                + "hidden by state filter: closed, filtered"), lines(out, "Not shown"));
        assertEquals(2, portTable(out).size());
    }

    @Test
    void closeWithoutEndStillPrintsWhatWasFound() {
        List<PortResult> r = List.of(result(HOST, 22, Reason.SYN_ACK, 64, 87));
        String out = Fixtures.render(OutputFormat.TABLE, Fixtures.opts(), Fixtures.INFO, r, null);
        assertTrue(out.contains("22/tcp open  ssh "), out);
    }
}
