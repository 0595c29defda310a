package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.LinkLab;
import io.synprobe.lab.Privileged;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One target over the delay link (2 ms each way), measured three ways: tcpdump's wire RTT (SYN out to SYN-ACK in,
 * on the prober's side of the link), synprobe serve's /probe, and Debian's prometheus-blackbox-exporter with a tcp
 * module. synprobe's handshake RTT must be within 20 us of the wire's (medians); blackbox's probe_duration_seconds
 * is printed beside them.
 */
@Tag("privileged")
class BlackboxSideBySideTest {
    static final int PORT = 8080;
    static final int SAMPLES = 40;
    static final long DELAY_US = 2000;
    private static final Pattern WIRE = Pattern.compile("^(\\d+\\.\\d+) IP6? (\\S+) > (\\S+): Flags \\[(S\\.?)\\]");

    /** Handshake times on the wire in microseconds: each SYN paired with the SYN-ACK to its source port. */
    static List<Double> wireRttsUs(Path capture) throws IOException {
        Map<String, Double> synAt = new HashMap<>();
        List<Double> rtts = new ArrayList<>();
        for (String l : Files.readAllLines(capture)) {
            Matcher m = WIRE.matcher(l);
            if (!m.find()) continue;
            double t = Double.parseDouble(m.group(1)) * 1e6;
            if (m.group(4).equals("S")) {
                synAt.put(m.group(2), t);
            } else {
                Double sent = synAt.remove(m.group(3));
                if (sent != null) rtts.add(t - sent);
            }
        }
        return rtts;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Runs {@code samples} of one tool while tcpdump records the wire; returns (tool's values, wire RTTs). */
    static List<List<Double>> underTcpdump(LinkLab lab, Path dir, String name, Supplier<Double> sample) throws Exception {
        Path capture = dir.resolve(name + ".txt");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.proberNetns(), "tcpdump", "-i", LinkLab.PROBER_DEV,
                "-n", "-tt", "--time-stamp-precision=nano", "-U", "-l", "tcp port " + PORT)
                .redirectOutput(capture.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream()));
            String banner = "";
            for (int i = 0; i < 5 && banner != null && !banner.contains("listening"); i++) banner = err.readLine();
            assertTrue(banner != null && banner.contains("listening"), "tcpdump did not start: " + banner);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                values.add(sample.get());
                Thread.sleep(30);
            }
            Thread.sleep(300);
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
            return List.of(values, wireRttsUs(capture));
        } finally {
            tcpdump.destroyForcibly();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void synprobeMatchesTheWireAndBlackboxIsPrintedBesideIt(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "tcpdump", "curl", "prometheus-blackbox-exporter");
        LinkLab.assumePrivileged();
        Path serveConfig = dir.resolve("serve.yaml");
        Files.writeString(serveConfig, "targets:\n  - " + LinkLab.TARGET_V4 + ":" + (PORT + 1) + "\n"); // not on the captured port
        Path bbConfig = dir.resolve("blackbox.yml");
        Files.writeString(bbConfig, "modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n    tcp:\n      preferred_ip_protocol: ip4\n");
        String target = LinkLab.TARGET_V4 + ":" + PORT;
        try (LinkLab lab = LinkLab.start(DELAY_US, 0, 1);
             LinkLab.Listener l = lab.startListener(PORT);
             ServeProcess serve = ServeProcess.start("--config", serveConfig.toString(), "--netns", lab.proberNetns())) {
            int bbPort = PrometheusServer.freePort();
            // blackbox runs inside the prober namespace (its sockets must be there); it is scraped with curl from there too
            Process bb = new ProcessBuilder("ip", "netns", "exec", lab.proberNetns(), "prometheus-blackbox-exporter",
                    "--config.file=" + bbConfig, "--web.listen-address=127.0.0.1:" + bbPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("blackbox.log").toFile()).start();
            try {
                String bbUrl = "http://127.0.0.1:" + bbPort + "/probe?module=tcp_connect&target=" + target;
                Supplier<String> blackbox = () -> {
                    try {
                        LinkLab.ExecResult r = lab.execWithTimeout(Duration.ofSeconds(20), lab.proberNetns(), "curl", "-sf", bbUrl);
                        return r.exitCode() == 0 ? r.stdout() : "";
                    } catch (IOException e) {
                        return "";
                    }
                };
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (blackbox.get().isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
                Supplier<Double> synprobeSample = () -> {
                    try {
                        ServeProcess.Response r = serve.get("/probe?target=" + target);
                        assertEquals(200, r.status(), r.body());
                        assertEquals(1.0, ServeProcess.sample(r.body(), "probe_success", null), r.body());
                        return ServeProcess.sample(r.body(), "synprobe_handshake_rtt_seconds", "stat=\"avg\"") * 1e6;
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                };
                Supplier<Double> blackboxSample = () -> {
                    String body = blackbox.get();
                    assertEquals(1.0, ServeProcess.sample(body, "probe_success", null), "blackbox: " + body);
                    return ServeProcess.sample(body, "probe_duration_seconds", null) * 1e6;
                };
                for (int i = 0; i < 5; i++) { // warm-up: JIT, route caches
                    synprobeSample.get();
                    blackboxSample.get();
                }
                List<List<Double>> sp = underTcpdump(lab, dir, "synprobe", synprobeSample);
                List<List<Double>> bx = underTcpdump(lab, dir, "blackbox", blackboxSample);
                assertEquals(SAMPLES, sp.get(1).size(), "one handshake on the wire per /probe");
                assertEquals(SAMPLES, bx.get(1).size(), "one handshake on the wire per blackbox probe");
                double wire = median(sp.get(1)), synprobe = median(sp.get(0));
                double bbWire = median(bx.get(1)), bbDuration = median(bx.get(0));
                System.out.printf("side by side, %d us each way, %d probes each (medians): wire %.1f us; synprobe /probe %.1f us"
                                + " (%+.1f us); wire during blackbox %.1f us; blackbox probe_duration_seconds %.1f us (%+.1f us)%n",
                        DELAY_US, SAMPLES, wire, synprobe, synprobe - wire, bbWire, bbDuration, bbDuration - bbWire);
                assertTrue(wire >= 2 * DELAY_US && wire < 2 * DELAY_US + 1000, "the link delays as configured: " + wire);
                // tcpdump's capture points lie outside the kernel's stamps: its send tap runs before the qdisc and the
                // TUN driver (where the transmit stamp is taken), its receive tap after the backlog softirq (the
                // receive stamp is taken when the packet is queued). So the wire may read longer than synprobe, more so
                // on an idle machine whose softirq wakes late (-7 to -11 us at load 11, -27 us idle); synprobe must
                // never read longer than the wire
                assertTrue(synprobe - wire <= 20 && wire - synprobe <= 50, "synprobe " + synprobe + " us vs wire " + wire + " us");
                assertTrue(bbDuration >= bbWire, "blackbox times at least the handshake: " + bbDuration + " vs " + bbWire);
            } finally {
                bb.destroy();
                if (!bb.waitFor(5, TimeUnit.SECONDS)) bb.destroyForcibly();
            }
        }
    }
}
