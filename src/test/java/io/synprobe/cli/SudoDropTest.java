package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.Shell;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Started through sudo (root with SUDO_UID/SUDO_GID), synprobe gives up root once per process, after every raw
 * socket the command needs is open: a check file with several checks runs them all, and trace writes its output
 * as the invoking user. On loopback only; the user is nobody (65534).
 */
@Tag("privileged")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SudoDropTest {
    @BeforeAll
    static void classpath() throws Exception {
        Privileged.require("stat");
        UnprivilegedTest.copyClasspath();
    }

    @org.junit.jupiter.api.AfterAll
    static void cleanup() {
        UnprivilegedTest.cleanup();
    }

    static Shell.Result asSudo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "SUDO_UID=65534", "SUDO_GID=65534",
                io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-cp", UnprivilegedTest.classpath,
                "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return Shell.run(cmd, null, 60);
    }

    @Test
    void everyCheckOfAFileRunsAfterTheDrop() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int closed;
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            Path dir = UnprivilegedTest.writableDir();
            Path file = dir.resolve("two-checks.yaml");
            Files.writeString(file, """
                    checks:
                      - name: the listener answers
                        target: 127.0.0.1
                        ports: %d
                        expect: open
                      - name: the closed port refuses
                        target: 127.0.0.1
                        ports: %d
                        expect: closed
                    """.formatted(open.getLocalPort(), closed));
            Shell.check("chmod", "a+r", file.toString());
            Shell.Result r = asSudo("check", file.toString());
            assertEquals(0, r.exit(), r.out());
            assertEquals(2, r.out().lines().filter(l -> l.startsWith("PASS")).count(), r.out());
        }
    }

    @Test
    void traceWritesItsOutputAsTheInvokingUser() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path out = UnprivilegedTest.writableDir().resolve("trace.txt");
            Shell.Result r = asSudo("trace", "127.0.0.1", "-p", Integer.toString(open.getLocalPort()), "-m", "2", "-q", "1",
                    "-W", "300ms", "--output", out.toString());
            assertEquals(0, r.exit(), r.out());
            assertEquals("65534", Shell.check("stat", "-c", "%u", out.toString()).trim(), "owned by the sudo user");
            assertTrue(Files.readString(out).contains("127.0.0.1"), Files.readString(out));
        }
    }
}
