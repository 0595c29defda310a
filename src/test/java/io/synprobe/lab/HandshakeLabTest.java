package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.synprobe.cli.Main;
import io.synprobe.handshake.GreetingListener;
import io.synprobe.handshake.Tcpdump;
import io.synprobe.testutil.Jvm;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * --handshake full against the real kernel of a lab target with a greeting service (spgreet on 2222) and the scan
 * lab's listeners: on the wire (tcpdump where our packets arrive) each connection is exactly SYN, our ACK, the ACK
 * of the greeting and our RST (or our FIN and the ACK of the server's FIN), with no RST of our kernel in between;
 * the service accepts once per probe; the banner is reported exactly in JSONL and CSV; the prober's nftables
 * ruleset is the same before and after a run and after a Ctrl-C; without CAP_NET_ADMIN it exits 3 and sends nothing.
 */
@Tag("privileged")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HandshakeLabTest {
    static final int GREET = 2222;
    static final String BANNER = "SSH-2.0-synprobe_lab_1.0\\r\\n"; // as reported: escaped
    static final String V4 = "198.18.0.2", V6 = "2001:db8::2";

    static ScanLab lab;
    static GreetingListener greeter;

    @BeforeAll
    static void up() {
        Privileged.require("ip", "nft", "tcpdump", "setpriv");
        lab = ScanLab.start(1);
        greeter = GreetingListener.start(lab.targetNetns(), GreetingListener.DEFAULT_GREETING, GREET);
    }

    @AfterAll
    static void down() {
        if (greeter != null) greeter.close();
        if (lab != null) lab.close();
    }

    static String ruleset() {
        return Shell.check("ip", "netns", "exec", lab.proberNetns(), "nft", "list", "ruleset");
    }

    /** One TCP segment as captured: who sent it to whom, its flags, numbers and payload length. */
    record Segment(int family, int sport, int dport, int flags, long seq, long ack, int window, int payload) {
        String flagText() {
            StringBuilder s = new StringBuilder();
            if ((flags & 0x02) != 0) s.append('S');
            if ((flags & 0x01) != 0) s.append('F');
            if ((flags & 0x04) != 0) s.append('R');
            if ((flags & 0x08) != 0) s.append('P');
            if ((flags & 0x10) != 0) s.append('.');
            return s.toString();
        }
    }

    static Segment segment(byte[] ip) {
        ByteBuffer b = ByteBuffer.wrap(ip);
        int version = (b.get(0) & 0xff) >>> 4;
        int l4 = version == 4 ? (b.get(0) & 0x0f) * 4 : 40;
        int total = version == 4 ? b.getShort(2) & 0xffff : 40 + (b.getShort(4) & 0xffff);
        int dataOff = ((b.get(l4 + 12) & 0xff) >>> 4) * 4;
        return new Segment(version, b.getShort(l4) & 0xffff, b.getShort(l4 + 2) & 0xffff, b.get(l4 + 13) & 0xff,
                b.getInt(l4 + 4) & 0xffffffffL, b.getInt(l4 + 8) & 0xffffffffL, b.getShort(l4 + 14) & 0xffff,
                total - l4 - dataOff);
    }

    /** Our packets, as they arrived at the target, grouped per connection (family and source port), in order. */
    static Map<String, List<Segment>> connections(Tcpdump cap) {
        Map<String, List<Segment>> m = new LinkedHashMap<>();
        for (Tcpdump.Frame f : cap.frames()) {
            Segment s = segment(f.ip());
            m.computeIfAbsent("v" + s.family() + ":" + s.sport(), k -> new ArrayList<>()).add(s);
        }
        return m;
    }

    static String flags(List<Segment> conn) {
        return String.join(" ", conn.stream().map(Segment::flagText).toList());
    }

    static Tcpdump captureOurs(Path dir, String name) {
        return Tcpdump.start(lab.targetNetns(), "veth-" + lab.targetNetns(), "tcp port " + GREET, dir.resolve(name));
    }

    static List<JsonNode> jsonl(Path file, String type) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals(type)) out.add(n);
        }
        return out;
    }

    @Test
    void pingWithRstCloseIsSynAckAckRstOnTheWireAndReadsTheBanner(@TempDir Path dir) throws Exception {
        wirePing(dir, "rst", "S . . R");
    }

    @Test
    void pingWithFinCloseIsAFinExchangeOnTheWire(@TempDir Path dir) throws Exception {
        wirePing(dir, "fin", "S . F. .");
    }

    private void wirePing(Path dir, String close, String expected) throws Exception {
        String before = ruleset();
        int acceptsBefore = greeter.accepts(GREET);
        Path out = dir.resolve("ping.jsonl");
        Map<String, List<Segment>> conns;
        try (Tcpdump cap = captureOurs(dir, close + ".pcap")) {
            assertEquals(0, Main.execute("ping", V4, V6, "-p", Integer.toString(GREET), "-c", "3", "-i", "100ms",
                    "--handshake", "full", "--close", close, "--banner", "--netns", lab.proberNetns(), "-o", "jsonl",
                    "--output", out.toString()));
            Thread.sleep(300);
            cap.close();
            conns = connections(cap);
        }
        assertEquals(before, ruleset(), "the run's nftables table is gone and nothing else changed");
        List<JsonNode> probes = jsonl(out, "probe");
        assertEquals(6, probes.size(), probes.toString());
        for (JsonNode p : probes) {
            assertEquals("syn-ack", p.path("reason").asText(), p.toString());
            assertTrue(p.path("established").asBoolean(), p.toString());
            assertEquals(BANNER, p.path("banner").asText(), p.toString());
            assertEquals(close, p.path("close").asText(), p.toString());
            assertTrue(p.path("rtt_us").asLong() >= 0);
        }
        assertTrue(greeter.awaitAccepts(acceptsBefore + 6, Duration.ofSeconds(10)));
        Thread.sleep(200);
        assertEquals(acceptsBefore + 6, greeter.accepts(GREET), "one accepted connection per probe");

        assertEquals(6, conns.size(), "six connections: " + conns);
        int v6 = 0;
        for (Map.Entry<String, List<Segment>> e : conns.entrySet()) {
            List<Segment> c = e.getValue();
            if (e.getKey().startsWith("v6")) v6++;
            assertEquals(expected, flags(c), e.getKey() + ": " + c);
            for (Segment s : c) assertEquals(1024, s.window(), "only our packets, none of our kernel's (window 0): " + c);
            long cookie = c.get(0).seq();
            long serverIsn = c.get(1).ack() - 1;
            assertEquals(cookie + 1, c.get(1).seq(), "our ACK: seq = cookie + 1");
            assertEquals((serverIsn + 1 + GreetingListener.DEFAULT_GREETING.length() + 2) & 0xffffffffL, c.get(2).ack(),
                    "the greeting acknowledged");
            assertEquals(close.equals("rst") ? cookie + 1 : cookie + 2, c.get(3).seq());
        }
        assertEquals(3, v6, "IPv6 too");
    }

    @Test
    void scanReportsTheBannerInJsonlAndCsv(@TempDir Path dir) throws Exception {
        String before = ruleset();
        int acceptsBefore = greeter.accepts(GREET);
        Path jsonl = dir.resolve("scan.jsonl"), csv = dir.resolve("scan.csv");
        String ports = "22,81," + GREET;
        assertEquals(0, Main.execute("scan", V4, V6, "-p", ports, "--handshake", "full", "--banner", "--netns",
                lab.proberNetns(), "-o", "jsonl", "--output", jsonl.toString(), "-q"));
        assertEquals(0, Main.execute("scan", V4, V6, "-p", ports, "--handshake", "full", "--banner", "--netns",
                lab.proberNetns(), "-o", "csv", "--output", csv.toString(), "-q"));
        assertEquals(before, ruleset());
        assertTrue(greeter.awaitAccepts(acceptsBefore + 4, Duration.ofSeconds(10)));

        Map<String, String> fromJson = new LinkedHashMap<>();
        for (JsonNode p : jsonl(jsonl, "port")) {
            fromJson.put(p.path("ip").asText() + ":" + p.path("port").asInt(), p.path("state").asText() + " "
                    + p.path("established").asBoolean() + " " + (p.path("banner").isNull() ? "-" : p.path("banner").asText()));
        }
        Map<String, String> fromCsv = new LinkedHashMap<>();
        CsvMapper mapper = new CsvMapper();
        try (var it = mapper.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader()).<Map<String, String>>readValues(csv.toFile())) {
            while (it.hasNext()) {
                Map<String, String> row = it.next();
                fromCsv.put(row.get("ip") + ":" + row.get("port"), row.get("state") + " " + row.get("established") + " "
                        + (row.get("banner").isEmpty() ? "-" : row.get("banner")));
            }
        }
        for (String host : List.of(V4, V6)) {
            for (Map<String, String> m : List.of(fromJson, fromCsv)) {
                assertEquals("open true " + BANNER, m.get(host + ":" + GREET), m.toString());
                assertEquals("open true -", m.get(host + ":22"), "a service that does not greet: " + m);
                assertEquals("closed false -", m.get(host + ":81"), m.toString());
            }
        }
        Thread.sleep(200);
        assertEquals(acceptsBefore + 4, greeter.accepts(GREET));
    }

    /** A greeting segment far longer than the banner (1,000 bytes): its first 256 bytes are the banner. */
    @Test
    void aLongGreetingSegmentGivesItsFirst256Bytes(@TempDir Path dir) throws Exception {
        int port = GREET + 1;
        String greeting = "220-" + "x".repeat(996);
        Path out = dir.resolve("long.jsonl");
        try (GreetingListener longGreeter = GreetingListener.start(lab.targetNetns(), greeting, port)) {
            assertEquals(0, Main.execute("ping", V4, V6, "-p", Integer.toString(port), "-c", "1", "--handshake", "full",
                    "--banner", "--netns", lab.proberNetns(), "-o", "jsonl", "--output", out.toString()));
            assertTrue(longGreeter.awaitAccepts(2, Duration.ofSeconds(10)));
        }
        List<JsonNode> probes = jsonl(out, "probe");
        assertEquals(2, probes.size(), probes.toString());
        for (JsonNode p : probes) {
            assertTrue(p.path("established").asBoolean(), p.toString());
            assertEquals(greeting.substring(0, 256), p.path("banner").asText(), p.toString());
        }
    }

    static List<String> synprobe(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Jvm.JAVA, Jvm.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void ctrlCMidRunRemovesTheGuard(@TempDir Path dir) throws Exception {
        String before = ruleset();
        try (ChildProcess run = ChildProcess.start(synprobe("ping", V4, "-p", Integer.toString(GREET), "-c", "1000",
                "-i", "50ms", "--handshake", "full", "--banner", "--netns", lab.proberNetns()))) {
            run.awaitLine(l -> l.startsWith("seq=2 "), Duration.ofSeconds(60), "the third probe's line");
            String during = ruleset();
            assertTrue(during.matches("(?s).*table inet synprobe_" + run.pid() + "_[0-9a-f]{8}.*"), during);
            run.signal("INT");
            int code = run.waitFor(Duration.ofSeconds(30));
            assertEquals(0, code, run.output());
            assertTrue(run.output().contains("synprobe ping statistics"), run.output());
        }
        assertEquals(before, ruleset(), "after Ctrl-C the ruleset is what it was");
    }

    @Test
    void aKilledRunsGuardIsRemovedByTheNextRun(@TempDir Path dir) throws Exception {
        String before = ruleset();
        String table;
        try (ChildProcess run = ChildProcess.start(synprobe("ping", V4, "-p", Integer.toString(GREET), "-c", "1000",
                "-i", "50ms", "--handshake", "full", "--netns", lab.proberNetns()))) {
            run.awaitLine(l -> l.startsWith("seq=1 "), Duration.ofSeconds(60), "the second probe's line");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("table inet (synprobe_" + run.pid() + "_[0-9a-f]{8})")
                    .matcher(ruleset());
            assertTrue(m.find(), ruleset());
            table = m.group(1);
            run.kill();
        }
        assertTrue(ruleset().contains(table), "kill -9 leaves the table behind");
        assertEquals(0, Main.execute("ping", V4, "-p", Integer.toString(GREET), "-c", "1", "--handshake", "full",
                "--netns", lab.proberNetns(), "--output", dir.resolve("next.txt").toString()));
        assertEquals(before, ruleset(), "the next run removed the dead run's table, and its own");
    }

    @Test
    void withoutNetAdminItSaysSoExits3AndSendsNothing(@TempDir Path dir) throws Exception {
        String before = ruleset();
        List<String> noAdmin = new ArrayList<>(List.of("setpriv", "--bounding-set=-net_admin"));
        noAdmin.addAll(synprobe("ping", V4, "-p", Integer.toString(GREET), "-c", "3", "-i", "50ms", "--handshake", "full",
                "--netns", lab.proberNetns()));
        List<String> control = new ArrayList<>(List.of("setpriv", "--bounding-set=-net_admin"));
        control.addAll(synprobe("ping", V4, "-p", Integer.toString(GREET), "-c", "3", "-i", "50ms",
                "--netns", lab.proberNetns()));
        int refused, sentByControl;
        String err;
        try (Tcpdump cap = captureOurs(dir, "noadmin.pcap")) {
            try (ChildProcess run = ChildProcess.start(noAdmin)) {
                assertEquals(3, run.waitFor(Duration.ofSeconds(60)), run.output());
                err = run.output().strip();
            }
            Thread.sleep(300);
            cap.close();
            refused = cap.frames().size();
        }
        // the positive control: the same process without the handshake does reach the target (cap_net_raw kept)
        try (Tcpdump cap = captureOurs(dir, "control.pcap")) {
            try (ChildProcess run = ChildProcess.start(control)) {
                assertEquals(0, run.waitFor(Duration.ofSeconds(60)), run.output());
            }
            Thread.sleep(300);
            cap.close();
            sentByControl = cap.frames().size();
        }
        assertTrue(err.startsWith("synprobe ping: --handshake full needs CAP_NET_ADMIN"), err);
        assertEquals(1, err.split("\n").length, "one line, no stack trace: " + err);
        assertEquals(0, refused, "nothing left the prober");
        assertTrue(sentByControl >= 3, "the control's SYNs arrived: " + sentByControl);
        assertFalse(ruleset().contains("synprobe_"));
        assertEquals(before, ruleset());
    }
}
