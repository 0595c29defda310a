package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.ChildProcess;
import io.synprobe.lab.Privileged;
import io.synprobe.lab.Shell;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** synprobe run as an ordinary user with every capability cleared (setpriv), on loopback. */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(180)
class UnprivilegedTest {
    static Path dir;
    static String classpath;

    /** A world-readable copy of the class path: the test's own may live under /root. */
    @BeforeAll
    static void copyClasspath() throws IOException {
        Privileged.require("setpriv");
        dir = Files.createTempDirectory("synprobe-cp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src) || src.toString().contains("test-classes")) continue;
            Path dst = dir.resolve((i++) + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> walk = Files.walk(src)) {
                    for (Path p : walk.toList()) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        Shell.check("chmod", "-R", "a+rX", dir.toString());
        classpath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void cleanup() {
        if (dir != null) Shell.run(List.of("rm", "-rf", dir.toString()), null, 30);
    }

    static Shell.Result asNobody(String... args) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all",
                io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-cp", classpath, "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd, null, 60);
    }

    /** A directory the unprivileged user may write to, so only the missing privilege stops the output file. */
    static Path writableDir() throws IOException {
        Path d = Files.createTempDirectory(dir, "out");
        Shell.check("chmod", "777", d.toString());
        return d;
    }

    @Test
    void aRawScanWithoutCapNetRawExitsThreeAndSaysHowToGrantIt() throws IOException {
        Path out = writableDir().resolve("scan.xml");
        Shell.Result r = asNobody("scan", "127.0.0.1", "-p", "1-10", "-o", "xml", "--output", out.toString());
        assertEquals(ExitCodes.PRIVILEGES, r.exit(), r.out());
        assertTrue(r.out().contains("CAP_NET_RAW") && r.out().contains("setcap cap_net_raw+ep") && r.out().contains("--connect"), r.out());
        assertTrue(!Files.exists(out), "nothing is half-written");
    }

    @Test
    void aPingWithoutCapNetRawExitsThree() throws IOException {
        Path out = writableDir().resolve("ping.jsonl");
        Shell.Result r = asNobody("ping", "127.0.0.1", "-p", "22", "-c", "1", "-o", "jsonl", "--output", out.toString());
        assertEquals(ExitCodes.PRIVILEGES, r.exit(), r.out());
        assertTrue(!Files.exists(out), "nothing is half-written");
    }

    @Test
    void connectScanGivesCorrectStatesWithoutPrivileges() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int closedPort = gone.getLocalPort();
            gone.close();
            Shell.Result r = asNobody("scan", "127.0.0.1", "-p", open.getLocalPort() + "," + closedPort, "--connect", "-o", "csv", "-q");
            assertEquals(0, r.exit(), r.out());
            assertTrue(r.out().contains("127.0.0.1," + open.getLocalPort() + ",tcp,open,syn-ack"), r.out());
            assertTrue(r.out().contains("127.0.0.1," + closedPort + ",tcp,closed,conn-refused"), r.out());
        }
    }

    @Test
    void connectPingMeasuresWithoutPrivileges() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Shell.Result r = asNobody("ping", "127.0.0.1", "-p", String.valueOf(open.getLocalPort()), "--connect", "-c", "3",
                    "-i", "50ms", "-o", "jsonl");
            assertEquals(0, r.exit(), r.out());
            assertEquals(3, r.out().lines().filter(l -> l.contains("\"type\":\"probe\"") && l.contains("\"state\":\"open\"")).count(), r.out());
            assertTrue(r.out().contains("\"type\":\"summary\"") && r.out().contains("\"received\":3"), r.out());
        }
    }

    @Test
    void startedThroughSudoItDropsToTheInvokingUserOnceTheSocketsAreOpen() throws Exception {
        Path out = writableDir();
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<String> cmd = List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-cp",
                    classpath, "io.synprobe.cli.Main", "scan", "127.0.0.1", "-p", String.valueOf(open.getLocalPort()), "-o",
                    "csv", "--output", out.resolve("scan.csv").toString(), "-q");
            try (ChildProcess p = ChildProcess.start(cmd, null, null, Map.of("SUDO_UID", "65534", "SUDO_GID", "65534"))) {
                assertEquals(0, p.waitFor(Duration.ofSeconds(60)), p.output());
            }
            assertEquals(65534, Files.getAttribute(out.resolve("scan.csv"), "unix:uid"), "the output belongs to the sudo user");
            assertTrue(Files.readString(out.resolve("scan.csv")).contains("127.0.0.1," + open.getLocalPort() + ",tcp,open,syn-ack"));
        }
    }
}
