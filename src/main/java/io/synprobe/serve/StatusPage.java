package io.synprobe.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.synprobe.result.PortState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code GET /}: every target with its last state and reason, RTT percentiles and loss over its recent probes,
 * and a sparkline of them. Plain HTML and inline SVG (no scripts, no fonts), refreshing itself.
 */
final class StatusPage implements HttpHandler {
    static final int REFRESH_SECONDS = 5;
    static final int SPARK_POINTS = 120;

    private final Serve serve;

    StatusPage(Serve serve) {
        this.serve = serve;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestURI().getPath().equals("/")) {
                Http.text(ex, 404, "not found: " + ex.getRequestURI().getPath() + " (try /, /metrics or /probe?target=HOST:PORT)");
            } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                Http.text(ex, 405, "method " + ex.getRequestMethod() + " not allowed (use GET)");
            } else {
                Http.send(ex, 200, "text/html; charset=utf-8", html().getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            Http.text(ex, 500, "status page failed: " + e);
        } finally {
            ex.close();
        }
    }

    String html() {
        StringBuilder s = new StringBuilder(4096);
        Duration up = Duration.between(serve.started(), Instant.now());
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>synprobe serve</title><style>")
                .append("body{font-family:sans-serif;font-size:14px;margin:1.2em;color:#222}h1{font-size:1.5em;margin:0 0 .3em}")
                .append("table{border-collapse:collapse}th,td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}td svg{vertical-align:middle}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".open{color:#1a7f37;font-weight:bold}.closed{color:#9a6700;font-weight:bold}")
                .append(".filtered,.unknown{color:#cf222e;font-weight:bold}.small{color:#666;font-size:.85em}")
                .append("</style></head><body>\n<h1>synprobe serve</h1>\n<p class=\"small\">")
                .append(serve.statuses().size()).append(" targets; up ").append(uptime(up))
                .append("; figures over each target's last ").append(RecentResults.SIZE)
                .append(" probes; this page refreshes every ").append(REFRESH_SECONDS)
                .append(" s. <a href=\"/metrics\">/metrics</a></p>\n<table>\n<tr><th class=\"l\">target</th><th class=\"l\">address</th>")
                .append("<th class=\"l\">state</th><th class=\"l\">reason</th><th>last RTT</th><th>p50</th><th>p90</th><th>p99</th>")
                .append("<th>loss</th><th>probes</th><th class=\"l\">recent RTTs</th></tr>\n");
        for (TargetStatus t : serve.statuses()) {
            long[] w = t.recent.snapshot();
            PortState st = t.state;
            String state = st == null ? "unknown" : st.label();
            s.append("<tr><td class=\"l\">").append(esc(t.entry.host() + ":" + t.entry.port()))
                    .append("</td><td class=\"l\">").append(esc(io.synprobe.output.Addresses.text(t.address)))
                    .append("</td><td class=\"l ").append(state).append("\">").append(st == null ? "pending" : state)
                    .append("</td><td class=\"l\">").append(esc(t.error != null ? "error: " + t.error : t.reason == null ? "-" : t.reason))
                    .append("</td><td>").append(ms(t.lastRttUs)).append("</td><td>").append(ms(RecentResults.percentile(w, 50)))
                    .append("</td><td>").append(ms(RecentResults.percentile(w, 90))).append("</td><td>")
                    .append(ms(RecentResults.percentile(w, 99))).append("</td><td>").append(percent(RecentResults.lossPercent(w)))
                    .append("</td><td>").append(t.sent).append("</td><td class=\"l\">").append(sparkline(w)).append("</td></tr>\n");
        }
        return s.append("</table>\n<p class=\"small\">Sparklines: the last ").append(SPARK_POINTS)
                .append(" probes, scaled to their slowest; red: no answer, orange: an ICMP error instead of the target's TCP.</p>\n")
                .append("</body></html>\n").toString();
    }

    /** The last SPARK_POINTS RTTs as a polyline scaled to their maximum; unanswered probes as red ticks. */
    static String sparkline(long[] window) {
        int w = 200, h = 28, n = Math.min(window.length, SPARK_POINTS);
        StringBuilder s = new StringBuilder("<svg width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h
                + "\" role=\"img\" aria-label=\"recent RTTs\">");
        if (n == 0) return s.append("</svg>").toString();
        long max = 1;
        for (int i = window.length - n; i < window.length; i++) max = Math.max(max, window[i]);
        StringBuilder line = new StringBuilder();
        StringBuilder ticks = new StringBuilder();
        for (int k = 0; k < n; k++) {
            long v = window[window.length - n + k];
            double x = n == 1 ? w - 1 : 1 + k * (w - 2.0) / (SPARK_POINTS - 1) + (SPARK_POINTS - n) * (w - 2.0) / (SPARK_POINTS - 1);
            if (v < 0) {
                String colour = v == RecentResults.NO_ANSWER ? "#cf222e" : "#d4a72c";
                ticks.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>", x,
                        h / 2, x, h, colour));
            } else {
                double y = h - 2 - (h - 4) * (double) v / max;
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
        }
        s.append(ticks);
        if (line.length() == 0) return s.append("</svg>").toString();
        s.append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"").append(line.toString().trim()).append("\"/>");
        return s.append("</svg> <span class=\"small\">max ").append(ms(max)).append("</span>").toString();
    }

    static String ms(long us) {
        if (us < 0) return "-";
        return String.format(Locale.ROOT, us < 10_000 ? "%.3f ms" : "%.1f ms", us / 1000.0);
    }

    private static String percent(double p) {
        return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    private static String uptime(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
