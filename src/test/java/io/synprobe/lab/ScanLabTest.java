package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.CollectingSink;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Scans against the real kernel: real listeners, real nftables verdicts, real ICMP errors. */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(240)
class ScanLabTest {
    static final String PORTS = "22,80-90";
    static final Map<Integer, String> EXPECTED_V4 = Map.ofEntries(
            Map.entry(22, "open syn-ack"), Map.entry(80, "open syn-ack"), Map.entry(81, "closed reset"),
            Map.entry(82, "filtered no-response"), Map.entry(83, "filtered port-unreach"),
            Map.entry(84, "filtered admin-prohibited"), Map.entry(85, "filtered host-unreach"),
            Map.entry(86, "closed reset"), Map.entry(87, "filtered net-unreach"),
            Map.entry(88, "filtered net-prohibited"), Map.entry(89, "filtered host-prohibited"),
            Map.entry(90, "filtered proto-unreach"));

    /** IPv6 has no net-/host-prohibited or protocol-unreachable rules in the lab: those ports answer with resets. */
    static final Map<Integer, String> EXPECTED_V6 = expectedV6();

    static Map<Integer, String> expectedV6() {
        Map<Integer, String> m = new TreeMap<>(EXPECTED_V4);
        for (int p = 88; p <= 90; p++) m.put(p, "closed reset");
        return m;
    }

    static ScanLab lab;

    @BeforeAll
    static void up() {
        lab = ScanLab.start(3);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.close();
    }

    static CollectingSink scan(String targets, String ports, int retries) throws Exception {
        TargetSet set = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of(targets.split(" "))));
        PortList pl = PortList.parse(ports);
        ScanOptions opts = ScanOptions.builder(set, pl).retries(retries).netns(lab.proberNetnsPath())
                .timeouts(100_000, 1_000_000, 300_000).build();
        CollectingSink sink = new CollectingSink();
        ScanSummary summary = new ScanEngine(opts).run(sink, new ScanInfo(List.of("test"), Instant.now(), set.size(),
                pl.size(), ports, "syn", "test"));
        assertEquals(set.size() * pl.size(), sink.results.size(), "one result per probed port");
        assertEquals(set.size() * pl.size(), summary.open() + summary.closed() + summary.filtered());
        assertTrue(sink.closed, "the sink is closed at the end");
        return sink;
    }

    @Test
    void everyKindOfPortGetsNmapsStateAndReasonOnSeveralHosts() throws Exception {
        CollectingSink sink = scan("198.18.0.2-198.18.0.4", PORTS, 1);
        for (int h = 0; h < 3; h++) {
            assertEquals(new TreeMap<>(EXPECTED_V4), sink.table(InetAddress.getByName(ScanLab.v4(h))), "host " + ScanLab.v4(h));
        }
        for (PortResult r : sink.results) {
            if (r.reason() == io.synprobe.result.Reason.NO_RESPONSE) {
                assertEquals(-1, r.ttl());
                assertEquals(-1, r.rttUs());
            } else {
                assertEquals(64, r.ttl(), "reply TTL of " + r);
                assertTrue(r.rttUs() >= 0 && r.rttUs() < 1_000_000, "rtt of " + r);
            }
        }
    }

    @Test
    void ipv6GetsTheSameStatesAndReasonsAsIpv4() throws Exception {
        CollectingSink sink = scan("2001:db8::2-2001:db8::4", PORTS, 1);
        for (int h = 0; h < 3; h++) {
            assertEquals(EXPECTED_V6, sink.table(InetAddress.getByName(ScanLab.v6(h))), "host " + ScanLab.v6(h));
        }
    }

    @Test
    void bothFamiliesInOneScan() throws Exception {
        CollectingSink sink = scan("198.18.0.2 2001:db8::2", PORTS, 1);
        assertEquals(new TreeMap<>(EXPECTED_V4), sink.table(InetAddress.getByName("198.18.0.2")));
        assertEquals(EXPECTED_V6, sink.table(InetAddress.getByName("2001:db8::2")));
    }

    @Test
    void resultsAgreeWithNmapSynScanPortForPort() throws Exception {
        assertAgreesWithNmap("198.18.0.2-198.18.0.4", "198.18.0.2-4", false);
    }

    @Test
    void ipv6ResultsAgreeWithNmapSynScanPortForPort() throws Exception {
        assertAgreesWithNmap("2001:db8::2-2001:db8::4", "2001:db8::2 2001:db8::3 2001:db8::4", true);
    }

    private void assertAgreesWithNmap(String ourTargets, String nmapTargets, boolean v6) throws Exception {
        Privileged.require("nmap");
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", lab.proberNetns(), "nmap", "-sS", "-n",
                "-Pn", "--reason", "--max-retries", "1", "-p", PORTS, "-oX", "-"));
        if (v6) cmd.add("-6");
        cmd.addAll(List.of(nmapTargets.split(" ")));
        Shell.Result nmapRun = Shell.run(cmd, null, 120);
        assertEquals(0, nmapRun.exit(), nmapRun.out());
        Map<String, String> nmap = nmapStates(nmapRun.out());
        // nmap names ICMPv6 "no route to destination" no-route; synprobe uses net-unreach for both families
        nmap.replaceAll((k, v) -> v.equals("filtered no-route") ? "filtered net-unreach" : v);
        CollectingSink sink = scan(ourTargets, PORTS, 1);
        Map<String, String> ours = new TreeMap<>();
        for (PortResult r : sink.results) {
            String addr = InetAddress.getByName(r.ip().getHostAddress()).getHostAddress();
            ours.put(canonical(addr) + ":" + r.port(), r.state().label() + " " + r.reason().label());
        }
        assertEquals(36, nmap.size(), "nmap reported every port: " + nmap);
        assertEquals(nmap, ours);
    }

    static String canonical(String addr) throws Exception {
        return InetAddress.getByName(addr).getHostAddress();
    }

    @Test
    void ndiffFindsNoDifferenceBetweenNmapAndSynprobeXml(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Privileged.require("nmap", "ndiff");
        java.nio.file.Path nmapXml = dir.resolve("nmap.xml"), ours = dir.resolve("synprobe.xml");
        Shell.Result n = Shell.run(List.of("ip", "netns", "exec", lab.proberNetns(), "nmap", "-sS", "-n", "-Pn", "--reason",
                "--max-retries", "1", "-p", PORTS, "-oX", nmapXml.toString(), "198.18.0.2-4"), null, 120);
        assertEquals(0, n.exit(), n.out());
        // nmap records the neighbours' MAC addresses, which a layer-3 prober never sees: the only difference allowed
        String withoutMacs = java.nio.file.Files.readString(nmapXml).replaceAll("<address addr=\"[0-9A-F:]+\" addrtype=\"mac\"[^>]*/>", "");
        java.nio.file.Files.writeString(nmapXml, withoutMacs);
        int exit = io.synprobe.cli.Main.execute("scan", "198.18.0.2-198.18.0.4", "-p", PORTS, "--retries", "1",
                "--initial-rtt-timeout", "300ms", "--netns", lab.proberNetns(), "-o", "xml", "--output", ours.toString(), "-q");
        assertEquals(0, exit);
        Shell.Result diff = Shell.run(List.of("ndiff", nmapXml.toString(), ours.toString()), null, 60);
        assertEquals(0, diff.exit(), "ndiff reports differences:\n" + diff.out());
    }

    /** ip:port -> "state reason" from nmap's XML, including the ports folded into extraports. */
    static Map<String, String> nmapStates(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> out = new TreeMap<>();
        NodeList hosts = doc.getElementsByTagName("host");
        for (int i = 0; i < hosts.getLength(); i++) {
            Element host = (Element) hosts.item(i);
            String addr = canonical(((Element) host.getElementsByTagName("address").item(0)).getAttribute("addr"));
            NodeList ports = host.getElementsByTagName("port");
            for (int j = 0; j < ports.getLength(); j++) {
                Element port = (Element) ports.item(j);
                Element state = (Element) port.getElementsByTagName("state").item(0);
                out.put(addr + ":" + port.getAttribute("portid"), state.getAttribute("state") + " " + state.getAttribute("reason"));
            }
            NodeList extras = host.getElementsByTagName("extrareasons");
            for (int j = 0; j < extras.getLength(); j++) {
                Element ex = (Element) extras.item(j);
                String state = ((Element) ex.getParentNode()).getAttribute("state");
                for (String range : ex.getAttribute("ports").split(",")) {
                    String[] ab = range.split("-");
                    int a = Integer.parseInt(ab[0]), b = ab.length > 1 ? Integer.parseInt(ab[1]) : a;
                    for (int p = a; p <= b; p++) out.put(addr + ":" + p, state + " " + ex.getAttribute("reason"));
                }
            }
        }
        return out;
    }

    @Test
    void loopbackPortsOpenedAndClosedByTheTest() throws Exception {
        Privileged.require();
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int closedPort = probe.getLocalPort();
            probe.close();
            TargetSet set = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of("127.0.0.1")));
            PortList pl = PortList.of(open.getLocalPort(), closedPort);
            CollectingSink sink = new CollectingSink();
            new ScanEngine(ScanOptions.defaults(set, pl)).run(sink, new ScanInfo(List.of(), Instant.now(), 1, 2, "", "syn", "t"));
            Map<Integer, String> t = sink.table(InetAddress.getByName("127.0.0.1"));
            assertEquals("open syn-ack", t.get(open.getLocalPort()));
            assertEquals("closed reset", t.get(closedPort));
        }
    }

    @Test
    void aWholeRangeOfPortsHasExactlyTheListenersOpen() throws Exception {
        CollectingSink sink = scan("198.18.0.2", "1-2000", 2);
        List<Integer> open = sink.results.stream().filter(r -> r.state() == PortState.OPEN).map(PortResult::port).sorted().toList();
        assertEquals(List.of(22, 80), open);
        long closed = sink.results.stream().filter(r -> r.state() == PortState.CLOSED).count();
        assertEquals(2000 - 2 - 8, closed, "every port without a rule or listener answers with a reset (86 included)");
    }
}
