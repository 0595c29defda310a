package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.cli.Main;
import io.synprobe.lab.WireCapture.Segment;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default timeouts judged on the wire (tcpdump where the probes arrive: the target's end of the veth, which sees
 * them on either send path; the lossy link's TUN device only ever carries the IP path): a deep scan of a host that answers
 * in microseconds retransmits its dropped port after the 10 ms floor, not nmap's 100 ms, and ends soon after its
 * last packet; over a lossy link with a real RTT the retransmissions still come, never before the RTT, and the
 * scan still gets every port right.
 */
@Tag("privileged")
@Timeout(300)
class ScanTimeoutsLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** port -> "state reason" of a JSON lines result. */
    static Map<Integer, String> states(Path jsonl) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line);
            if ("port".equals(n.path("type").asText())) out.put(n.get("port").asInt(), n.get("state").asText() + " " + n.get("reason").asText());
        }
        return out;
    }

    static List<Long> synTimesTo(List<Segment> wire, InetAddress dst, int port) {
        List<Long> t = new ArrayList<>();
        for (Segment s : wire) if (s.isBareSyn() && s.dst().equals(dst) && s.dport() == port) t.add(s.timeNs());
        return t;
    }

    @Test
    void deepScanOfAMicrosecondHostRetransmitsAfterTheFloorAndEndsSoonAfterItsLastPacket() throws Exception {
        InetAddress target = InetAddress.getByName(ScanLab.v4(0));
        try (ScanLab lab = ScanLab.start(1);
             WireCapture capture = WireCapture.start(lab.targetNetns(), "veth-" + lab.targetNetns(), "tcp")) {
            Path out = dir.resolve("deep.jsonl");
            // --precise-rtt: RTT samples from the kernel's transmit stamps, so they are the microseconds of the link
            // even on a loaded machine (batch send times would add the sender's preemption to them, and with it
            // the timeout: safe, but then this host is no longer a microsecond host)
            // --only open,filtered: a few lines of output, so the end is the timeouts' and not a busy output thread's
            // (20,000 lines lag behind on a loaded machine)
            int exit = Main.execute("scan", ScanLab.v4(0), "-p", "1-20000", "--precise-rtt", "--netns", lab.proberNetns(),
                    "-o", "jsonl", "--only", "open,filtered", "--output", out.toString(), "-q");
            Instant end = Instant.now();
            long endNs = TimeUnit.SECONDS.toNanos(end.getEpochSecond()) + end.getNano();
            assertEquals(0, exit);
            List<Segment> wire = capture.stop();

            Map<Integer, String> states = states(out);
            assertEquals("filtered no-response", states.get(82));
            assertEquals("open syn-ack", states.get(22));
            assertEquals("open syn-ack", states.get(80));
            assertEquals("filtered port-unreach", states.get(83));
            assertEquals("filtered admin-prohibited", states.get(84));
            assertEquals(java.util.Set.of(22, 80, 82, 83, 84, 85, 87, 88, 89, 90), states.keySet(), "open and filtered ports");

            // port 82 is dropped: the first SYN and both retransmissions are on the wire, spaced by the timeout,
            // which for a host answering in microseconds is the 10 ms floor (nmap: 100 ms)
            List<Long> syns = synTimesTo(wire, target, 82);
            assertEquals(3, syns.size(), "SYNs to the dropped port 82 (1 + 2 retries)");
            long lastPacket = wire.stream().mapToLong(Segment::timeNs).max().orElseThrow();
            List<Double> gapsMs = List.of((syns.get(1) - syns.get(0)) / 1e6, (syns.get(2) - syns.get(1)) / 1e6);
            double tailMs = (endNs - lastPacket) / 1e6;
            System.out.printf("deep scan 1-20000: retransmission gaps to port 82 %s ms; the scan returned %.1f ms after"
                    + " its last packet on the wire (%d packets)%n", gapsMs, tailMs, wire.size());
            for (double g : gapsMs) assertTrue(g >= 8.0, "retransmitted before the 10 ms floor: " + gapsMs);
            assertTrue(Math.min(gapsMs.get(0), gapsMs.get(1)) < 100.0, "the timeout sat on a 100 ms floor: " + gapsMs);
            // after the last retransmission: one timeout (>= 10 ms), the receiver's 20 ms quiet period, the output;
            // nmap would still be waiting out its 100 ms floors (3 x 100 ms for a port dropped late in the scan)
            assertTrue(tailMs < 300.0, "the scan ended " + tailMs + " ms after its last packet");
        }
    }

    @Test
    void aLossyLinkStillGetsItsRetransmissionsAndEveryPortRight() throws Exception {
        final int listenFirst = 8080, ports = 200;
        try (LinkLab lab = LinkLab.start(2000, 0.2, 15);
             LinkLab.Listener l = lab.startListener(listenFirst, listenFirst + 1, listenFirst + 2);
             WireCapture capture = WireCapture.start(lab.proberNetns(), LinkLab.PROBER_DEV, "tcp")) {
            Path out = dir.resolve("lossy.jsonl");
            String range = (listenFirst - ports + 3) + "-" + (listenFirst + 2);
            // 20% loss each way: an attempt is answered with p = 0.64; 8 attempts all fail with p = 0.36^8 = 0.03%
            int exit = Main.execute("scan", LinkLab.TARGET_V4, "-p", range, "--retries", "7", "--netns", lab.proberNetns(),
                    "-o", "jsonl", "--output", out.toString(), "-q");
            assertEquals(0, exit);
            List<Segment> wire = capture.stop();

            Map<Integer, String> states = states(out);
            assertEquals(ports, states.size());
            for (var e : states.entrySet()) {
                String expected = e.getKey() >= listenFirst ? "open syn-ack" : "closed reset";
                assertEquals(expected, e.getValue(), "port " + e.getKey());
            }
            InetAddress target = lab.targetV4();
            int syns = 0;
            double minGapMs = Double.MAX_VALUE;
            for (int p = listenFirst - ports + 3; p <= listenFirst + 2; p++) {
                List<Long> t = synTimesTo(wire, target, p);
                syns += t.size();
                for (int i = 1; i < t.size(); i++) minGapMs = Math.min(minGapMs, (t.get(i) - t.get(i - 1)) / 1e6);
            }
            System.out.printf("lossy link (2 ms each way, 20%% loss): %d SYNs for %d ports; shortest gap between"
                    + " retransmissions %.1f ms%n", syns, ports, minGapMs);
            // about 1 / 0.64 = 1.56 SYNs per port; without retransmissions a third of the ports would be lost
            assertTrue(syns >= ports * 1.3, "too few retransmissions: " + syns + " SYNs for " + ports + " ports");
            // a retransmission never comes before the round trip (4 ms) nor before the 10 ms floor
            assertTrue(minGapMs >= 8.0, "retransmitted after " + minGapMs + " ms");
        }
    }
}
