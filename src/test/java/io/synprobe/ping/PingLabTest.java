package io.synprobe.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.lab.ChildProcess;
import io.synprobe.lab.LinkLab;
import io.synprobe.lab.Privileged;
import io.synprobe.lab.WireCapture;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ping over a userspace link with a known delay and loss (tunlink between two namespaces). The truth is the wire as
 * tcpdump saw it on the prober's side of the link ({@link PingWireTruth}), never synprobe's own account.
 */
@Tag("privileged")
@Timeout(180)
class PingLabTest {
    static final int PORT = 8443;

    static final class Collector implements PingListener {
        final List<PingEvent> events = new ArrayList<>();
        final List<PingSummary> summaries = new ArrayList<>();

        @Override
        public void event(PingEvent e) {
            events.add(e);
        }

        @Override
        public void summary(PingSummary s) {
            summaries.add(s);
        }

        List<PingEvent> of(PingEvent.Type type) {
            return events.stream().filter(e -> e.type() == type).toList();
        }
    }

    static Collector ping(LinkLab lab, int count, Duration interval, Duration timeout, boolean v6) throws Exception {
        Collector c = new Collector();
        PingOptions opt = new PingOptions(List.of(v6 ? lab.targetV6() : lab.targetV4()), PORT, count, interval, timeout, 64,
                "/var/run/netns/" + lab.proberNetns());
        new PingEngine(opt).run(c);
        return c;
    }

    /** One line of synprobe's {@code ping -o jsonl}: a probe's outcome. */
    record Outcome(long seq, String kind, long rttUs) {
    }

    /**
     * Runs {@code synprobe ping -o jsonl} in its own JVM (as a user would) from the prober namespace while tcpdump
     * captures on the prober's side of the link, and returns synprobe's probe records and the capture.
     */
    static Run pingOnTheWire(LinkLab lab, boolean v6, int count, Duration interval, Duration timeout, Path dir)
            throws Exception {
        InetAddress target = v6 ? lab.targetV6() : lab.targetV4();
        Path out = dir.resolve("ping-" + (v6 ? 6 : 4) + ".jsonl");
        List<WireCapture.Segment> wire;
        String log;
        try (WireCapture capture = WireCapture.start(lab.proberNetns(), LinkLab.PROBER_DEV, "tcp port " + PORT)) {
            List<String> cmd = new ArrayList<>(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS,
                    "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main", "ping", target.getHostAddress(),
                    "-p", Integer.toString(PORT), "-c", Integer.toString(count), "-i", interval.toMillis() + "ms", "-W",
                    timeout.toMillis() + "ms", "--netns", lab.proberNetns(), "-o", "jsonl", "--output", out.toString()));
            try (ChildProcess p = ChildProcess.start(cmd)) {
                Duration limit = interval.multipliedBy(count).plus(timeout).plusSeconds(60);
                int exit = p.waitFor(limit);
                log = p.output();
                assertTrue(exit == 0 || exit == 1, "synprobe ping exited with " + exit + ": " + log);
            }
            wire = capture.stop();
        }
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode summary = null;
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode n = json.readTree(line);
            if (n.get("type").asText().equals("summary")) {
                summary = n;
                continue;
            }
            String kind = n.get("dup").asBoolean() ? "dup" : n.get("late").asBoolean() ? "late"
                    : n.get("timeout").asBoolean() ? "timeout" : "reply";
            outcomes.add(new Outcome(n.get("seq").asLong(), kind, n.get("rtt_us").isNull() ? -1 : n.get("rtt_us").asLong()));
        }
        assertNotNull(summary, "a summary line: " + log);
        PingWireTruth truth = new PingWireTruth(wire, v6 ? lab.proberV6() : lab.proberV4(), target, PORT, timeout.toNanos());
        return new Run(outcomes, summary, truth);
    }

    record Run(List<Outcome> outcomes, JsonNode summary, PingWireTruth truth) {
        /** synprobe's verdict per probe in the wire's words, counting only answers the wire says it could see. */
        String verdict(PingWireTruth.Probe p) {
            int replies = 0, timeouts = 0, lates = 0, latesSeen = 0, dups = 0;
            for (Outcome o : outcomes) {
                if (o.seq() != p.k()) continue;
                boolean seen = o.rttUs() < 0 || truth.seen(p.sentNs() + o.rttUs() * 1000);
                switch (o.kind()) {
                    case "reply" -> replies++;
                    case "timeout" -> timeouts++;
                    case "late" -> {
                        lates++;
                        if (seen) latesSeen++;
                    }
                    default -> {
                        if (seen) dups++;
                    }
                }
            }
            // a late answer may come before or after the probe's timeout event (or instead of it)
            String v = replies == 1 && timeouts + lates == 0 ? "answered"
                    : replies == 0 && latesSeen == 1 && timeouts <= 1 ? "late"
                    : replies == 0 && latesSeen == 0 && timeouts + lates == 1 ? "lost"
                    : "replies=" + replies + " timeouts=" + timeouts + " late=" + lates;
            return dups > 0 ? v + " +" + dups + " dup" : v;
        }

        /** synprobe's RTT - the wire's, in microseconds, for every answer both saw: REPLY or LATE, then each DUP. */
        List<Double> rttErrorsUs() {
            List<Double> errors = new ArrayList<>();
            for (PingWireTruth.Probe p : truth.probes()) {
                if (truth.ambiguous(p)) continue;
                int dup = 0;
                for (Outcome o : outcomes) {
                    if (o.seq() != p.k() || o.rttUs() < 0) continue;
                    int i = o.kind().equals("dup") ? ++dup : 0;
                    if (i < p.answersNs().size()) errors.add(o.rttUs() - p.rttNs(i) / 1000.0);
                }
            }
            return errors;
        }
    }

    static List<Double> abs(List<Double> values) {
        return values.stream().map(Math::abs).toList();
    }

    static double quantile(List<Double> values, double q) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
    }

    /**
     * The wire decides every probe: over a link losing 20% each way, some probes are lost, some answered only by the
     * target's retransmitted SYN-ACK a second later (late), some answered twice because our kernel's RST was lost
     * (dup). synprobe's per-probe verdicts must equal the wire's, and its RTT of every answer must be the wire's
     * (median error at most 20 us: kernel timestamps on both sides of the same link).
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void everyProbesVerdictAndRttAreTheWires(boolean v6, @TempDir Path dir) throws Exception {
        Privileged.require("ip", "tcpdump");
        long delayUs = 2000;
        int count = 300;
        Duration timeout = Duration.ofMillis(500);
        try (LinkLab lab = LinkLab.start(delayUs, 0.2, v6 ? 11 : 7);
             LinkLab.Listener l = lab.startListener(PORT)) {
            Run run = pingOnTheWire(lab, v6, count, Duration.ofMillis(10), timeout, dir);
            PingWireTruth truth = run.truth();
            assertEquals(count, truth.probes().size(), "every probe left as one SYN");
            Map<String, Integer> tally = new TreeMap<>();
            List<String> mismatches = new ArrayList<>();
            int compared = 0;
            for (PingWireTruth.Probe p : truth.probes()) {
                if (truth.ambiguous(p)) continue;
                compared++;
                String wire = truth.verdict(p), ours = run.verdict(p);
                tally.merge(wire, 1, Integer::sum);
                if (!wire.equals(ours)) mismatches.add("probe " + p.k() + ": wire " + wire + ", synprobe " + ours);
            }
            List<Double> signed = run.rttErrorsUs(), errors = abs(signed);
            double median = quantile(errors, 0.5);
            System.out.printf("ping v%d over 2 ms + 20%% loss each way: wire verdicts %s over %d probes (%d strays);"
                            + " synprobe summary %s; RTT error vs wire over %d answers: median %.1f us, p90 %.1f us, max %.1f us;"
                            + " signed p10/p50/p90 %.1f/%.1f/%.1f us%n",
                    v6 ? 6 : 4, tally, compared, truth.strays(), run.summary(), errors.size(), median,
                    quantile(errors, 0.9), quantile(errors, 1.0), quantile(signed, 0.1), quantile(signed, 0.5),
                    quantile(signed, 0.9));
            assertTrue(compared >= count - 10, "few probes too near the end to judge: " + compared);
            assertTrue(tally.keySet().stream().anyMatch(v -> v.startsWith("lost")), "the link lost some probes: " + tally);
            assertTrue(tally.keySet().stream().anyMatch(v -> v.contains("dup")), "the target retransmitted: " + tally);
            assertTrue(tally.keySet().stream().anyMatch(v -> v.startsWith("late")), "some answers came late: " + tally);
            assertEquals(List.of(), mismatches, "synprobe's verdicts differ from the wire's");
            assertEquals(count, run.summary().get("sent").asInt());
            long answered = truth.probes().stream().filter(p -> truth.verdict(p).startsWith("answered")).count();
            assertEquals(answered, run.summary().get("received").asLong(), "received = probes answered in time");
            assertTrue(median <= 20, "median RTT error " + median + " us against the wire");
        }
    }

    /** On a 10 ms link without loss, every probe is answered and each RTT is the wire's (median error <= 20 us). */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void rttIsTheWiresOnALongLink(boolean v6, @TempDir Path dir) throws Exception {
        Privileged.require("ip", "tcpdump");
        long delayUs = 10_000;
        try (LinkLab lab = LinkLab.start(delayUs, 0, 1);
             LinkLab.Listener l = lab.startListener(PORT)) {
            Run run = pingOnTheWire(lab, v6, 100, Duration.ofMillis(20), Duration.ofSeconds(1), dir);
            List<Double> signed = run.rttErrorsUs(), errors = abs(signed);
            double median = quantile(errors, 0.5);
            double wireMin = run.truth().probes().stream().mapToDouble(p -> p.rttNs(0) / 1000.0).min().orElse(Double.NaN);
            System.out.printf("ping v%d over 10 ms each way: wire min RTT %.1f us; synprobe summary %s; RTT error vs wire:"
                            + " median %.1f us, p90 %.1f us, max %.1f us; signed p10/p50/p90 %.1f/%.1f/%.1f us%n", v6 ? 6 : 4,
                    wireMin, run.summary(), median, quantile(errors, 0.9), quantile(errors, 1.0), quantile(signed, 0.1),
                    quantile(signed, 0.5), quantile(signed, 0.9));
            assertEquals(100, run.summary().get("received").asInt(), "no loss on a lossless link");
            assertEquals(100, errors.size(), "one RTT per probe, each matched to the wire");
            assertTrue(wireMin >= 2 * delayUs && wireMin < 2 * delayUs + 1000, "the link delays as configured: " + wireMin);
            assertTrue(median <= 20, "median RTT error " + median + " us against the wire");
        }
    }

    @Test
    void aReplyAfterTheTimeoutIsLateAndNotCounted() throws Exception {
        Privileged.require("ip");
        try (LinkLab lab = LinkLab.start(150_000, 0, 3)) {
            lab.startListener(PORT);
            Collector c = ping(lab, 4, Duration.ofMillis(100), Duration.ofMillis(100), false);
            PingSummary s = c.summaries.get(0);
            assertEquals(0, s.received(), "a 300 ms round trip never beats a 100 ms timeout");
            assertEquals(4, c.of(PingEvent.Type.TIMEOUT).size());
            List<PingEvent> late = c.of(PingEvent.Type.LATE);
            assertTrue(!late.isEmpty(), "late replies are reported: " + c.events);
            for (PingEvent e : late) assertTrue(e.rttUs() >= 300_000 && e.rttUs() < 400_000, "late rtt " + e);
        }
    }
}
