package io.synprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.ChildProcess;
import io.synprobe.lab.Privileged;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged product as a user runs it: scripts/synprobe and the shaded target/synprobe.jar (failsafe runs this
 * after package). The unit and lab tests run the classes before shading, so only this sees a broken manifest, a
 * dependency left out of the jar or a launcher script that no longer works.
 */
@Timeout(120)
class ShadedJarIT {
    static Path root, launcher, jar;

    @BeforeAll
    static void locate() {
        root = Path.of(System.getProperty("synprobe.root", ".")).toAbsolutePath();
        launcher = root.resolve("scripts/synprobe");
        jar = Path.of(System.getProperty("synprobe.jar", "target/synprobe.jar")).toAbsolutePath();
        assertTrue(Files.isExecutable(launcher), "launcher " + launcher);
        assertTrue(Files.isRegularFile(jar), "package built " + jar);
    }

    record Run(int exit, String out) {
    }

    /** scripts/synprobe with the arguments; it must run the jar as it is, not rebuild it. */
    static Run synprobe(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        try (ChildProcess p = ChildProcess.start(cmd, null, root, Map.of())) {
            int exit = p.waitFor(Duration.ofSeconds(60));
            String out = p.output();
            assertFalse(out.contains("building target/synprobe.jar"), "the launcher rebuilt a fresh jar: " + out);
            return new Run(exit, out);
        }
    }

    @Test
    void versionNamesTheRelease() {
        Run r = synprobe("--version");
        assertEquals(0, r.exit(), r.out());
        String version = System.getProperty("synprobe.version");
        assertTrue(r.out().startsWith("synprobe " + (version == null ? "" : version)), r.out());
        assertFalse(r.out().contains("synprobe dev"), "the jar's manifest carries the version: " + r.out());
    }

    @Test
    void loopbackScanFindsTheOpenPortAndTheClosedOne() throws Exception {
        Privileged.require();
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int closedPort = gone.getLocalPort();
            gone.close();
            Run r = synprobe("scan", "127.0.0.1", "-p", open.getLocalPort() + "," + closedPort, "-o", "csv", "-q");
            assertEquals(0, r.exit(), r.out());
            List<String> rows = r.out().lines().filter(l -> l.startsWith("127.0.0.1,")).sorted().toList();
            List<String> expected = new ArrayList<>(List.of("127.0.0.1," + open.getLocalPort() + ",tcp,open,syn-ack,",
                    "127.0.0.1," + closedPort + ",tcp,closed,reset,"));
            assertEquals(2, rows.size(), r.out());
            for (String row : rows) {
                assertTrue(expected.stream().anyMatch(row::startsWith), "unexpected row " + row + " in\n" + r.out());
            }
        }
    }

    @Test
    void aUsageErrorExitsTwoWithOneLineNamingTheBadToken() {
        Run r = synprobe("scan", "127.0.0.1", "-p", "99999");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("99999"), "the message names the bad token: " + r.out());
        assertFalse(r.out().contains("\tat ") || r.out().contains("Exception"), "no stack trace: " + r.out());
    }

    /** picocli is compiled from its sources at our release level: class-data sharing refuses its Java 5 classes. */
    @Test
    void picocliIsInTheJarOnceAtOurClassFileVersion() throws Exception {
        try (JarFile jf = new JarFile(jar.toFile())) {
            long copies = jf.stream().filter(e -> e.getName().endsWith("picocli/CommandLine.class")).count();
            assertEquals(1, copies, "copies of picocli/CommandLine.class");
            byte[] head;
            try (var in = jf.getInputStream(jf.getEntry("picocli/CommandLine.class"))) {
                head = in.readNBytes(8);
            }
            int major = (head[6] & 0xff) << 8 | head[7] & 0xff;
            assertTrue(major >= 61, "picocli.CommandLine class-file major version " + major + " (61 is Java 17)");
        }
    }
}
