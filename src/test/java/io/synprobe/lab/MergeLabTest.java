package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Three real shards of one scan, merged, report what one unsharded scan of the same targets reports, port for port,
 * in JSONL and in nmap XML; and merge refuses real shards that are missing, duplicated, interrupted or foreign.
 */
@Tag("privileged")
class MergeLabTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String[] scan(ScanLab lab, String ports, String... more) {
        return ResumeLabTest.concat(new String[]{"scan", "198.18.0.2-198.18.0.4", "2001:db8::2", "-p", ports, "--netns", lab.proberNetns(), "--retries", "1",
                "--initial-rtt-timeout", "300ms", "-o", "jsonl", "-q"}, more);
    }

    static void run(Path dir, int expectedExit, String... args) {
        try (ChildProcess p = ResumeLabTest.synprobe(dir, args)) {
            assertEquals(expectedExit, p.waitFor(Duration.ofSeconds(90)), String.join(" ", args) + ": " + p.output());
        }
    }

    /** ip:port -> "state reason" from a JSONL file (Jackson); fails on a port reported twice. */
    static Map<String, String> jsonlPorts(Path file) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (!n.get("type").asText().equals("port")) continue;
            String prev = out.put(n.get("ip").asText() + ":" + n.get("port").asInt(),
                    n.get("state").asText() + " " + n.get("reason").asText());
            assertEquals(null, prev, "reported twice: " + line);
        }
        return out;
    }

    static JsonNode last(Path jsonl) throws Exception {
        List<String> lines = Files.readAllLines(jsonl);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    /** ip:port -> "state reason" from nmap XML (JDK parser): listed ports plus the ports each extrareasons names. */
    static Map<String, String> xmlPorts(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Map<String, String> out = new TreeMap<>();
        NodeList hosts = doc.getElementsByTagName("host");
        for (int h = 0; h < hosts.getLength(); h++) {
            Element host = (Element) hosts.item(h);
            String ip = ((Element) host.getElementsByTagName("address").item(0)).getAttribute("addr");
            NodeList ports = host.getElementsByTagName("port");
            for (int i = 0; i < ports.getLength(); i++) {
                Element p = (Element) ports.item(i);
                Element state = (Element) p.getElementsByTagName("state").item(0);
                assertEquals(null, out.put(ip + ":" + p.getAttribute("portid"),
                        state.getAttribute("state") + " " + state.getAttribute("reason")));
            }
            NodeList extra = host.getElementsByTagName("extraports");
            for (int i = 0; i < extra.getLength(); i++) {
                Element e = (Element) extra.item(i);
                NodeList reasons = e.getElementsByTagName("extrareasons");
                for (int k = 0; k < reasons.getLength(); k++) {
                    Element r = (Element) reasons.item(k);
                    for (String part : r.getAttribute("ports").split(",")) {
                        String[] ab = part.split("-");
                        int a = Integer.parseInt(ab[0]), b = Integer.parseInt(ab[ab.length - 1]);
                        for (int port = a; port <= b; port++) {
                            assertEquals(null, out.put(ip + ":" + port, e.getAttribute("state") + " " + r.getAttribute("reason")));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    @Timeout(240)
    void mergedShardsEqualOneUnshardedScan(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(3)) {
            lab.listen(443, 1000);
            run(dir, 0, scan(lab, "1-1500", "--output", "whole.jsonl"));
            for (int i = 1; i <= 3; i++) run(dir, 0, scan(lab, "1-1500", "--seed", "7", "--shard", i + "/3", "--output", "s" + i + ".jsonl"));
            run(dir, 0, "merge", "s1.jsonl", "s2.jsonl", "s3.jsonl", "-o", "jsonl", "--output", "merged.jsonl");
            run(dir, 0, "merge", "s3.jsonl", "s1.jsonl", "s2.jsonl", "-o", "xml", "--output", "merged.xml", "-q");

            Map<String, String> whole = jsonlPorts(dir.resolve("whole.jsonl"));
            assertEquals(4 * 1500, whole.size());
            assertEquals(4 * 4, whole.values().stream().filter("open syn-ack"::equals).count(), "22, 80, 443 and 1000 on 4 hosts");
            Map<String, String> parts = new TreeMap<>();
            for (int i = 1; i <= 3; i++) {
                Map<String, String> s = jsonlPorts(dir.resolve("s" + i + ".jsonl"));
                assertTrue(s.size() > 1000 && s.size() < 3000, "shard " + i + " has about a third: " + s.size());
                parts.putAll(s);
            }
            assertEquals(whole, parts, "the shards together are the scan (the lab itself is deterministic)");

            assertEquals(whole, jsonlPorts(dir.resolve("merged.jsonl")));
            assertEquals(whole, xmlPorts(dir.resolve("merged.xml")));

            JsonNode w = last(dir.resolve("whole.jsonl")), m = last(dir.resolve("merged.jsonl"));
            for (String f : List.of("hosts", "hosts_up", "open", "closed", "filtered")) assertEquals(w.get(f), m.get(f), f);
            assertEquals(false, m.get("interrupted").asBoolean());
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("merged.xml").toFile());
            Element hosts = (Element) xml.getElementsByTagName("hosts").item(0);
            assertEquals("4", hosts.getAttribute("up"));
            assertEquals("4", hosts.getAttribute("total"));
        }
    }

    @Test
    @Timeout(240)
    void refusesMissingDuplicatedInterruptedAndForeignShards(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(3)) {
            String ports = "1-9000"; // 9000 probes per shard at 3000/s: long enough to interrupt on evidence
            run(dir, 0, scan(lab, ports, "--seed", "7", "--shard", "1/3", "--output", "s1.jsonl", "--rate", "3000"));
            run(dir, 0, scan(lab, ports, "--seed", "7", "--shard", "2/3", "--output", "s2.jsonl", "--rate", "3000"));
            run(dir, 0, scan(lab, ports, "--seed", "8", "--shard", "3/3", "--output", "other.jsonl", "--rate", "3000"));
            try (ChildProcess p = ResumeLabTest.synprobe(dir, scan(lab, ports, "--seed", "7", "--shard", "3/3", "--output",
                    "s3.jsonl", "--rate", "3000"))) {
                ResumeLabTest.awaitLineIn(dir.resolve("s3.jsonl"), l -> l.contains("\"type\":\"port\""), p, "a port record");
                p.signal("INT");
                assertEquals(ExitCodes.INTERRUPTED, p.waitFor(Duration.ofSeconds(30)), p.output());
            }
            assertTrue(Files.exists(dir.resolve("synprobe.resume")));

            assertRefused(dir, "shard 3/3 is missing", "s1.jsonl", "s2.jsonl");
            assertRefused(dir, "s2.jsonl and s2.jsonl are both shard 2/3", "s1.jsonl", "s2.jsonl", "s2.jsonl", "s3.jsonl");
            assertRefused(dir, "s3.jsonl: shard 3/3 was interrupted: finish it with 'synprobe scan --resume",
                    "s1.jsonl", "s2.jsonl", "s3.jsonl");
            assertRefused(dir, "other.jsonl: from another scan than s1.jsonl (seed 8 vs 7)", "s1.jsonl", "s2.jsonl", "other.jsonl");
            assertTrue(!Files.exists(dir.resolve("merged.xml")), "a refused merge writes nothing");

            // positive control: the interrupted shard, resumed as the message says, completes the set
            run(dir, 0, "scan", "--resume", "synprobe.resume", "-q");
            run(dir, 0, "merge", "s1.jsonl", "s2.jsonl", "s3.jsonl", "-o", "xml", "--output", "merged.xml", "-q");
            Map<String, String> merged = xmlPorts(dir.resolve("merged.xml"));
            assertEquals(4 * 9000, merged.size(), "every port of every host once");
            assertEquals(4 * 2, merged.values().stream().filter("open syn-ack"::equals).count(), "22 and 80 on 4 hosts");
        }
    }

    private static void assertRefused(Path dir, String message, String... files) {
        try (ChildProcess p = ResumeLabTest.synprobe(dir, ResumeLabTest.concat(new String[]{"merge"},
                ResumeLabTest.concat(files, "-o", "xml", "--output", "merged.xml")))) {
            assertEquals(ExitCodes.USAGE, p.waitFor(Duration.ofSeconds(30)), p.output());
            String out = p.output().strip();
            assertEquals(1, out.lines().count(), "one line: " + out);
            assertTrue(out.startsWith("synprobe merge: ") && out.contains(message), out);
        }
    }
}
