package io.synprobe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's real {@code prometheus} with its own config, port and storage in a temp dir, killed by pid on close.
 * Queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final int port;

    /** One series of a query result: its labels and value. */
    record Series(Map<String, String> labels, double value) {
    }

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts prometheus with {@code scrapeConfigs} (YAML, the list under scrape_configs:) and waits until ready. */
    static PrometheusServer start(String scrapeConfigs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("synprobe-prometheus");
        int port = freePort();
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "  evaluation_interval: 1s\nscrape_configs:\n" + scrapeConfigs);
        Process p = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer s = new PrometheusServer(dir, p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(s.url("/-/ready"))).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return s;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        String log = s.log();
        s.close();
        throw new IllegalStateException("prometheus did not become ready: " + log);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** An instant query through /api/v1/query. */
    List<Series> query(String promql) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode root = JSON.readTree(body);
        if (!"success".equals(root.path("status").asText())) throw new IllegalStateException(promql + ": " + body);
        List<Series> out = new ArrayList<>();
        for (JsonNode r : root.path("data").path("result")) {
            Map<String, String> labels = new HashMap<>();
            r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new Series(labels, Double.parseDouble(r.path("value").get(1).asText())));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir, best effort
        }
    }
}
