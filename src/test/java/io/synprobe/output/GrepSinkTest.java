package io.synprobe.output;

import static io.synprobe.output.Fixtures.range;
import static io.synprobe.output.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrepSinkTest {
    private static final String HOST = "198.18.0.2";

    private static List<String> grep(List<PortResult> results) {
        return Fixtures.render(OutputFormat.GREP, Fixtures.opts(), results).lines().toList();
    }

    @Test
    void writesNmapGrepableLines() {
        List<PortResult> r = new ArrayList<>(range(HOST, 100, 129, Reason.RESET, 64, 10));
        r.add(Fixtures.silent(HOST, 80));
        r.add(result(HOST, 22, Reason.SYN_ACK, 64, 10));
        List<String> lines = grep(r);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("# synprobe 0\\.1\\.0 scan initiated \\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"
                + " as: synprobe scan -p 1-100 198\\.18\\.0\\.0/30"), lines.get(0));
        assertEquals(List.of("Host: 198.18.0.2 ()", "Status: Up"), Arrays.asList(lines.get(1).split("\t")));

        String[] fields = lines.get(2).split("\t");
        assertEquals(List.of("Host: 198.18.0.2 ()", "Ports: 22/open/tcp//ssh///, 80/filtered/tcp//http///",
                "Ignored State: closed (30)"), Arrays.asList(fields));
        String[] port = fields[1].substring("Ports: ".length()).split(", ")[0].split("/", -1);
        assertEquals(List.of("22", "open", "tcp", "", "ssh", "", "", ""), Arrays.asList(port));

        assertTrue(lines.get(3).matches("# synprobe done at .* -- 1 IP address \\(1 host up\\) scanned in 1\\.26 seconds"),
                lines.get(3));
    }

    @Test
    void namesNoIgnoredStateWhenSeveralAreFolded() {
        List<PortResult> r = new ArrayList<>(range(HOST, 1, 30, Reason.RESET, 64, 10));
        r.addAll(range(HOST, 31, 60, Reason.NO_RESPONSE, -1, -1));
        assertEquals("Host: 198.18.0.2 ()\tPorts: ", grep(r).get(2));
    }

    @Test
    void downHostsAreLeftOutUnlessAskedForAndArgumentsWithLineBreaksStayOnePerLine() {
        ScanInfo info = new ScanInfo(List.of("synprobe", "a\nb\tc"), Fixtures.START, 2, 1, "1", "syn", "0.1.0");
        List<PortResult> r = List.of(Fixtures.silent("10.0.0.1", 1), result("10.0.0.2", 1, Reason.RESET, 64, 5));
        List<String> lines = Fixtures.render(OutputFormat.GREP, Fixtures.opts(), info, r, Fixtures.summary(r))
                .lines().toList();
        assertTrue(lines.get(0).endsWith("as: synprobe a b c"), lines.get(0));
        assertEquals("Host: 10.0.0.2 ()\tStatus: Up", lines.get(1));
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(3).endsWith("-- 2 IP addresses (1 host up) scanned in 1.26 seconds"), lines.get(3));

        lines = Fixtures.render(OutputFormat.GREP, Fixtures.opts().withShowDown(true), info, r, Fixtures.summary(r))
                .lines().toList();
        assertEquals("Host: 10.0.0.1 ()\tStatus: Down", lines.get(1), "as nmap -v -oG: the status line only");
        assertEquals("Host: 10.0.0.2 ()\tStatus: Up", lines.get(2));
    }
}
