package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.cli.Main;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.SendPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packet-socket send path against the wire: the target's side of the link (tcpdump) sees the probes as frames
 * addressed to its MAC, the prober's netfilter OUTPUT hook (an nftables counter) never sees them, and the results
 * are the same; with --send-path ip the same counter counts every probe (the positive control). AUTO keeps to the
 * IP path once the prober has local OUTPUT rules, and a next hop that is not resolved yet is sent the IP way
 * (which resolves it) before the frames take over.
 */
@Tag("privileged")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PacketPathLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Counts the SYNs leaving through OUTPUT (the kernel's own RSTs are not SYNs); accepts everything. */
    static final String OUTPUT_COUNTER = """
            table inet sp_packet_path {
              counter syns {}
              chain out {
                type filter hook output priority 0; policy accept;
                tcp flags & (syn | ack) == syn counter name syns
              }
            }
            """;

    static long outputSyns(ScanLab lab) {
        String out = Shell.check("ip", "netns", "exec", lab.proberNetns(), "nft", "list", "counter", "inet", "sp_packet_path", "syns");
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    static void resetCounter(ScanLab lab) {
        Shell.check("ip", "netns", "exec", lab.proberNetns(), "nft", "reset", "counter", "inet", "sp_packet_path", "syns");
    }

    static String mac(String netns, String dev) {
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(Shell.check("ip", "-n", netns, "link", "show", "dev", dev));
        assertTrue(m.find());
        return m.group(1);
    }

    /** Resolves both families' next hops the ordinary way, as any earlier traffic to them would. */
    static void resolveNeighbours(ScanLab lab, int hosts) {
        List<String> cmd = new java.util.ArrayList<>(List.of("scan", "-p", "22", "--send-path", "ip", "--netns",
                lab.proberNetns(), "-q", "-o", "jsonl", "--output", "/dev/null"));
        for (int h = 0; h < hosts; h++) cmd.addAll(List.of(ScanLab.v4(h), ScanLab.v6(h)));
        assertEquals(0, Main.execute(cmd.toArray(String[]::new)), "a scan on the IP path resolves the next hops");
        String neigh = Shell.check("ip", "-n", lab.proberNetns(), "neigh", "show");
        for (int h = 0; h < hosts; h++) {
            assertTrue(neigh.contains(ScanLab.v4(h) + " dev") && neigh.contains(ScanLab.v6(h) + " dev"), neigh);
        }
    }

    /** Lines tcpdump -e printed on the target's side for the SYNs it received while the action ran. */
    static List<String> synsAtTarget(ScanLab lab, Path dir, Runnable action) throws Exception {
        Privileged.require("tcpdump");
        Path pcap = dir.resolve("target-" + System.nanoTime() + ".pcap");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.targetNetns(), "tcpdump", "-i", "veth-" + lab.targetNetns(),
                "-nn", "-U", "-s", "256", "--immediate-mode", "-w", pcap.toString(), "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn"
                        + " or (ip6 and ip6[53] & 0x12 == 0x02)")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            var err = new java.io.BufferedReader(new java.io.InputStreamReader(tcpdump.getErrorStream()));
            String banner = err.readLine();
            while (banner != null && !banner.contains("listening")) banner = err.readLine();
            assertTrue(banner != null, "tcpdump did not start");
            action.run();
            Thread.sleep(300);
        } finally {
            Shell.run(List.of("kill", "-INT", Long.toString(tcpdump.pid())), null, 10);
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) tcpdump.destroyForcibly();
        }
        return Shell.check("tcpdump", "-nn", "-e", "-r", pcap.toString()).lines().filter(l -> l.contains("Flags [S]")).toList();
    }

    static Map<String, String> states(Path jsonl) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode r = JSON.readTree(line);
            if (r.path("type").asText().equals("port")) {
                out.put(r.path("ip").asText() + ":" + r.path("port").asInt(), r.path("state").asText() + " " + r.path("reason").asText());
            }
        }
        return out;
    }

    static final Map<String, String> EXPECTED = Map.of(
            "198.18.0.2:22", "open syn-ack", "198.18.0.2:80", "open syn-ack", "198.18.0.2:81", "closed reset",
            "198.18.0.2:82", "filtered no-response", "198.18.0.2:83", "filtered port-unreach",
            "2001:db8::2:22", "open syn-ack", "2001:db8::2:80", "open syn-ack", "2001:db8::2:81", "closed reset",
            "2001:db8::2:82", "filtered no-response", "2001:db8::2:83", "filtered port-unreach");

    @Test
    void packetPathFramesReachTheTargetWithoutPassingOutputAndIpPathStillDoes(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(1)) {
            resolveNeighbours(lab, 1);
            Shell.checkIn(OUTPUT_COUNTER, "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
            String targetMac = mac(lab.targetNetns(), "veth-" + lab.targetNetns());
            String proberMac = mac(lab.proberNetns(), "veth-" + lab.proberNetns());
            Path packet = dir.resolve("packet.jsonl"), ip = dir.resolve("ip.jsonl");
            int[] exits = new int[2];

            resetCounter(lab);
            List<String> packetSyns = synsAtTarget(lab, dir, () -> exits[0] = Main.execute("scan", "198.18.0.2", "2001:db8::2",
                    "-p", "22,80-83", "--send-path", "packet", "--netns", lab.proberNetns(), "-o", "jsonl", "--output",
                    packet.toString(), "--retries", "1", "--max-rtt-timeout", "300ms", "-q"));
            long packetCounted = outputSyns(lab);
            assertEquals(0, exits[0]);
            assertEquals(new TreeMap<>(EXPECTED), states(packet), "the same states and reasons as the IP path gives");
            assertEquals(0, packetCounted, "no probe of the packet path passed the prober's OUTPUT hook");
            long v4 = packetSyns.stream().filter(l -> l.contains("IPv4") && l.contains("> 198.18.0.2.22:")).count();
            long v6 = packetSyns.stream().filter(l -> l.contains("IPv6") && l.contains("> 2001:db8::2.22:")).count();
            assertTrue(v4 >= 1 && v6 >= 1, "the target received the probes to port 22 in both families: " + packetSyns);
            for (String l : packetSyns) {
                assertTrue(l.contains(proberMac + " > " + targetMac), "a frame from the prober's MAC to the target's: " + l);
            }

            resetCounter(lab);
            List<String> ipSyns = synsAtTarget(lab, dir, () -> exits[1] = Main.execute("scan", "198.18.0.2", "2001:db8::2",
                    "-p", "22,80-83", "--send-path", "ip", "--netns", lab.proberNetns(), "-o", "jsonl", "--output",
                    ip.toString(), "--retries", "1", "--max-rtt-timeout", "300ms", "-q"));
            long ipCounted = outputSyns(lab);
            assertEquals(0, exits[1]);
            assertEquals(new TreeMap<>(EXPECTED), states(ip));
            assertEquals(ipSyns.size(), ipCounted, "the positive control: every probe of the IP path passed OUTPUT");
            assertTrue(ipCounted >= 10, "ten ports, some retransmitted: " + ipCounted);
        }
    }

    @Test
    void autoUsesThePacketSocketUnlessLocalOutputRulesExist() {
        try (ScanLab lab = ScanLab.start(1)) {
            String ns = lab.proberNetnsPath();
            try (RawSockets s = RawSockets.open(true, true, 0, 0, ns, false, SendPath.AUTO)) {
                assertEquals(SendPath.PACKET, s.sendPath(), "no local output policy: the packet socket");
            }
            try (RawSockets s = RawSockets.open(true, true, 0, 0, ns, false, SendPath.IP)) {
                assertEquals(SendPath.IP, s.sendPath());
            }
            Shell.checkIn(OUTPUT_COUNTER, "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
            try (RawSockets s = RawSockets.open(true, true, 0, 0, ns, false, SendPath.AUTO)) {
                assertEquals(SendPath.IP, s.sendPath(), "an output chain exists: the IP path, so it still applies");
            }
            try (RawSockets s = RawSockets.open(true, true, 0, 0, ns, false, SendPath.PACKET)) {
                assertEquals(SendPath.PACKET, s.sendPath(), "forced");
            }
            Shell.check("ip", "netns", "exec", lab.proberNetns(), "nft", "delete", "table", "inet", "sp_packet_path");
            Shell.checkIn("""
                    table ip sp_post {
                      chain p {
                        type nat hook postrouting priority 100; policy accept;
                      }
                    }
                    """, "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
            try (RawSockets s = RawSockets.open(true, false, 0, 0, ns, false, SendPath.AUTO)) {
                assertEquals(SendPath.IP, s.sendPath(), "a postrouting chain (NAT) would be bypassed too");
            }
        }
    }

    @Test
    void anUnresolvedNextHopGoesTheIpWayUntilTheKernelHasResolvedIt(@TempDir Path dir) throws Exception {
        try (ScanLab lab = ScanLab.start(1)) {
            Shell.checkIn(OUTPUT_COUNTER, "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
            // the lab pins its next hops when the default path is not ip: this test wants them unresolved
            Shell.check("ip", "-n", lab.proberNetns(), "neigh", "flush", "dev", "veth-" + lab.proberNetns(), "nud", "all");
            assertTrue(!Shell.check("ip", "-n", lab.proberNetns(), "neigh", "show", "198.18.0.2").contains("lladdr"),
                    "the lab starts with nothing resolved");
            Path out = dir.resolve("scan.jsonl");
            // 1-3000 at --rate 100k: about 30 ms of sending, well past the 2 ms after which the shim asks again
            List<String> syns = synsAtTarget(lab, dir, () -> assertEquals(0, Main.execute("scan", "198.18.0.2", "-p", "1-3000",
                    "--rate", "100k", "--send-path", "packet", "--netns", lab.proberNetns(), "-o", "jsonl", "--output",
                    out.toString(), "-q")));
            long viaOutput = outputSyns(lab);
            Map<String, String> states = states(out);
            assertEquals(3000, states.size());
            assertEquals("open syn-ack", states.get("198.18.0.2:22"));
            assertEquals("open syn-ack", states.get("198.18.0.2:80"));
            assertEquals("closed reset", states.get("198.18.0.2:2999"));
            assertTrue(viaOutput >= 1, "the first probes went the IP way, which resolved the neighbour");
            assertTrue(viaOutput < syns.size() / 2, "then frames: " + viaOutput + " of " + syns.size() + " through OUTPUT");
            assertTrue(Shell.check("ip", "-n", lab.proberNetns(), "neigh", "show", "198.18.0.2").contains("lladdr"));
        }
    }

    /** Send times of one batch of 64 SYNs to 198.18.0.2:81 on the given path, and the probes sent as frames. */
    static long[] sendTimes(ScanLab lab, SendPath path, boolean transmitTimestamps, long[] framesOut) {
        try (RawSockets s = RawSockets.open(true, false, 0, 0, lab.proberNetnsPath(), transmitTimestamps, path)) {
            byte[] dst = {(byte) 198, 18, 0, 2};
            byte[] src = new io.synprobe.nativeio.Routes(lab.proberNetnsPath()).sourceFor(dst);
            io.synprobe.nativeio.ProbeBatch batch = new io.synprobe.nativeio.ProbeBatch(64);
            for (int i = 0; i < 64; i++) batch.addSyn(src, dst, 40000 + i, 81, 1000 + i, 64, i, 1024, 1460);
            long before = io.synprobe.nativeio.WireClock.realtimeNs();
            s.send(batch);
            long after = io.synprobe.nativeio.WireClock.realtimeNs();
            long[] t = new long[64];
            for (int i = 0; i < 64; i++) {
                t[i] = batch.sendTimestamp(i);
                assertTrue(t[i] >= before - 1_000_000 && t[i] <= after, "send time " + i + " within the call: " + t[i]);
            }
            framesOut[0] = s.packetPathCounts()[0];
            return t;
        }
    }

    @Test
    void transmitTimestampsComeFromTheKernelPerFrame() {
        try (ScanLab lab = ScanLab.start(1)) {
            resolveNeighbours(lab, 1);
            long[] frames = new long[1];
            long distinct = java.util.Arrays.stream(sendTimes(lab, SendPath.PACKET, true, frames)).distinct().count();
            assertEquals(64, frames[0], "all 64 left as frames");
            assertTrue(distinct >= 60, "the kernel stamped each frame when the device took it: " + distinct + " distinct");
            // the control: without kernel stamps every probe of a batch has the one time taken before the send
            long fallback = java.util.Arrays.stream(sendTimes(lab, SendPath.PACKET, false, frames)).distinct().count();
            assertEquals(1, fallback);
        }
    }
}
