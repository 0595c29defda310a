package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe the prober's own kernel refuses (an nftables output rule in the prober's namespace) never reaches the
 * wire, so it must not be reported as the network's verdict: scan and ping report send-error with the errno, count
 * it, and take no RTT from it. tcpdump on the target's side of the link is the truth that nothing left, with the
 * allowed port's probes as the positive control.
 */
@Tag("privileged")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalRefusalLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OUTPUT_DROP = """
            table inet sp_local_refusal {
              chain out {
                type filter hook output priority 0; policy accept;
                tcp dport 7 drop
              }
            }
            """;

    static List<JsonNode> jsonl(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(JSON.readTree(line));
        return out;
    }

    /** Counts the TCP segments towards each port that tcpdump saw on the target's side while the action ran. */
    static int[] onTheWire(ScanLab lab, Path dir, Runnable action) throws Exception {
        Privileged.require("tcpdump");
        Path pcap = dir.resolve("wire.pcap");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.targetNetns(), "tcpdump", "-i", "any", "-nn", "-U", "-s", "512", "-B", "4096", "--immediate-mode",
                "-w", pcap.toString(), "tcp and (dst port 7 or dst port 22)").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream()));
            String banner = err.readLine();
            while (banner != null && !banner.contains("listening")) banner = err.readLine(); // "data link type ..." first
            assertTrue(banner != null, "tcpdump did not start");
            action.run();
            Thread.sleep(300);
        } finally {
            Shell.run(List.of("kill", "-INT", Long.toString(tcpdump.pid())), null, 10);
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) tcpdump.destroyForcibly();
        }
        int[] counts = new int[2];
        for (String line : Shell.check("tcpdump", "-nn", "-r", pcap.toString()).split("\n")) {
            if (line.matches(".*\\.7: .*")) counts[0]++;
            if (line.matches(".*\\.22: .*")) counts[1]++;
        }
        return counts;
    }

    static int cli(String... args) {
        return Main.execute(args);
    }

    @Test
    void scanAndPingReportRefusedProbesAsSendErrorsAndNothingLeaves(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(1)) {
            Shell.checkIn(OUTPUT_DROP, "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
            Path scan = dir.resolve("scan.jsonl"), ping = dir.resolve("ping.jsonl");
            int[] exits = new int[2];
            int[] wire = onTheWire(lab, dir, () -> {
                exits[0] = cli("scan", "198.18.0.2", "2001:db8::2", "-p", "7,22", "--netns", lab.proberNetns(), "-o", "jsonl",
                        "--output", scan.toString(), "-q");
                exits[1] = cli("ping", "198.18.0.2", "-p", "7", "-c", "3", "-i", "50ms", "-W", "200ms", "--netns",
                        lab.proberNetns(), "-o", "jsonl", "--output", ping.toString());
            });
            assertEquals(0, exits[0]);
            assertEquals(0, wire[0], "not one probe to port 7 reached the link");
            assertTrue(wire[1] >= 2, "the positive control: the probes to port 22 did (" + wire[1] + ")");

            List<JsonNode> records = jsonl(scan);
            int refused = 0;
            for (JsonNode r : records) {
                if (!r.path("type").asText().equals("port")) continue;
                if (r.path("port").asInt() == 7) {
                    refused++;
                    assertEquals("error", r.path("state").asText(), r.toString());
                    assertEquals("send-error", r.path("reason").asText(), r.toString());
                    assertEquals("EPERM", r.path("error").asText(), r.toString());
                    assertTrue(r.path("rtt_us").isMissingNode() || r.path("rtt_us").isNull(), "no RTT from a probe that never left: " + r);
                } else {
                    assertEquals("open", r.path("state").asText(), r.toString());
                }
            }
            assertEquals(2, refused, "IPv4 and IPv6");
            JsonNode summary = records.get(records.size() - 1);
            assertEquals(2, summary.path("send_errors").asInt(), summary.toString());
            assertEquals("EPERM", summary.path("first_send_error").asText());
            assertEquals(0, summary.path("filtered").asInt(), "a refused probe is not a filtered port");

            assertEquals(1, exits[1], "no ping probe was answered");
            long sendErrors = jsonl(ping).stream().filter(r -> r.toString().contains("send-error")).count();
            assertTrue(sendErrors >= 3, "every refused ping probe is reported as a send error: " + Files.readString(ping));
        }
    }
}
