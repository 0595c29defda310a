package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
@org.junit.jupiter.api.Timeout(180)
class ResumeLabTest {
    static final Pattern PORT_LINE = Pattern.compile("\"type\":\"port\",\"ip\":\"([^\"]+)\",\"port\":(\\d+),\"proto\":\"tcp\",\"state\":\"([a-z]+)\"");

    static ChildProcess synprobe(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return ChildProcess.start(cmd, null, dir, Map.of());
    }

    /** Waits (bounded) until the file has a line the predicate accepts: the evidence that the scan is under way. */
    static void awaitLineIn(Path file, java.util.function.Predicate<String> wanted, ChildProcess p, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(wanted)) return;
            assertTrue(p.isAlive(), "synprobe ended before " + what + ": " + p.output());
            Thread.sleep(2);
        }
        p.kill();
        throw new AssertionError("no " + what + " within 60 s from " + p + ": " + p.output());
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

            try (ChildProcess whole = synprobe(dir, concat(scan, "--output", "whole.jsonl"))) {
                assertEquals(0, whole.waitFor(Duration.ofSeconds(60)), whole.output());
            }

            try (ChildProcess first = synprobe(dir, concat(scan, "--output", "parts.jsonl"))) {
                // Ctrl-C once the first result is out: the scan is under way, its handler is in place
                awaitLineIn(dir.resolve("parts.jsonl"), l -> l.contains("\"type\":\"port\""), first, "a port record");
                first.signal("INT");
                assertEquals(ExitCodes.INTERRUPTED, first.waitFor(Duration.ofSeconds(30)), first.output());
            }
            assertTrue(Files.exists(dir.resolve("synprobe.resume")), "a resume file is written");
            int before = ports(dir.resolve("parts.jsonl")).size();
            assertTrue(before > 0 && before < 60000, "interrupted part way: " + before);
            List<String> lines = Files.readAllLines(dir.resolve("parts.jsonl"));
            String last = lines.get(lines.size() - 1);
            assertTrue(last.contains("\"type\":\"summary\"") && last.contains("\"interrupted\":true"), last);

            try (ChildProcess rest = synprobe(dir, "scan", "--resume", "synprobe.resume")) {
                assertEquals(0, rest.waitFor(Duration.ofSeconds(60)), rest.output());
            }
            assertTrue(!Files.exists(dir.resolve("synprobe.resume")), "the resume file is removed once done");

            Map<String, String> whole1 = ports(dir.resolve("whole.jsonl"));
            Map<String, String> union = ports(dir.resolve("parts.jsonl"));
            assertEquals(60000, whole1.size());
            assertEquals(whole1, union);
            assertEquals(18, union.values().stream().filter("open"::equals).count(), "22, 80 and four more listeners on 3 hosts");
        }
    }

    /** Ctrl-C twice: the scan stops at once, and its XML is still a complete, parseable nmap document. */
    @Test
    void secondInterruptStopsAtOnceAndLeavesAParseableXmlFile(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(3)) {
            try (ChildProcess p = synprobe(dir, "scan", "198.18.0.2-198.18.0.4", "-p", "1-30000", "--netns",
                    lab.proberNetns(), "--rate", "10000", "-o", "xml", "--output", "scan.xml")) {
                // the first progress line (every 5 s on a pipe) proves the scan is under way
                p.awaitLine(l -> l.startsWith("synprobe: ") && l.contains("probes sent"), Duration.ofSeconds(60),
                        "a progress line");
                p.signal("INT");
                Thread.sleep(50);
                p.signal("INT");
                assertEquals(ExitCodes.INTERRUPTED, p.waitFor(Duration.ofSeconds(10)), "a second Ctrl-C stops at once: "
                        + p.output());
            }
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
