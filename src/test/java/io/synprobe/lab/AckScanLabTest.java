package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACK scan (--scan-type ack) against the scan lab plus a stateful firewall rule that drops ACKs opening no
 * connection on some ports: synprobe's unfiltered/filtered states and reasons equal nmap -sA --reason's, port for
 * port, on IPv4 and IPv6.
 */
@Tag("privileged")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AckScanLabTest {
    static final String STATEFUL = """
            table inet sp_stateful {
              chain input {
                type filter hook input priority -10; policy accept;
                tcp dport { 22, 443, 8080 } ct state new tcp flags & (syn | ack) == ack drop
              }
            }
            """;
    static final String PORTS = "22,23,80,81,82,83,84,85,86,87,443,8080";

    @Test
    void ackScanStatesEqualNmapsOnBothFamilies(@TempDir Path dir) throws Exception {
        Privileged.require("nmap");
        try (ScanLab lab = ScanLab.start(2)) {
            Shell.checkIn(STATEFUL, "ip", "netns", "exec", lab.targetNetns(), "nft", "-f", "-");
            for (boolean v6 : new boolean[] {false, true}) {
                String ours = v6 ? "2001:db8::2-2001:db8::3" : "198.18.0.2-198.18.0.3";
                List<String> nmapCmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.proberNetns(), "nmap", "-sA", "-n",
                        "-Pn", "--reason", "--max-retries", "1", "-p", PORTS, "-oX", "-"));
                if (v6) nmapCmd.addAll(List.of("-6", "2001:db8::2", "2001:db8::3"));
                else nmapCmd.add("198.18.0.2-3");
                Shell.Result n = Shell.run(nmapCmd, null, 120);
                assertEquals(0, n.exit(), n.out());
                Map<String, String> nmap = ScanLabTest.nmapStates(n.out());
                nmap.replaceAll((k, v) -> v.equals("filtered no-route") ? "filtered net-unreach" : v);

                Path out = dir.resolve("ack" + (v6 ? 6 : 4) + ".jsonl");
                assertEquals(0, Main.execute("scan", ours, "-p", PORTS, "--scan-type", "ack", "--retries", "1",
                        "--initial-rtt-timeout", "300ms", "--netns", lab.proberNetns(), "-o", "jsonl", "--output", out.toString(), "-q"));
                Map<String, String> mine = new TreeMap<>();
                ObjectMapper json = new ObjectMapper();
                for (String line : Files.readAllLines(out)) {
                    JsonNode r = json.readTree(line);
                    if (!r.path("type").asText().equals("port")) continue;
                    mine.put(ScanLabTest.canonical(r.path("ip").asText()) + ":" + r.path("port").asInt(),
                            r.path("state").asText() + " " + r.path("reason").asText());
                }
                assertEquals(24, nmap.size(), "nmap reported every port: " + nmap);
                assertEquals(nmap, mine, v6 ? "IPv6" : "IPv4");
                // the stateful rule and the drop make ports filtered; a RST (even from a reject rule) unfiltered
                assertEquals("filtered no-response", mine.get((v6 ? "2001:db8:0:0:0:0:0:2" : "198.18.0.2") + ":22"));
                assertEquals("unfiltered reset", mine.get((v6 ? "2001:db8:0:0:0:0:0:2" : "198.18.0.2") + ":23"));
            }
        }
    }
}
