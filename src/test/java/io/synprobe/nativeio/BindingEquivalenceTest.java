package io.synprobe.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One loopback scan through each binding, each in its own JVM (jnr-ffi on the test's JDK, FFM on a JDK 22+):
 * the JSON Lines results are the same set, and both match the kernel's truth (ports this test listens on are
 * open/syn-ack, ports it bound and closed again are closed/reset). Where no JDK 22+ is installed, or the build
 * left the FFM classes out, the forced FFM run must fail with exit code 4 and one line saying so.
 */
@Tag("privileged")
@Timeout(180)
class BindingEquivalenceTest {
    record Outcome(int exit, String out, String err) {
    }

    @Test
    void aScanGivesIdenticalResultsThroughBothBindings() throws Exception {
        Privileged.require();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        List<ServerSocket> listening = new ArrayList<>();
        Set<String> truth = new TreeSet<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                ServerSocket s = new ServerSocket(0, 50, lo);
                listening.add(s);
                ports.add(s.getLocalPort());
                truth.add("127.0.0.1 " + s.getLocalPort() + " open syn-ack 64");
            }
            for (int i = 0; i < 20; i++) {
                try (ServerSocket s = new ServerSocket(0, 50, lo)) {
                    if (ports.contains(s.getLocalPort())) continue;
                    ports.add(s.getLocalPort());
                    truth.add("127.0.0.1 " + s.getLocalPort() + " closed reset 64");
                }
            }
            String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));

            Path jnrJava = javaOfThisJvm();
            Outcome jnr = scan(jnrJava, "jnr", portList);
            assertEquals(0, jnr.exit, jnr.err);
            assertEquals(truth, results(jnr.out), "jnr-ffi scan against the kernel's truth");
            assertTrue(version(jnrJava, "jnr").contains("native binding: jnr (jnr-ffi)"));

            Optional<Path> ffmJava = javaWithFfm();
            if (ffmJava.isEmpty()) {
                Outcome refused = scan(jnrJava, "ffm", portList);
                assertEquals(4, refused.exit, refused.err);
                assertEquals("synprobe scan: -Dsynprobe.binding=ffm needs Java 22 or newer, and this is Java "
                        + Runtime.version().feature() + " (use -Dsynprobe.binding=jnr, or run on a newer JDK)",
                        refused.err.strip(), "no JDK 22+ installed: forcing FFM is refused in one line");
                System.out.println("no JDK 22+ installed: only the jnr-ffi binding could be compared with the kernel");
                return;
            }
            if (!NativeBinding.ffmBuilt()) {
                Outcome refused = scan(ffmJava.get(), "ffm", portList);
                assertEquals(4, refused.exit, refused.err);
                assertTrue(refused.err.strip().startsWith("synprobe scan: -Dsynprobe.binding=ffm: this synprobe was built"
                        + " without the FFM binding"), refused.err);
                System.out.println("built without the FFM binding: only jnr-ffi could be compared with the kernel");
                return;
            }
            Outcome ffm = scan(ffmJava.get(), "ffm", portList);
            assertEquals(0, ffm.exit, ffm.err);
            assertTrue(version(ffmJava.get(), "ffm").contains("native binding: ffm (Java Foreign Function"));
            assertEquals(results(jnr.out), results(ffm.out), "the same results through jnr-ffi and FFM");
            assertTrue(!ffm.err.contains("WARNING"), "no native-access warning on " + ffmJava.get() + ": " + ffm.err);
        } finally {
            for (ServerSocket s : listening) s.close();
        }
    }

    /**
     * Every state and reason the lab makes (listeners, RST, drop, the ICMP rejects of both families) through both
     * bindings: the same result set, with the lab's open ports open.
     */
    @Test
    void aLabScanGivesIdenticalStatesAndReasonsThroughBothBindings() throws Exception {
        Privileged.require("ip", "nft");
        Optional<Path> ffmJava = javaWithFfm();
        if (ffmJava.isEmpty() || !NativeBinding.ffmBuilt()) {
            System.out.println("no FFM binding to compare: the first test checks the refusal");
            return;
        }
        try (ScanLab lab = ScanLab.start(2)) {
            lab.listen(1234);
            String[] scan = {"scan", ScanLab.v4(0), ScanLab.v4(1), ScanLab.v6(0), "-p", "20-100,1234", "--netns",
                    lab.proberNetns(), "--initial-rtt-timeout", "300ms", "-o", "jsonl", "-q"};
            Outcome jnr = run(javaOfThisJvm(), "jnr", scan);
            Outcome ffm = run(ffmJava.get(), "ffm", scan);
            assertEquals(0, jnr.exit, jnr.err);
            assertEquals(0, ffm.exit, ffm.err);
            Set<String> a = results(jnr.out), b = results(ffm.out);
            assertEquals(3 * 82, a.size(), "every address x port once");
            assertEquals(a, b, "the same states, reasons and TTLs through jnr-ffi and FFM");
            for (String reason : new String[] {"syn-ack", "reset", "no-response", "port-unreach", "admin-prohibited"}) {
                assertTrue(a.stream().anyMatch(r -> r.contains(" " + reason + " ")), "the lab produced " + reason + ": " + a);
            }
        }
    }

    static Set<String> results(String jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> out = new TreeSet<>();
        for (String line : jsonl.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = json.readTree(line);
            if (!n.path("type").asText().equals("port")) continue;
            out.add(n.path("ip").asText() + " " + n.path("port").asInt() + " " + n.path("state").asText() + " " + n.path("reason").asText() + " "
                    + n.path("ttl").asInt());
        }
        return out;
    }

    static Outcome scan(Path java, String binding, String ports) throws Exception {
        return run(java, binding, "scan", "127.0.0.1", "-p", ports, "-o", "jsonl", "-q");
    }

    static String version(Path java, String binding) throws Exception {
        Outcome o = run(java, binding, "--version");
        assertEquals(0, o.exit, o.err);
        return o.out;
    }

    static Outcome run(Path java, String binding, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-D" + NativeBinding.PROPERTY + "=" + binding, "-cp", testClassPath(), "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("binding-", ".out"), err = Files.createTempFile("binding-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("synprobe did not finish in 60 s: " + cmd);
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Surefire runs tests from a manifest-only jar; the real class path (with META-INF/versions/22) is here. */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static Path javaOfThisJvm() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** This JVM when it is 22+, else the newest JDK 22+ under /usr/lib/jvm. */
    static Optional<Path> javaWithFfm() throws IOException {
        if (Runtime.version().feature() >= 22) return Optional.of(javaOfThisJvm());
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        Path best = null;
        int bestVersion = 21;
        try (var dirs = Files.list(jvms)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Path java = d.resolve("bin/java"), release = d.resolve("release");
                if (!Files.isExecutable(java) || !Files.isReadable(release)) continue;
                for (String line : Files.readAllLines(release)) {
                    if (!line.startsWith("JAVA_VERSION=\"")) continue;
                    String v = line.substring("JAVA_VERSION=\"".length()).split("[.\"]")[0];
                    int feature = Integer.parseInt(v);
                    if (feature > bestVersion) {
                        bestVersion = feature;
                        best = java;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
