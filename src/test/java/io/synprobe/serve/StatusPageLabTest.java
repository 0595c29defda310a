package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page rendered by Debian's real headless Chromium: the DOM it builds lists every target with its state
 * and reason, and its screenshot is a real PNG (copied to doc/images/serve.png when SYNPROBE_UPDATE_DOCS=1).
 */
@Tag("privileged")
class StatusPageLabTest {
    static final String TARGET = ScanLab.v4(0);

    static List<String> chromium(Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    static String run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("chromium did not finish: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void chromiumRendersEveryTargetAndTakesTheScreenshot(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft", "chromium");
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, "interval: 250ms\ntimeout: 500ms\ntargets:\n"
                + "  - host: " + TARGET + "\n    ports: [22, 80, 81, 82, 83, 84]\n"
                + "  - \"[" + ScanLab.v6(0) + "]:22\"\n");
        try (ScanLab lab = ScanLab.start(1);
             ServeProcess serve = ServeProcess.start("--config", config.toString(), "--netns", lab.proberNetns())) {
            Thread.sleep(8000); // some history for the sparklines
            String dom = run(chromium(Files.createTempDirectory(dir, "profile"), "--dump-dom", serve.url("/")), dir.resolve("dom.log"));
            for (String expected : List.of(TARGET + ":22", TARGET + ":82", ScanLab.v6(0) + ":22", "syn-ack", "reset", "no-response",
                    "port-unreach", "admin-prohibited", "<svg", "<polyline")) {
                assertTrue(dom.contains(expected), "rendered page lacks " + expected + ":\n" + dom);
            }
            assertEquals(7, dom.split("<tr>", -1).length - 2, "one row per target:\n" + dom);
            assertTrue(!dom.contains("<script"), "no scripts");

            Path png = dir.resolve("serve.png");
            run(chromium(Files.createTempDirectory(dir, "profile"), "--hide-scrollbars", "--window-size=1180,420",
                    "--screenshot=" + png, serve.url("/")), dir.resolve("shot.log"));
            byte[] image = Files.readAllBytes(png);
            assertTrue(image.length > 10_000, "screenshot of " + image.length + " bytes");
            assertEquals("\u0089PNG", new String(image, 0, 4, StandardCharsets.ISO_8859_1));
            Path out = Path.of("target", "serve.png");
            Files.copy(png, out, StandardCopyOption.REPLACE_EXISTING);
            if ("1".equals(System.getenv("SYNPROBE_UPDATE_DOCS"))) {
                Files.copy(png, Path.of("doc", "images", "serve.png"), StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("screenshot: " + out.toAbsolutePath() + " (" + image.length + " bytes)");
        }
    }
}
