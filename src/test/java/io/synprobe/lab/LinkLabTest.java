package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that LinkLab/tunlink delay and drop packets as configured, with ground truth from outside synprobe:
 * connrtt (native/tools/connrtt.c) times real kernel TCP handshakes from the prober namespace to splisten in
 * the target namespace.
 *
 * <p>A handshake crosses the link twice (SYN, SYN-ACK), so with one-way delay d it takes 2d + overhead. The
 * overhead is measured on a zero-delay lab, interleaved in rounds with the delayed lab so both see the same
 * machine load. Measured on the 2-vCPU CI VM (haltpoll cpuidle, other jobs running), tunlink and connrtt under
 * SCHED_FIFO, 200 samples per family:
 * <ul>
 *   <li>zero-delay handshake (link overhead incl. both kernels and connrtt's wake-up): 57-86 us mean,
 *       50-80 us median, IPv4 and IPv6 alike;</li>
 *   <li>error of the mean vs 2d + overhead: +26..+54 us at d = 2 ms, +67..+75 us at 5 ms, +118..+147 us at
 *       10 ms (tolerance 250/250/500 us: this checks the emulator; synprobe's accuracy is judged in PingLabTest).</li>
 * </ul>
 * The error grows with idle time, not with tunlink: a one-way UDP test with kernel receive timestamps
 * (SO_TIMESTAMPNS) gave 53 us median at d = 0 and d = 2 ms alike when packets came every 1 ms, but more when the
 * machine idled longer between packets. Waking an idle vCPU (tunlink on arrival, connrtt on completion) gets
 * slower the longer it slept, which a zero-delay run never shows. tunlink's own scheduling error (write time
 * minus due time) averages 4-15 us.
 * The assertion is |median - (2d + median overhead)| &lt;= max(250 us, 2.5% of 2d): medians, because one
 * scheduler stall of a busy VM can move a mean by more than the tolerance.
 */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(300)
class LinkLabTest {

    private static final int PORT = 8080;

    @BeforeAll
    static void requirePrivileged() {
        LinkLab.assumePrivileged("connrtt");
    }

    /** connrtt results: successful connect times in microseconds, plus failures. */
    record Rtt(List<Double> okUs, int timeouts, int other) {
        double mean() {
            return okUs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double quantile(double q) {
            List<Double> s = new ArrayList<>(okUs);
            Collections.sort(s);
            return s.isEmpty() ? Double.NaN : s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
        }

        Rtt plus(Rtt o) {
            List<Double> all = new ArrayList<>(okUs);
            all.addAll(o.okUs);
            return new Rtt(all, timeouts + o.timeouts, other + o.other);
        }

        @Override
        public String toString() {
            return String.format("n=%d mean=%.1f p50=%.1f p99=%.1f max=%.1f timeouts=%d other=%d", okUs.size(), mean(),
                    quantile(0.5), quantile(0.99), quantile(1.0), timeouts, other);
        }

        static Rtt empty() {
            return new Rtt(List.of(), 0, 0);
        }
    }

    static Rtt connrtt(LinkLab lab, String host, int count, String... opts) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(lab.tool("connrtt").toString());
        cmd.add("--rt"); // SCHED_FIFO: the wake-up that ends a measurement is not delayed by other load
        cmd.addAll(List.of(opts));
        cmd.addAll(List.of(host, Integer.toString(PORT), Integer.toString(count)));
        LinkLab.ExecResult r = lab.execWithTimeout(Duration.ofSeconds(120), lab.proberNetns(), cmd.toArray(String[]::new));
        List<Double> ok = new ArrayList<>();
        int timeouts = 0, other = 0;
        for (String line : r.lines()) {
            line = line.trim();
            if (line.isEmpty()) continue;
            if (line.equals("timeout")) timeouts++;
            else if (Character.isDigit(line.charAt(0))) ok.add(Double.parseDouble(line));
            else other++;
        }
        assertEquals(count, ok.size() + timeouts + other, "connrtt output: " + r.stdout() + r.stderr());
        return new Rtt(ok, timeouts, other);
    }

    @ParameterizedTest(name = "one-way delay {0} us")
    @ValueSource(longs = {2000, 5000, 10000})
    void handshakeTimeIsTwiceTheDelayPlusOverhead(long delayUs) throws IOException {
        try (LinkLab zero = LinkLab.start(0, 0.0, 1);
             LinkLab delayed = LinkLab.start(delayUs, 0.0, 1);
             LinkLab.Listener l0 = zero.startListener(PORT);
             LinkLab.Listener l1 = delayed.startListener(PORT)) {
            String[][] families = {{"v4", LinkLab.TARGET_V4}, {"v6", LinkLab.TARGET_V6}};
            for (String[] f : families) { // warm-up: route caches, page faults, first-packet effects
                connrtt(zero, f[1], 10);
                connrtt(delayed, f[1], 10);
            }
            for (String[] f : families) {
                Rtt base = Rtt.empty(), link = Rtt.empty();
                for (int round = 0; round < 4; round++) { // interleave so both labs see the same load
                    base = base.plus(connrtt(zero, f[1], 50));
                    link = link.plus(connrtt(delayed, f[1], 50));
                }
                assertEquals(0, base.timeouts() + base.other(), "zero-delay failures: " + base);
                assertEquals(0, link.timeouts() + link.other(), "delayed failures: " + link);
                // medians: one scheduler stall on a busy 2-core VM (seen: 77 ms) must not decide the link's delay
                double overhead = base.quantile(0.5);
                double expected = 2.0 * delayUs + overhead;
                // connect() timing includes waking an idle process, which grows with the delay: the emulator's sanity, not
                // synprobe's accuracy (PingLabTest judges that against tcpdump's wire timestamps)
                double tolerance = Math.max(250.0, 0.025 * 2.0 * delayUs);
                double error = link.quantile(0.5) - expected;
                System.out.printf("LinkLab %s delay=%dus: zero-delay overhead {%s}; delayed {%s}; expected %.1f, error %+.1f us"
                                + " (tolerance %.0f)%n", f[0], delayUs, base, link, expected, error, tolerance);
                assertTrue(Math.abs(error) <= tolerance, String.format(
                        "%s: median handshake %.1f us, expected %.1f +- %.0f (2*%d + overhead %.1f)", f[0], link.quantile(0.5),
                        expected, tolerance, delayUs, overhead));
            }
            LinkLab.LinkStats stats = delayed.linkStats();
            System.out.println("LinkLab delayed link counters: " + stats.values());
            assertEquals(0, stats.get("ab", "loss") + stats.get("ba", "loss"));
            assertEquals(0, stats.get("ab", "qdrop") + stats.get("ba", "qdrop"));
        }
    }

    @Test
    void asymmetricDelaysAddUp() throws IOException {
        try (LinkLab zero = LinkLab.start(0, 0.0, 1);
             LinkLab lab = LinkLab.start(new LinkLab.Config(3000, 1000, 0.0, 0.0, 1, 120));
             LinkLab.Listener l0 = zero.startListener(PORT);
             LinkLab.Listener l1 = lab.startListener(PORT)) {
            connrtt(zero, LinkLab.TARGET_V4, 10);
            connrtt(lab, LinkLab.TARGET_V4, 10);
            Rtt base = connrtt(zero, LinkLab.TARGET_V4, 100);
            Rtt link = connrtt(lab, LinkLab.TARGET_V4, 100);
            double expected = 4000 + base.quantile(0.5);
            System.out.printf("LinkLab asymmetric 3000/1000 us: {%s}, expected %.1f%n", link, expected);
            assertEquals(0, link.timeouts() + link.other());
            // two delay timers (one per direction) each add their wake-up latency, larger on an idle machine
            // (+178 and +191 us measured): 300 us still tells 3000/1000 from 3000/0 or 1000/1000
            assertTrue(Math.abs(link.quantile(0.5) - expected) <= 300.0, "median " + link.quantile(0.5) + " expected " + expected);
        }
    }

    @Test
    void lossIsIndependentPerDirectionAndPlausible() throws IOException {
        final int attempts = 300;
        final double loss = 0.2;
        try (LinkLab lab = LinkLab.start(1000, loss, 42);
             LinkLab.Listener l = lab.startListener(PORT)) {
            // 100 ms is far below the 1 s initial SYN RTO: every attempt is exactly one SYN. It succeeds only if
            // the SYN survives a->b and the SYN-ACK survives b->a: p = 0.8 * 0.8 = 0.64.
            Rtt r = connrtt(lab, LinkLab.TARGET_V4, attempts, "--timeout-ms", "100");
            assertEquals(0, r.other(), "unexpected connect errors: " + r);
            double success = (double) r.okUs().size() / attempts;
            double expected = (1 - loss) * (1 - loss);
            LinkLab.LinkStats s = lab.stopLink();
            System.out.printf("LinkLab loss=%.2f: connect success %.3f (expected %.2f; sd %.3f); counters %s%n", loss,
                    success, expected, Math.sqrt(expected * (1 - expected) / attempts), s.values());
            // ~3.6 sd of a binomial(300, 0.64)
            assertEquals(expected, success, 0.10, "fraction of single-SYN connects that succeeded");
            for (String dir : new String[] {"ab", "ba"}) {
                assertTrue(s.get(dir, "rx") >= (dir.equals("ab") ? attempts : attempts / 2),
                        dir + " saw too few packets: " + s.values());
                assertEquals(loss, s.lossFraction(dir), 0.06, dir + " loss fraction, counters " + s.values());
                assertEquals(0, s.get(dir, "qdrop"), "queue drops");
            }
        }
    }

    @Test
    void closeRemovesEverything() throws IOException {
        LinkLab lab = LinkLab.start(0, 0.0, 7);
        LinkLab.Listener l = lab.startListener(PORT, PORT + 1);
        String p = lab.proberNetns(), t = lab.targetNetns();
        assertTrue(p.length() <= 15 && t.length() <= 15 && p.startsWith("sp-") && t.startsWith("sp-"));
        long tunlinkPid = lab.tunlinkPid(), listenerPid = l.pid();
        assertEquals(0, lab.exec(lab.proberNetns(), "ip", "link", "show", LinkLab.PROBER_DEV).exitCode());
        assertEquals(0, lab.execWithTimeout(Duration.ofSeconds(10), lab.proberNetns(), lab.tool("connrtt").toString(),
                LinkLab.TARGET_V6, Integer.toString(PORT + 1), "3").exitCode());
        lab.close();
        lab.close(); // idempotent
        assertFalse(ProcessHandle.of(tunlinkPid).map(ProcessHandle::isAlive).orElse(false), "tunlink still alive");
        assertFalse(ProcessHandle.of(listenerPid).map(ProcessHandle::isAlive).orElse(false), "splisten still alive");
        LinkLab.ExecResult list = lab.exec(null, "ip", "netns", "list");
        assertFalse(list.stdout().contains(p) || list.stdout().contains(t), "namespaces left: " + list.stdout());
    }

    @Test
    void failedStartCleansUp() throws IOException {
        // A delay tunlink rejects (> 60 s) makes start fail after both namespaces were created.
        IOException e = assertThrows(IOException.class,
                () -> LinkLab.start(new LinkLab.Config(61_000_000, 0, 0.0, 0.0, 1, 10)).close());
        Matcher m = Pattern.compile("LinkLab (sp-[0-9a-f]{8}-p)/(sp-[0-9a-f]{8}-t) failed").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        System.out.println("LinkLab failed start as expected: " + e.getMessage());
        String list = Shell.run(List.of("ip", "netns", "list"), null, 30).out();
        assertFalse(list.contains(m.group(1)) || list.contains(m.group(2)), "namespaces leaked by a failed start: " + list);
    }
}
