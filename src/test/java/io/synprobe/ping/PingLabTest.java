package io.synprobe.ping;

import io.synprobe.result.PingSummary;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.LinkLab;
import io.synprobe.lab.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ping over a userspace link with a known delay and loss (tunlink between two namespaces). The truth is the
 * link's configuration and its own counters, never synprobe's.
 */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(180)
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

    /**
     * The wire's truth, independent of synprobe: tcpdump's kernel timestamps on the prober's side of the link,
     * from each SYN leaving to the SYN-ACK answering it (paired by source port), averaged.
     */
    static double wireMeanRttUs(Path pcapText) throws IOException {
        Map<String, Double> synAt = new HashMap<>();
        List<Double> rtts = new ArrayList<>();
        Pattern line = Pattern.compile("^(\\d+\\.\\d+) IP6? (\\S+) > (\\S+): Flags \\[(S\\.?)\\]");
        for (String l : Files.readAllLines(pcapText)) {
            Matcher m = line.matcher(l);
            if (!m.find()) continue;
            double t = Double.parseDouble(m.group(1)) * 1e6;
            if (m.group(4).equals("S")) {
                synAt.put(m.group(2), t);
            } else {
                Double sent = synAt.remove(m.group(3));
                if (sent != null) rtts.add(t - sent);
            }
        }
        return rtts.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void meanRttMatchesTheWire() throws Exception {
        Privileged.require("ip", "tcpdump");
        long delayUs = 2000;
        try (LinkLab lab = LinkLab.start(delayUs, 0, 1)) {
            lab.startListener(PORT);
            ping(lab, 5, Duration.ofMillis(20), Duration.ofSeconds(1), false); // warm up ARP/ND and the JIT
            Path capture = Files.createTempFile("synprobe-wire", ".txt");
            Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.proberNetns(), "tcpdump", "-i", LinkLab.PROBER_DEV,
                    "-n", "-tt", "--time-stamp-precision=nano", "-U", "-l", "tcp port " + PORT)
                    .redirectOutput(capture.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            try {
                java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(tcpdump.getErrorStream()));
                String banner = "";
                for (int i = 0; i < 5 && banner != null && !banner.contains("listening"); i++) banner = err.readLine();
                assertTrue(banner != null && banner.contains("listening"), "tcpdump did not start: " + banner);
                PingSummary s = ping(lab, 100, Duration.ofMillis(20), Duration.ofSeconds(1), false).summaries.get(0);
                Thread.sleep(200);
                tcpdump.destroy();
                tcpdump.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                double wire = wireMeanRttUs(capture);
                System.out.printf("link %d us each way: wire mean %.1f us (link overhead %.1f us), synprobe mean %.1f us"
                        + " (error %+.1f us), stddev %.1f us%n", delayUs, wire, wire - 2 * delayUs, s.avgUs(), s.avgUs() - wire,
                        s.stddevUs());
                assertEquals(100, s.received(), "no loss on a lossless link");
                assertTrue(wire >= 2 * delayUs && wire < 2 * delayUs + 1000, "the link delays as configured: " + wire);
                assertTrue(Math.abs(s.avgUs() - wire) <= Math.max(100, 0.01 * 2 * delayUs),
                        "synprobe mean " + s.avgUs() + " us, wire " + wire + " us");
                // the jitter of a busy two-core machine, not of the link: bounded, not zero
                assertTrue(s.stddevUs() < Math.max(400, 0.1 * 2 * delayUs), "stddev " + s.stddevUs());
                assertTrue(s.minUs() >= 2 * delayUs, "no RTT below the link's delay: " + s.minUs());
            } finally {
                tcpdump.destroyForcibly();
                Files.deleteIfExists(capture);
            }
        }
    }

    @Test
    void lossIsReportedHonestlyAndRetransmittedSynAcksAreNeverSamples() throws Exception {
        Privileged.require("ip");
        long delayUs = 2000;
        try (LinkLab lab = LinkLab.start(delayUs, 0.2, 7)) {
            lab.startListener(PORT);
            Collector c = ping(lab, 300, Duration.ofMillis(10), Duration.ofMillis(500), false);
            PingSummary s = c.summaries.get(0);
            double truth = 100 * (1 - 0.8 * 0.8); // a probe survives only if both its SYN and its SYN-ACK do
            System.out.printf("20%% loss each way: reported %.1f%% (expected about %.1f%%), %d late, %d dup%n",
                    s.lossPercent(), truth, s.late(), s.dup());
            assertEquals(300, s.sent());
            assertTrue(Math.abs(s.lossPercent() - truth) <= 10, "loss " + s.lossPercent() + "%");
            for (PingEvent e : c.of(PingEvent.Type.REPLY)) {
                assertTrue(e.rttUs() <= 2 * delayUs + 5000, "an RTT sample above 2D + 5 ms: " + e);
            }
            assertEquals(c.of(PingEvent.Type.REPLY).size(), s.received());
            assertEquals(300, c.of(PingEvent.Type.REPLY).size() + c.of(PingEvent.Type.TIMEOUT).size(),
                    "every probe ends as exactly one reply or one timeout");
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

    @Test
    void ipv6PingOverTheSameLink() throws Exception {
        Privileged.require("ip");
        try (LinkLab lab = LinkLab.start(1000, 0, 5)) {
            lab.startListener(PORT);
            Collector c = ping(lab, 20, Duration.ofMillis(20), Duration.ofSeconds(1), true);
            PingSummary s = c.summaries.get(0);
            assertEquals(20, s.received());
            assertTrue(s.minUs() >= 2000, "min " + s.minUs());
        }
    }
}
