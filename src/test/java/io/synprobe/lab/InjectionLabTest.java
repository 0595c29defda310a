package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.ScanInfo;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.CollectingSink;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hardening: hostile replies never change a result. In the target namespace nftables silently drops ports
 * 1000-1199, and for each forgery mode a {@code forger} process (native/tools/forger.c) answers the SYNs to its
 * own ten ports with forged SYN-ACKs, resets and ICMP errors that a correct prober must not believe. One scan of
 * both families covers every mode's ports plus the kernel's real 22 (open) and 81 (closed), which the garbage
 * forger floods too. Every forged port must come out filtered/no-response, the real ones unchanged; the forgers'
 * own counters and nftables counters in the prober namespace prove the forgeries were sent and arrived.
 *
 * <p>Positive control: each forger also answers the first SYN of each family to its own control port (1100 + mode
 * index, silenced by the same rule) with ONE correct SYN-ACK built by the same code. Those ports must come out open:
 * so "forged ports stay filtered" cannot hold merely because every packet from a forger is ignored.
 */
@Tag("privileged")
@Timeout(180)
class InjectionLabTest {
    static final String V4 = ScanLab.v4(0), V6 = ScanLab.v6(0);
    static final String OTHER_V4 = "198.18.0.250", OTHER_V6 = "2001:db8::fa";
    static final List<String> MODES = List.of("synack-wrong-ack", "rst-wrong-ack", "rst-ack-equals-seq",
            "icmp-wrong-seq", "icmp-other-port", "synack-from-other-ip", "dup", "garbage");
    static final String SILENT = """
            table inet inject {
              chain input {
                type filter hook input priority -10; policy accept;
                tcp dport 1000-1199 drop
              }
            }
            """;
    static final Pattern STATS = Pattern.compile("stats mode=(\\S+) syns4=(\\d+) syns6=(\\d+) sent4=(\\d+) sent6=(\\d+) "
            + "errors=(\\d+) captured=(\\d+) pending=(\\d+) drops=(\\d+) control4=(\\d+) control6=(\\d+)");

    record Stats(long syns4, long syns6, long sent4, long sent6, long errors, long captured, long pending, long drops,
                 long control4, long control6) {
    }

    static ScanLab lab;
    static final List<ChildProcess> forgers = new ArrayList<>();
    static final Map<String, Stats> stats = new LinkedHashMap<>();
    static final Map<String, Long> arrived = new LinkedHashMap<>();
    static CollectingSink sink;

    static int firstPort(String mode) {
        return 1000 + 10 * MODES.indexOf(mode);
    }

    /** The port where this mode's forger sends its one correct SYN-ACK per family (the positive control). */
    static int controlPort(String mode) {
        return 1100 + MODES.indexOf(mode);
    }

    static String range(String mode) {
        return firstPort(mode) + "-" + (firstPort(mode) + 9);
    }

    static Stream<String> modes() {
        return MODES.stream();
    }

    @BeforeAll
    static void up() throws Exception {
        Privileged.require("ip", "nft");
        lab = ScanLab.start(1);
        String t = lab.targetNetns(), veth = "veth-" + t;
        Shell.check("ip", "-n", t, "addr", "add", OTHER_V4 + "/24", "dev", veth);
        Shell.check("ip", "-n", t, "addr", "add", OTHER_V6 + "/64", "dev", veth, "nodad");
        Shell.checkIn(SILENT, "ip", "netns", "exec", t, "nft", "-f", "-");
        Shell.checkIn(counters(), "ip", "netns", "exec", lab.proberNetns(), "nft", "-f", "-");
        try {
            for (String mode : MODES) {
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", t, Privileged.tool("forger").toString(),
                        "--mode", mode, "--iface", veth, "--max-seconds", "90", "--other-ip4", OTHER_V4,
                        "--other-ip6", OTHER_V6, "--ports", range(mode) + (mode.equals("garbage") ? ",22,81" : ""),
                        "--control-port", Integer.toString(controlPort(mode))));
                if (mode.equals("dup")) cmd.addAll(List.of("--capture-ports", "22"));
                ChildProcess p = ChildProcess.start(cmd);
                forgers.add(p);
                p.awaitLine("ready"::equals, Duration.ofSeconds(10), "'ready' from the " + mode + " forger");
            }
            sink = scan(V4 + " " + V6, "22,81,1000-" + (firstPort(MODES.get(MODES.size() - 1)) + 9) + ","
                    + controlPort(MODES.get(0)) + "-" + controlPort(MODES.get(MODES.size() - 1)));
        } finally {
            stopForgers();
        }
        for (String mode : MODES) {
            for (int family : new int[] {4, 6}) {
                arrived.put(mode + "/" + family, counter(counterName(mode, family)));
            }
        }
        System.out.println("InjectionLabTest forgers " + stats + "\nInjectionLabTest arrived at the prober " + arrived);
    }

    /** SIGTERM makes each forger print its counters and exit; they are read from its output file. */
    static void stopForgers() {
        for (ChildProcess p : forgers) p.stop(Duration.ofSeconds(10));
        for (ChildProcess p : forgers) {
            Matcher m = STATS.matcher(p.output());
            if (!m.find()) continue;
            long[] v = new long[10];
            for (int g = 0; g < v.length; g++) v[g] = Long.parseLong(m.group(g + 2));
            stats.put(m.group(1), new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
        }
    }

    @AfterAll
    static void down() {
        for (ChildProcess p : forgers) p.close();
        if (lab != null) lab.close();
        lab = null;
        // static: a subclass run in the same JVM (InjectionLabPacketPathTest) starts from nothing
        forgers.clear();
        stats.clear();
        arrived.clear();
    }

    static CollectingSink scan(String targets, String ports) throws Exception {
        TargetSet set = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of(targets.split(" "))));
        PortList pl = PortList.parse(ports);
        ScanOptions opts = ScanOptions.builder(set, pl).retries(1).netns(lab.proberNetnsPath())
                .timeouts(100_000, 1_000_000, 300_000).build();
        CollectingSink s = new CollectingSink();
        new ScanEngine(opts).run(s, new ScanInfo(List.of("test"), Instant.now(), set.size(), pl.size(), ports, "syn", "test"));
        assertEquals(set.size() * pl.size(), s.results.size(), "one result per probed port");
        return s;
    }

    static String counterName(String mode, int family) {
        return "m" + MODES.indexOf(mode) + "v" + family;
    }

    /**
     * Counters in the prober namespace's prerouting hook, where a packet has passed the IP layer's checks and is
     * about to reach the scanner's raw sockets: per mode and family, replies from its port range (TCP source port,
     * or the destination port an ICMP error quotes: transport header bit 240 for IPv4, 400 for IPv6).
     */
    static String counters() {
        StringBuilder decl = new StringBuilder(), rules = new StringBuilder();
        for (String mode : MODES) {
            String r = range(mode);
            for (int f : new int[] {4, 6}) {
                String c = counterName(mode, f), ip = f == 4 ? "ip" : "ip6";
                String src = mode.equals("synack-from-other-ip") ? (f == 4 ? OTHER_V4 : OTHER_V6) : (f == 4 ? V4 : V6);
                decl.append("  counter ").append(c).append(" { }\n");
                String from = "    " + ip + " saddr " + src + " ";
                rules.append(from).append("tcp sport ").append(r).append(" counter name ").append(c).append('\n');
                rules.append(from).append("meta l4proto ").append(f == 4 ? "icmp @th,240,16 " : "ipv6-icmp @th,400,16 ")
                        .append(r).append(" counter name ").append(c).append('\n');
            }
        }
        return "table inet injectcount {\n" + decl + "  chain pre {\n    type filter hook prerouting priority -300; "
                + "policy accept;\n" + rules + "  }\n}\n";
    }

    static long counter(String name) {
        String out = Shell.check("ip", "netns", "exec", lab.proberNetns(), "nft", "list", "counter", "inet",
                "injectcount", name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no packets in: " + out);
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void forgedRepliesLeaveEveryPortFilteredNoResponse(String mode) throws Exception {
        for (String host : List.of(V4, V6)) {
            Map<Integer, String> table = sink.table(InetAddress.getByName(host));
            for (int port = firstPort(mode); port <= firstPort(mode) + 9; port++) {
                assertEquals("filtered no-response", table.get(port), mode + ": " + host + " port " + port);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void theForgeriesWereReallySentAndArrived(String mode) {
        Stats s = stats.get(mode);
        assertTrue(s != null, mode + ": the forger printed no counters: " + stats);
        // ten ports per family, each probed twice (retries 1) since no forgery may end a probe early
        assertTrue(s.syns4() >= 20 && s.syns6() >= 20, mode + ": the forger saw every probe: " + s);
        assertTrue(s.sent4() >= s.syns4() && s.sent6() >= s.syns6(), mode + ": a forgery for every probe: " + s);
        assertEquals(0, s.errors(), mode + ": send errors: " + s);
        // at least one forgery per probe reached the prober's IP layer (garbage mode: most of its kinds)
        assertTrue(arrived.get(mode + "/4") >= s.syns4(), mode + ": IPv4 forgeries at the prober " + arrived);
        assertTrue(arrived.get(mode + "/6") >= s.syns6(), mode + ": IPv6 forgeries at the prober " + arrived);
        if (mode.equals("dup")) {
            assertTrue(s.captured() >= 2, "dup captured the kernel's SYN-ACKs of port 22 in both families: " + s);
            assertEquals(0, s.pending(), "dup answered every SYN it held back: " + s);
            assertTrue(s.sent4() >= 2 * s.syns4() && s.sent6() >= 2 * s.syns6(), "dup replayed for every probe: " + s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void theOneCorrectReplyOfEachForgerIsAccepted(String mode) throws Exception {
        Stats s = stats.get(mode);
        assertTrue(s != null, mode + ": the forger printed no counters: " + stats);
        assertEquals(1, s.control4(), mode + ": one correct IPv4 SYN-ACK sent: " + s);
        assertEquals(1, s.control6(), mode + ": one correct IPv6 SYN-ACK sent: " + s);
        for (String host : List.of(V4, V6)) {
            assertEquals("open syn-ack", sink.table(InetAddress.getByName(host)).get(controlPort(mode)),
                    mode + ": the forger's correct reply for " + host + " port " + controlPort(mode));
        }
    }

    /** The control: while the garbage forger answers them too, the kernel's real answers still decide. */
    @Test
    void realPortsKeepTheirResultsWhileGarbageFloodsThem() throws Exception {
        assertEquals("open syn-ack", sink.table(InetAddress.getByName(V4)).get(22));
        assertEquals("closed reset", sink.table(InetAddress.getByName(V4)).get(81));
        assertEquals("open syn-ack", sink.table(InetAddress.getByName(V6)).get(22));
        assertEquals("closed reset", sink.table(InetAddress.getByName(V6)).get(81));
        Stats g = stats.get("garbage");
        // 20 probes per family to its own range, and 22 and 81 once each per family
        assertTrue(g.syns4() >= 22 && g.syns6() >= 22, "garbage also answered ports 22 and 81: " + g);
        assertTrue(g.sent4() >= 10 * g.syns4() && g.sent6() >= 10 * g.syns6(), "garbage sent its whole menu: " + g);
    }
}
