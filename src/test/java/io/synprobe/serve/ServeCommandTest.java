package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code synprobe serve} refusing to start, as a real process: exit code 2 and one line naming the problem. */
class ServeCommandTest {
    record Run(int exit, String stderr) {
    }

    static Run serve(Path dir, String... args) throws Exception {
        List<String> cmd = ServeProcess.command("serve");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve did not exit: " + err);
        }
        return new Run(p.exitValue(), err);
    }

    @Test
    @Timeout(60)
    void aConfigErrorIsRefusedAtStartWithItsLine(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "interval: 1s\ntargets:\n  - 127.0.0.1:22\n  - host: 127.0.0.1\n    ports: [80, 0]\n");
        Run r = serve(dir, "--config", cfg.toString(), "--listen", "127.0.0.1:0");
        assertEquals(2, r.exit(), r.stderr());
        assertEquals("synprobe serve: " + cfg + ":5: invalid port '0' (1-65535)\n", r.stderr());

        Run missing = serve(dir, "--config", dir.resolve("nope.yaml").toString(), "--listen", "127.0.0.1:0");
        assertEquals(2, missing.exit(), missing.stderr());
        assertTrue(missing.stderr().contains("no such config file") && missing.stderr().lines().count() == 1, missing.stderr());
    }

    @Test
    @Timeout(60)
    void withoutRawSocketPrivilegesItExitsThree(@TempDir Path dir) throws Exception {
        io.synprobe.lab.Privileged.require("setpriv");
        Path cfg = dir.resolve("ok.yaml");
        Files.writeString(cfg, "targets: [\"127.0.0.1:22\"]\n");
        List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw"));
        cmd.addAll(ServeProcess.command("serve", "--config", cfg.toString(), "--listen", "127.0.0.1:0"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), err);
        assertTrue(err.startsWith("synprobe serve: synprobe serve needs raw sockets (CAP_NET_RAW)"), err);
    }

    @Test
    @Timeout(60)
    void badListenAddressesAreUsageErrors(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("ok.yaml");
        Files.writeString(cfg, "targets: [\"127.0.0.1:22\"]\n");
        for (String listen : List.of("127.0.0.1", "127.0.0.1:99999", "[::1]x")) {
            Run r = serve(dir, "--config", cfg.toString(), "--listen", listen);
            assertEquals(2, r.exit(), listen + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("synprobe serve: invalid --listen '" + listen + "'") && r.stderr().lines().count() == 1,
                    r.stderr());
        }
    }

    /** --connect needs no raw sockets: a serve without CAP_NET_RAW still probes and answers /probe. */
    @Test
    @Timeout(60)
    void connectModeRunsWithoutRawSocketPrivileges(@TempDir Path dir) throws Exception {
        io.synprobe.lab.Privileged.require("setpriv");
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int open = listener.getLocalPort();
            Path cfg = dir.resolve("ok.yaml");
            Files.writeString(cfg, "interval: 200ms\ntargets: [\"127.0.0.1:" + open + "\", \"127.0.0.1:1\"]\n");
            List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw"));
            cmd.addAll(ServeProcess.command("serve", "--listen", "127.0.0.1:0", "--config", cfg.toString(), "--connect"));
            try (ServeProcess serve = ServeProcess.launch(cmd, java.util.Map.of())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String m = "";
                while (System.nanoTime() < deadline) {
                    m = serve.get("/metrics").body();
                    if (ServeProcess.sample(m, "synprobe_replies_total", "port=\"1\"") >= 2
                            && ServeProcess.sample(m, "synprobe_up", "port=\"" + open + "\"") == 1.0) break;
                    Thread.sleep(200);
                }
                assertEquals(1.0, ServeProcess.sample(m, "synprobe_up", "port=\"" + open + "\""), m);
                assertTrue(m.contains("port=\"1\",reason=\"conn-refused\",state=\"closed\""), m);
                ServeProcess.Response r = serve.get("/probe?target=127.0.0.1:" + open);
                assertEquals(1.0, ServeProcess.sample(r.body(), "probe_success", null), r.body());
            }
        }
    }
}
