package io.synprobe.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.synprobe.target.Durations;
import io.synprobe.nativeio.NativeException;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PortState;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /probe?target=HOST:PORT[&count=N][&timeout=D][&interval=D]}: the blackbox_exporter multi-target
 * pattern. Runs N probes to the target now and answers with that probe's metrics; other parameters (such as
 * blackbox's {@code module}) are ignored, so blackbox's relabelling recipe works unchanged.
 */
final class ProbeHandler implements HttpHandler {
    static final int MAX_COUNT = 100;
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TOTAL = Duration.ofSeconds(60);

    private final Serve serve;

    ProbeHandler(Serve serve) {
        this.serve = serve;
    }

    /** A request that cannot be run: answered with 400 and the message. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    record Request(ProbeTarget target, int count, String family) {
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                Http.text(ex, 405, "method " + ex.getRequestMethod() + " not allowed (use GET)");
                return;
            }
            Request r;
            try {
                r = parse(ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds"));
            } catch (BadRequest e) {
                Http.text(ex, 400, e.getMessage());
                return;
            }
            long start = System.nanoTime();
            List<PingEvent> events = serve.prober().probe(r.target(), r.count());
            double seconds = (System.nanoTime() - start) / 1e9;
            new MetricsHandler(registry(r, events, seconds)).handle(ex);
        } catch (NativeException e) {
            Http.text(ex, 500, "probe failed: " + e.getMessage());
        } catch (RuntimeException | IOException e) {
            Http.text(ex, 500, "probe failed: " + e);
        } finally {
            ex.close();
        }
    }

    /** @param scrapeTimeout Prometheus's scrape timeout in seconds, or null: the default timeout fits in it, as blackbox's does */
    Request parse(String rawQuery, String scrapeTimeout) throws BadRequest {
        Map<String, String> q = query(rawQuery);
        String target = q.get("target");
        if (target == null || target.isBlank()) throw new BadRequest("missing parameter 'target' (e.g. /probe?target=198.18.0.2:443)");
        HostPort hp;
        try {
            hp = HostPort.parse(target.trim());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        AddressRange range;
        try {
            range = serve.parser().parse(hp.host());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("invalid target '" + target + "': " + e.getMessage());
        }
        if (range.count() != 1) throw new BadRequest("invalid target '" + target + "': not a single address");
        if (!serve.config().allows(range.family(), range.hi(), range.lo())) {
            throw new BadRequest("target '" + target + "' is outside probe_allow");
        }
        int count = 1;
        if (q.containsKey("count")) {
            String c = q.get("count");
            if (!c.matches("\\d{1,3}") || Integer.parseInt(c) < 1 || Integer.parseInt(c) > MAX_COUNT) {
                throw new BadRequest("invalid count '" + c + "' (1-" + MAX_COUNT + ")");
            }
            count = Integer.parseInt(c);
        }
        Duration interval = duration(q, "interval", Duration.ofMillis(100), Duration.ofMillis(1), MAX_TIMEOUT);
        Duration timeout = duration(q, "timeout", defaultTimeout(scrapeTimeout, interval.multipliedBy(count - 1)),
                Duration.ofNanos(1), MAX_TIMEOUT);
        if (interval.multipliedBy(count - 1).plus(timeout).compareTo(MAX_TOTAL) > 0) {
            throw new BadRequest("count x interval + timeout over " + MAX_TOTAL.toSeconds() + "s");
        }
        InetAddress a = Ip.inet(range.family(), range.hi(), range.lo());
        return new Request(new ProbeTarget(a, hp.port(), interval, timeout), count, ServeMetrics.family(a));
    }

    /** 1 s, or less when Prometheus would give up first: its scrape timeout less 0.5 s and the spacing of the probes. */
    static Duration defaultTimeout(String scrapeTimeout, Duration spacing) {
        Duration d = Duration.ofSeconds(1);
        if (scrapeTimeout == null) return d;
        try {
            double seconds = Double.parseDouble(scrapeTimeout.trim());
            if (!(seconds > 0) || seconds > 3600) return d;
            Duration budget = Duration.ofNanos((long) (seconds * 1e9)).minusMillis(500).minus(spacing);
            if (budget.compareTo(d) < 0) d = budget;
        } catch (NumberFormatException e) {
            return d;
        }
        return d.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : d;
    }

    private static Duration duration(Map<String, String> q, String name, Duration def, Duration min, Duration max)
            throws BadRequest {
        String v = q.get(name);
        if (v == null) return def;
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(name + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new BadRequest("invalid " + name + " '" + v + "' (" + (min.toMillis() >= 1 ? min.toMillis() + "ms" : "more than 0")
                    + " to " + max.toSeconds() + "s)");
        }
        return d;
    }

    private static Map<String, String> query(String raw) throws BadRequest {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (out.put(k, v) != null && !k.equals("module")) throw new BadRequest("parameter '" + k + "' given twice");
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query: " + e.getMessage());
            }
        }
        return out;
    }

    private static PrometheusRegistry registry(Request r, List<PingEvent> events, double seconds) {
        PrometheusRegistry reg = new PrometheusRegistry();
        long answered = events.stream().filter(e -> e.type() == PingEvent.Type.REPLY && ServeMetrics.isTcpAnswer(e.reason())).count();
        boolean success = events.stream().anyMatch(e -> e.type() == PingEvent.Type.REPLY && e.reason() != null
                && e.reason().state() == PortState.OPEN);
        gauge(reg, "probe_success", "1 when a probe got a SYN-ACK (the port is open)").set(success ? 1 : 0);
        gauge(reg, "probe_duration_seconds", "How long the probes took, from the first send to the last outcome").set(seconds);
        gauge(reg, "probe_ip_protocol", "IP version of the probed address").set(r.family().equals("ipv4") ? 4 : 6);
        gauge(reg, "synprobe_probe_sent", "Probes sent by this request").set(events.size());
        gauge(reg, "synprobe_probe_answered", "Probes the target's TCP answered in time (SYN-ACK or RST)").set(answered);
        long[] rtts = events.stream().filter(e -> e.type() == PingEvent.Type.REPLY && ServeMetrics.isTcpAnswer(e.reason()) && e.rttUs() >= 0)
                .mapToLong(PingEvent::rttUs).toArray();
        if (rtts.length > 0) {
            Gauge rtt = Gauge.builder().name("synprobe_handshake_rtt_seconds")
                    .help("SYN to SYN-ACK (or RST) time of this request's answered probes, kernel timestamps")
                    .labelNames("stat").register(reg);
            rtt.labelValues("min").set(Arrays.stream(rtts).min().getAsLong() / 1e6);
            rtt.labelValues("avg").set(Arrays.stream(rtts).average().getAsDouble() / 1e6);
            rtt.labelValues("max").set(Arrays.stream(rtts).max().getAsLong() / 1e6);
        }
        if (!events.isEmpty()) {
            PingEvent last = events.get(events.size() - 1);
            Gauge g = Gauge.builder().name("synprobe_probe_last_result").help("Always 1; state and reason of the last probe")
                    .labelNames("state", "reason").register(reg);
            g.labelValues(last.state() == null ? "unknown" : last.state().label(),
                    last.reason() == null ? "unknown" : last.reason().label()).set(1);
        }
        return reg;
    }

    private static Gauge gauge(PrometheusRegistry reg, String name, String help) {
        return Gauge.builder().name(name).help(help).register(reg);
    }
}
