package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synprobe serve} probing from a lab namespace (ScanLab: 22 open, 81 closed, 82 dropped), with its HTTP
 * server on the root namespace's 127.0.0.1, scraped by Debian's real Prometheus.
 */
@Tag("privileged")
class ServeLabTest {
    static final String TARGET = ScanLab.v4(0);

    static Path config(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    static String basicConfig() {
        return "interval: 200ms\ntimeout: 500ms\nprobe_allow: [198.18.0.0/24]\ntargets:\n"
                + "  - " + TARGET + ":22\n  - " + TARGET + ":81\n  - " + TARGET + ":82\n"
                + "  - host: " + TARGET + "\n    ports: [80]\n    interval: 500ms\n";
    }

    /** label value of {@code key} -> sample value, for every series of the query. */
    static Map<String, Double> by(List<PrometheusServer.Series> series, String key) {
        return series.stream().collect(Collectors.toMap(s -> s.labels().get(key), PrometheusServer.Series::value, (a, b) -> a, TreeMap::new));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void prometheusScrapesTheSeriesWithTheirLabelsAndRates(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft", "prometheus");
        try (ScanLab lab = ScanLab.start(1);
             ServeProcess serve = ServeProcess.start("--config", config(dir, basicConfig()).toString(), "--netns", lab.proberNetns());
             PrometheusServer prom = PrometheusServer.start("  - job_name: synprobe\n    static_configs:\n"
                     + "      - targets: ['127.0.0.1:" + serve.port() + "']\n"
                     // blackbox_exporter's relabelling recipe, unchanged but for the address and module
                     + "  - job_name: synprobe_probe\n    metrics_path: /probe\n    params:\n      count: ['3']\n"
                     + "    static_configs:\n      - targets: ['" + TARGET + ":22', '" + TARGET + ":81', '" + TARGET + ":82']\n"
                     + "    relabel_configs:\n      - source_labels: [__address__]\n        target_label: __param_target\n"
                     + "      - source_labels: [__param_target]\n        target_label: instance\n"
                     + "      - target_label: __address__\n        replacement: 127.0.0.1:" + serve.port() + "\n")) {
            // two scrapes at least, and a rate window of 10 s filled
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<PrometheusServer.Series> samples = List.of();
            while (System.nanoTime() < deadline) {
                samples = prom.query("count_over_time(synprobe_probes_sent_total{port=\"22\"}[1m])");
                if (!samples.isEmpty() && samples.get(0).value() >= 13) break;
                Thread.sleep(500);
            }
            assertFalse(samples.isEmpty(), "no series scraped; prometheus log: " + prom.log());
            assertTrue(samples.get(0).value() >= 13, "scrapes: " + samples);

            assertEquals(Map.of("synprobe", 1.0, "synprobe_probe", 1.0), by(prom.query("min by (job) (up)"), "job"), "prometheus scrapes serve");
            Map<String, Double> success = by(prom.query("probe_success"), "instance");
            System.out.println("probe_success via /probe relabelling: " + success);
            assertEquals(Map.of(TARGET + ":22", 1.0, TARGET + ":81", 0.0, TARGET + ":82", 0.0), success);
            Map<String, Double> probeRtt = by(prom.query("synprobe_handshake_rtt_seconds{job=\"synprobe_probe\",stat=\"avg\"}"), "instance");
            assertEquals(java.util.Set.of(TARGET + ":22", TARGET + ":81"), probeRtt.keySet(), "RTTs of open and closed, none of dropped");
            assertEquals(Map.of(TARGET + ":22", 3.0, TARGET + ":81", 3.0, TARGET + ":82", 0.0),
                    by(prom.query("synprobe_probe_answered"), "instance"), "count=3 from the scrape config's params");
            List<PrometheusServer.Series> up = prom.query("synprobe_up");
            System.out.println("synprobe_up: " + up);
            for (PrometheusServer.Series s : up) {
                assertEquals(TARGET, s.labels().get("target"));
                assertEquals("ipv4", s.labels().get("family"));
                assertEquals("synprobe", s.labels().get("job"));
            }
            assertEquals(Map.of("22", 1.0, "80", 1.0, "81", 1.0, "82", 0.0), by(up, "port"));
            List<PrometheusServer.Series> last = prom.query("synprobe_last_result");
            Map<String, String> reasons = last.stream().collect(Collectors.toMap(s -> s.labels().get("port"),
                    s -> s.labels().get("state") + "/" + s.labels().get("reason")));
            assertEquals(Map.of("22", "open/syn-ack", "80", "open/syn-ack", "81", "closed/reset", "82", "filtered/no-response"), reasons);

            Map<String, Double> rates = by(prom.query("rate(synprobe_probes_sent_total[10s])"), "port");
            System.out.println("rate(synprobe_probes_sent_total[10s]) by port: " + rates);
            assertEquals(5.0, rates.get("22"), 0.75, "interval 200ms: 5 probes/s");
            assertEquals(5.0, rates.get("82"), 0.75, "timeouts count as sent probes too");
            assertEquals(2.0, rates.get("80"), 0.4, "per-entry interval 500ms: 2 probes/s");

            assertEquals(0.0, by(prom.query("synprobe_replies_total"), "port").get("82"));
            assertTrue(by(prom.query("synprobe_timeouts_total"), "port").get("82") >= 20);
            assertEquals(0.0, by(prom.query("synprobe_timeouts_total"), "port").get("22"));
            Map<String, Double> p50 = by(prom.query(
                    "histogram_quantile(0.5, sum by (port, le) (rate(synprobe_handshake_rtt_seconds_bucket[10s])))"), "port");
            System.out.println("median handshake RTT by port (s): " + p50);
            assertTrue(p50.get("22") > 0 && p50.get("22") < 0.005, "veth handshake well under 5 ms: " + p50);
            assertTrue(p50.get("82").isNaN(), "no RTT samples for a dropped port: " + p50);
            for (String name : List.of("synprobe_late_replies_total", "synprobe_duplicate_replies_total", "synprobe_send_errors_total")) {
                assertEquals(4, prom.query(name).size(), name + " exists for every target");
            }
            assertFalse(prom.query("jvm_memory_used_bytes").isEmpty(), "the process's own metrics");
            assertFalse(prom.query("process_cpu_seconds_total").isEmpty(), "the process's own metrics");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void badRequestsGet400WithOneLineAndTheServerLivesOn(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft");
        try (ScanLab lab = ScanLab.start(1);
             ServeProcess serve = ServeProcess.start("--config", config(dir, basicConfig()).toString(), "--netns", lab.proberNetns())) {
            Map<String, String> bad = new TreeMap<>(Map.of(
                    "/probe", "missing parameter 'target'",
                    "/probe?target=", "missing parameter 'target'",
                    "/probe?target=no%20such%20thing:22", "invalid target",
                    "/probe?target=" + TARGET, "invalid target",
                    "/probe?target=" + TARGET + ":0", "invalid port '0'",
                    "/probe?target=" + TARGET + ":70000", "invalid port '70000'",
                    "/probe?target=198.19.0.1:22", "outside probe_allow",
                    "/probe?target=" + TARGET + ":22&count=0", "invalid count",
                    "/probe?target=" + TARGET + ":22&timeout=forever", "timeout"));
            bad.put("/probe?target=%5B2001:db8::2%5D:99999", "invalid port");
            for (Map.Entry<String, String> e : bad.entrySet()) {
                ServeProcess.Response r = serve.get(e.getKey());
                System.out.println(e.getKey() + " -> " + r.status() + " " + r.body().trim());
                assertEquals(400, r.status(), e.getKey() + ": " + r.body());
                assertTrue(r.body().contains(e.getValue()), e.getKey() + ": " + r.body());
                assertTrue(r.body().endsWith("\n") && r.body().indexOf('\n') == r.body().length() - 1, "one line: " + r.body());
            }
            // positive controls: the same server still probes, through the lab namespace, and still serves /metrics
            ServeProcess.Response ok = serve.get("/probe?target=" + TARGET + ":22&count=3&module=tcp_connect");
            assertEquals(200, ok.status(), ok.body());
            System.out.println(ok.body());
            assertEquals(1.0, ServeProcess.sample(ok.body(), "probe_success", null));
            assertEquals(3.0, ServeProcess.sample(ok.body(), "synprobe_probe_sent", null));
            assertEquals(3.0, ServeProcess.sample(ok.body(), "synprobe_probe_answered", null));
            double min = ServeProcess.sample(ok.body(), "synprobe_handshake_rtt_seconds", "stat=\"min\"");
            double max = ServeProcess.sample(ok.body(), "synprobe_handshake_rtt_seconds", "stat=\"max\"");
            assertTrue(min > 0 && min <= max && max < 0.05, min + " " + max);
            ServeProcess.Response closed = serve.get("/probe?target=" + TARGET + ":81");
            assertEquals(0.0, ServeProcess.sample(closed.body(), "probe_success", null), "closed is not success");
            assertTrue(closed.body().contains("reason=\"reset\""), closed.body());
            ServeProcess.Response dropped = serve.get("/probe?target=" + TARGET + ":82&timeout=300ms");
            assertEquals(0.0, ServeProcess.sample(dropped.body(), "probe_success", null));
            assertEquals(0.0, ServeProcess.sample(dropped.body(), "synprobe_probe_answered", null));
            assertTrue(Double.isNaN(ServeProcess.sample(dropped.body(), "synprobe_handshake_rtt_seconds", null)), "no RTT without a reply");
            assertEquals(404, serve.get("/nothing-here").status());
            assertEquals(200, serve.get("/metrics").status());
            assertTrue(serve.process.isAlive());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sighupReloadsKeepingCountersAndABadFileKeepsTheRunningConfig(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft");
        try (ScanLab lab = ScanLab.start(1);
             ServeProcess serve = ServeProcess.start("--config", config(dir, basicConfig()).toString(), "--netns", lab.proberNetns())) {
            Thread.sleep(1500);
            String before = serve.get("/metrics").body();
            double sent22 = ServeProcess.sample(before, "synprobe_probes_sent_total", "port=\"22\"");
            assertTrue(sent22 >= 3, "probing: " + sent22);

            config(dir, "interval: 200ms\ntargets:\n  - " + TARGET + ":22\n  - " + TARGET + ":70000\n");
            serve.signal("HUP");
            assertTrue(serve.awaitLog("config not reloaded", Duration.ofSeconds(10)), "logged: " + serve.stderr);
            assertTrue(serve.stderr.stream().anyMatch(l -> l.contains("serve.yaml:4:") && l.contains("invalid port '70000'")),
                    "names the line: " + serve.stderr);
            Thread.sleep(1000);
            String kept = serve.get("/metrics").body();
            assertFalse(Double.isNaN(ServeProcess.sample(kept, "synprobe_probes_sent_total", "port=\"81\"")), "old config kept");
            assertTrue(ServeProcess.sample(kept, "synprobe_probes_sent_total", "port=\"82\"") > 0);

            config(dir, "interval: 200ms\ntimeout: 500ms\ntargets:\n  - " + TARGET + ":22\n  - " + TARGET + ":83\n");
            double sent22Before = ServeProcess.sample(serve.get("/metrics").body(), "synprobe_probes_sent_total", "port=\"22\"");
            serve.signal("HUP");
            assertTrue(serve.awaitLog("config reloaded", Duration.ofSeconds(10)), "logged: " + serve.stderr);
            Thread.sleep(1500);
            String after = serve.get("/metrics").body();
            double sent22After = ServeProcess.sample(after, "synprobe_probes_sent_total", "port=\"22\"");
            System.out.printf("port 22 sent: %.0f before the reload, %.0f after%n", sent22Before, sent22After);
            assertTrue(sent22After >= sent22Before + 3, "the unchanged target's counter went on: " + sent22Before + " -> " + sent22After);
            assertTrue(Double.isNaN(ServeProcess.sample(after, "synprobe_probes_sent_total", "port=\"81\"")), "removed target's series gone");
            assertTrue(after.contains("port=\"83\",reason=\"port-unreach\""), "added target probed:\n" + after.lines()
                    .filter(l -> l.contains("last_result")).collect(Collectors.joining("\n")));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void connectModeServesTheSameMetrics(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft");
        try (ScanLab lab = ScanLab.start(1);
             ServeProcess serve = ServeProcess.start("--config", config(dir, basicConfig()).toString(), "--netns", lab.proberNetns(),
                     "--connect")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String m = "";
            while (System.nanoTime() < deadline) {
                m = serve.get("/metrics").body();
                // a scrape is not atomic across metrics: wait for the gauge itself
                if (!Double.isNaN(ServeProcess.sample(m, "synprobe_up", "port=\"82\""))
                        && !Double.isNaN(ServeProcess.sample(m, "synprobe_up", "port=\"81\""))) break;
                Thread.sleep(200);
            }
            assertEquals(1.0, ServeProcess.sample(m, "synprobe_up", "port=\"22\""));
            assertEquals(1.0, ServeProcess.sample(m, "synprobe_up", "port=\"81\""));
            assertEquals(0.0, ServeProcess.sample(m, "synprobe_up", "port=\"82\""));
            assertTrue(m.contains("port=\"81\",reason=\"conn-refused\""), m);
        }
    }

    /**
     * Started through sudo the engines give up root after opening their first sockets; serve opens sockets for
     * every group, reload and /probe, so it must keep them all working (two groups and a /probe here, on 127.0.0.1).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void underSudoEveryGroupAndProbeStillGetSockets(@TempDir Path dir) throws Exception {
        Privileged.require("ip");
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int open = listener.getLocalPort();
            Path cfg = config(dir, "timeout: 500ms\ntargets:\n  - host: 127.0.0.1\n    port: " + open + "\n    interval: 200ms\n"
                    + "  - host: 127.0.0.1\n    port: 1\n    interval: 300ms\n");
            try (ServeProcess serve = ServeProcess.start(Map.of("SUDO_UID", "65534", "SUDO_GID", "65534"), "--config", cfg.toString())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String m = "";
                while (System.nanoTime() < deadline) {
                    m = serve.get("/metrics").body();
                    if (ServeProcess.sample(m, "synprobe_replies_total", "port=\"" + open + "\"") >= 3
                            && ServeProcess.sample(m, "synprobe_replies_total", "port=\"1\"") >= 3) break;
                    Thread.sleep(200);
                }
                assertTrue(ServeProcess.sample(m, "synprobe_replies_total", "port=\"" + open + "\"") >= 3, m);
                assertTrue(ServeProcess.sample(m, "synprobe_replies_total", "port=\"1\"") >= 3, "second group probes too: " + serve.stderr);
                ServeProcess.Response r = serve.get("/probe?target=127.0.0.1:" + open);
                assertEquals(1.0, ServeProcess.sample(r.body(), "probe_success", null), r.body());
            }
        }
    }

    /**
     * Host names are resolved again every resolve_every: the target keeps its series (label = the name) and its
     * counters while probes go to the new address; a name that stops resolving keeps its last address. The JVM reads
     * names from a hosts file of the test's (jdk.net.hosts.file) with its cache off.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void hostNamesAreResolvedAgainOnSchedule(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft");
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, ScanLab.v4(0) + " web.lab\n");
        Path cfg = config(dir, "interval: 200ms\ntimeout: 500ms\nresolve_every: 1s\ntargets:\n  - web.lab:22\n");
        try (ScanLab lab = ScanLab.start(2);
             ServeProcess serve = ServeProcess.start(List.of("-Djdk.net.hosts.file=" + hosts, "-Dsun.net.inetaddr.ttl=0",
                     "-Dsun.net.inetaddr.negative.ttl=0"), Map.of(), "--config", cfg.toString(), "--netns", lab.proberNetns())) {
            Thread.sleep(1500);
            assertTrue(serve.get("/").body().contains("<td class=\"l\">" + ScanLab.v4(0) + "</td>"));
            double before = ServeProcess.sample(serve.get("/metrics").body(), "synprobe_replies_total", "target=\"web.lab\"");
            assertTrue(before >= 3, "probing " + ScanLab.v4(0) + ": " + before);

            Files.writeString(hosts, ScanLab.v4(1) + " web.lab\n");
            assertTrue(serve.awaitLog("resolved to new addresses", Duration.ofSeconds(10)), "logged: " + serve.stderr);
            Thread.sleep(1500);
            String page = serve.get("/").body();
            assertTrue(page.contains("<td class=\"l\">" + ScanLab.v4(1) + "</td>"), page);
            double after = ServeProcess.sample(serve.get("/metrics").body(), "synprobe_replies_total", "target=\"web.lab\"");
            assertTrue(after >= before + 3, "the series goes on: " + before + " -> " + after);

            Files.writeString(hosts, "# nothing\n");
            assertTrue(serve.awaitLog("cannot resolve web.lab again", Duration.ofSeconds(10)), "logged: " + serve.stderr);
            double still = ServeProcess.sample(serve.get("/metrics").body(), "synprobe_replies_total", "target=\"web.lab\"");
            Thread.sleep(1000);
            assertTrue(ServeProcess.sample(serve.get("/metrics").body(), "synprobe_replies_total", "target=\"web.lab\"") >= still + 2,
                    "keeps probing the last address");
        }
    }
}
