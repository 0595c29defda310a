package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.cli.ExitCodes;
import io.synprobe.testutil.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan whose output outgrows a small heap stops like Ctrl-C instead of dying of an OutOfMemoryError: exit 5,
 * one line saying so, a complete and parseable XML file, and a resume file a larger heap continues from. The
 * targets are 127.0.0.0/14 in a fresh namespace that has nothing but its loopback (no route out): every address
 * answers with a RST, and the XML output keeps every answering host until the end.
 */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(240)
class MemoryStopLabTest {
    static List<String> synprobe(String heap, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Jvm.JAVA, Jvm.NATIVE_ACCESS, heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void aHeapThatRunsShortStopsTheScanLikeCtrlC(@TempDir Path dir) throws Exception {
        Privileged.require("ip");
        String ns = "spoom" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        Shell.check("ip", "netns", "add", ns);
        try {
            Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
            Path xml = dir.resolve("scan.xml"), resume = dir.resolve("scan.resume");
            Shell.Result first = Shell.run(synprobe("-Xmx40m", "scan", "127.0.0.0/14", "-p", "80", "--netns", ns,
                    "--retries", "0", "-o", "xml", "--output", xml.toString(), "--resume-file", resume.toString()), null, 120);
            assertEquals(ExitCodes.MEMORY, first.exit(), first.out());
            List<String> lines = first.out().strip().lines().filter(l -> l.contains("heap ran short")).toList();
            assertEquals(1, lines.size(), first.out());
            assertFalse(first.out().contains("OutOfMemoryError") || first.out().contains("\tat "), "no stack trace: " + first.out());

            org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
            assertEquals("nmaprun", doc.getDocumentElement().getTagName());
            int hosts = doc.getElementsByTagName("host").getLength();
            assertTrue(hosts > 1000 && hosts < 262_144, "stopped part way, with the hosts so far in the file: " + hosts);

            assertTrue(Files.exists(resume), "a resume file is written");
            long position = Files.readAllLines(resume).stream().filter(l -> l.startsWith("position "))
                    .mapToLong(l -> Long.parseLong(l.substring(9))).findFirst().orElse(-1);
            assertTrue(position > 0 && position < 262_144, "the resume point is part way: " + position);

            // the positive control: with room enough the same scan continues from there and finishes
            Shell.Result rest = Shell.run(synprobe("-Xmx400m", "scan", "--resume", resume.toString(), "-q"), null, 120);
            assertEquals(ExitCodes.OK, rest.exit(), rest.out());
            assertFalse(Files.exists(resume), "the resume file is removed once done");
        } finally {
            Shell.run(List.of("ip", "netns", "del", ns), null, 30);
        }
    }
}
