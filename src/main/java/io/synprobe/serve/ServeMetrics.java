package io.synprobe.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The continuous metrics of every configured target (labels target, port, family) in a registry of their own,
 * with the process's JVM metrics. Series of a target removed from the config are removed too, so the number of
 * series is bounded by the config.
 */
final class ServeMetrics {
    /** 25 us to 10 s: a LAN handshake is tens of microseconds, an intercontinental one hundreds of ms. */
    static final double[] RTT_BUCKETS = {25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3,
            100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10};
    private static final String[] LABELS = {"target", "port", "family"};

    final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram rtt = Histogram.builder().name("synprobe_handshake_rtt_seconds")
            .help("SYN to SYN-ACK (or RST) time of answered probes, from kernel timestamps")
            .labelNames(LABELS).classicOnly().classicUpperBounds(RTT_BUCKETS).withoutExemplars().register(registry);
    private final Counter sent = counter("synprobe_probes_sent", "Probes sent whose outcome is decided (reply or timeout)");
    private final Counter replies = counter("synprobe_replies", "Probes answered in time (SYN-ACK, RST or ICMP error)");
    private final Counter timeouts = counter("synprobe_timeouts", "Probes not answered within the timeout");
    private final Counter late = counter("synprobe_late_replies", "Replies that came after their probe's timeout");
    private final Counter dup = counter("synprobe_duplicate_replies", "Further replies to an answered probe (retransmitted SYN-ACKs)");
    private final Counter sendErrors = counter("synprobe_send_errors", "Probes that could not be sent");
    private final Gauge up = Gauge.builder().name("synprobe_up")
            .help("1 when the target's TCP answered the last probe (SYN-ACK or RST), 0 otherwise")
            .labelNames(LABELS).register(registry);
    private final Gauge last = Gauge.builder().name("synprobe_last_result")
            .help("Always 1; the labels state and reason tell how the last probe ended")
            .labelNames("target", "port", "family", "state", "reason").register(registry);
    private final Gauge lastRtt = Gauge.builder().name("synprobe_last_rtt_seconds")
            .help("RTT of the last answered probe").labelNames(LABELS).register(registry);
    private final Map<String, String[]> lastLabels = new ConcurrentHashMap<>();

    ServeMetrics() {
        JvmMetrics.builder().register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames(LABELS).withoutExemplars().register(registry);
    }

    static String family(InetAddress a) {
        return a instanceof Inet4Address ? "ipv4" : "ipv6";
    }

    private static String[] labels(TargetStatus t) {
        return new String[] {t.entry.host(), Integer.toString(t.entry.port()), family(t.address)};
    }

    /** Makes the target's series exist (at zero) before its first probe is decided. */
    void add(TargetStatus t) {
        String[] l = labels(t);
        for (Counter c : List.of(sent, replies, timeouts, late, dup, sendErrors)) c.initLabelValues(l);
        rtt.initLabelValues(l);
    }

    void remove(TargetStatus t, InetAddress oldAddress) {
        String[] l = {t.entry.host(), Integer.toString(t.entry.port()), family(oldAddress)};
        for (Counter c : List.of(sent, replies, timeouts, late, dup, sendErrors)) c.remove(l);
        rtt.remove(l);
        up.remove(l);
        lastRtt.remove(l);
        String[] old = lastLabels.remove(t.entry.key());
        if (old != null) last.remove(old);
    }

    void record(TargetStatus t, PingEvent e) {
        String[] l = labels(t);
        switch (e.type()) {
            case LATE -> late.labelValues(l).inc();
            case DUP -> dup.labelValues(l).inc();
            case TIMEOUT, REPLY -> {
                if (e.reason() != null && e.reason().name().equals("SEND_ERROR")) {
                    sendErrors.labelValues(l).inc();
                    return;
                }
                sent.labelValues(l).inc();
                t.sent++;
                boolean tcp = e.type() == PingEvent.Type.REPLY && isTcpAnswer(e.reason());
                if (e.type() == PingEvent.Type.REPLY) {
                    replies.labelValues(l).inc();
                    t.answered++;
                } else {
                    timeouts.labelValues(l).inc();
                }
                if (tcp && e.rttUs() >= 0) {
                    rtt.labelValues(l).observe(e.rttUs() / 1e6);
                    lastRtt.labelValues(l).set(e.rttUs() / 1e6);
                    t.lastRttUs = e.rttUs();
                }
                t.recent.add(tcp ? Math.max(0, e.rttUs())
                        : e.type() == PingEvent.Type.REPLY ? RecentResults.OTHER_ANSWER : RecentResults.NO_ANSWER);
                up.labelValues(l).set(tcp ? 1 : 0);
                PortState state = e.state();
                String reason = e.reason() == null ? "unknown" : e.reason().label();
                t.state = state;
                t.reason = reason;
                t.error = null;
                String[] now = {l[0], l[1], l[2], state == null ? "unknown" : state.label(), reason};
                String[] before = lastLabels.put(t.entry.key(), now);
                if (before != null && !Arrays.equals(before, now)) last.remove(before);
                last.labelValues(now).set(1);
            }
        }
    }

    void failed(Collection<TargetStatus> ts, Exception why) {
        for (TargetStatus t : ts) {
            sendErrors.labelValues(labels(t)).inc();
            t.error = why.getMessage();
        }
    }

    /** The target's own TCP answered: SYN-ACK, RST, or a refused connect. */
    static boolean isTcpAnswer(Reason r) {
        return r != null && (r.state() == PortState.OPEN || r.state() == PortState.CLOSED);
    }
}
