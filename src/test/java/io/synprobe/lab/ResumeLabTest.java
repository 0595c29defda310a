package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of a scan, then --resume: together they report what one uninterrupted scan does. */
@Tag("privileged")
class ResumeLabTest {
    static final Pattern PORT_LINE = Pattern.compile("\"type\":\"port\",\"ip\":\"([^\"]+)\",\"port\":(\\d+),\"proto\":\"tcp\",\"state\":\"([a-z]+)\"");

    static Process synprobe(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log-" + System.nanoTime()).toFile()).start();
    }

    /** ip:port -> state; fails on a port reported twice. */
    static Map<String, String> ports(Path jsonl) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            Matcher m = PORT_LINE.matcher(line);
            if (!m.find()) continue;
            String prev = out.put(m.group(1) + ":" + m.group(2), m.group(3));
            assertEquals(null, prev, "reported twice: " + line);
        }
        return out;
    }

    @Test
    void interruptedAndResumedEqualsUninterrupted(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(3)) {
            lab.listen(1234, 4321, 9999, 15000);
            String[] scan = {"scan", "198.18.0.2-198.18.0.4", "-p", "1-20000", "--netns", lab.proberNetns(), "--rate", "20000",
                    "--initial-rtt-timeout", "300ms", "--retries", "1", "-o", "jsonl", "-q"};

            Process whole = synprobe(dir, concat(scan, "--output", "whole.jsonl"));
            assertTrue(whole.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, whole.exitValue());

            Process first = synprobe(dir, concat(scan, "--output", "parts.jsonl"));
            Thread.sleep(1200);
            signal(first, "INT"); // Ctrl-C
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            assertEquals(ExitCodes.INTERRUPTED, first.exitValue());
            assertTrue(Files.exists(dir.resolve("synprobe.resume")), "a resume file is written");
            int before = ports(dir.resolve("parts.jsonl")).size();
            assertTrue(before > 0 && before < 60000, "interrupted part way: " + before);
            List<String> lines = Files.readAllLines(dir.resolve("parts.jsonl"));
            String last = lines.get(lines.size() - 1);
            assertTrue(last.contains("\"type\":\"summary\"") && last.contains("\"interrupted\":true"), last);

            Process rest = synprobe(dir, "scan", "--resume", "synprobe.resume");
            assertTrue(rest.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, rest.exitValue());
            assertTrue(!Files.exists(dir.resolve("synprobe.resume")), "the resume file is removed once done");

            Map<String, String> whole1 = ports(dir.resolve("whole.jsonl"));
            Map<String, String> union = ports(dir.resolve("parts.jsonl"));
            assertEquals(60000, whole1.size());
            assertEquals(whole1, union);
            assertEquals(18, union.values().stream().filter("open"::equals).count(), "22, 80 and four more listeners on 3 hosts");
        }
    }

    static void signal(Process p, String name) {
        Shell.check("kill", "-" + name, Long.toString(p.pid()));
    }

    /** Ctrl-C twice: the scan stops at once, and its XML is still a complete, parseable nmap document. */
    @Test
    void secondInterruptStopsAtOnceAndLeavesAParseableXmlFile(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(3)) {
            Process p = synprobe(dir, "scan", "198.18.0.2-198.18.0.4", "-p", "1-30000", "--netns", lab.proberNetns(),
                    "--rate", "10000", "-o", "xml", "--output", "scan.xml", "-q");
            Thread.sleep(1500);
            signal(p, "INT");
            Thread.sleep(50);
            signal(p, "INT");
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a second Ctrl-C stops at once");
            assertEquals(ExitCodes.INTERRUPTED, p.exitValue());
            org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(dir.resolve("scan.xml").toFile());
            assertEquals("nmaprun", doc.getDocumentElement().getTagName());
            org.w3c.dom.Element finished = (org.w3c.dom.Element) doc.getElementsByTagName("finished").item(0);
            assertEquals("error", finished.getAttribute("exit"));
            assertTrue(doc.getElementsByTagName("host").getLength() > 0, "the hosts scanned so far are in the file");
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
