package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.synprobe.lab.Shell;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanInfo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares our XML with files written by a real {@code nmap -n -sS --reason -oX} (7.93, against loopback in a
 * network namespace where nftables dropped ports 60-79 and 82-99 and rejected 81 as admin-prohibited, with
 * listeners on 22 and 80). ndiff must find no difference at all.
 */
@org.junit.jupiter.api.Timeout(120)
class NdiffTest {
    /** nmap -n -sS -p 1-100 --reason -oX - 127.0.0.1 */
    private static final String NMAP_FOLDED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE nmaprun>
            <?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
            <!-- Nmap 7.93 scan initiated Tue Nov 24 14:24:07 2026 as: nmap -n -sS -p 1-100 -&#45;reason -oX fold.xml -oG fold.gnmap 127.0.0.1 -->
            <nmaprun scanner="nmap" args="nmap -n -sS -p 1-100 -&#45;reason -oX fold.xml -oG fold.gnmap 127.0.0.1" start="1795530247" startstr="Tue Nov 24 14:24:07 2026" version="7.93" xmloutputversion="1.05">
            <scaninfo type="syn" protocol="tcp" numservices="100" services="1-100"/>
            <verbose level="0"/>
            <debugging level="0"/>
            <host starttime="1795530247" endtime="1795530248"><status state="up" reason="localhost-response" reason_ttl="0"/>
            <address addr="127.0.0.1" addrtype="ipv4"/>
            <hostnames>
            </hostnames>
            <ports><extraports state="closed" count="59">
            <extrareasons reason="reset" count="59" proto="tcp" ports="1-21,23-59,100"/>
            </extraports>
            <extraports state="filtered" count="39">
            <extrareasons reason="no-response" count="38" proto="tcp" ports="60-79,82-99"/>
            <extrareasons reason="admin-prohibited" count="1" proto="tcp" ports="81"/>
            </extraports>
            <port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ssh" method="table" conf="3"/></port>
            <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" method="table" conf="3"/></port>
            </ports>
            <times srtt="7" rttvar="0" to="100000"/>
            </host>
            <runstats><finished time="1795530248" timestr="Tue Nov 24 14:24:08 2026" summary="Nmap done at Tue Nov 24 14:24:08 2026; 1 IP address (1 host up) scanned in 1.26 seconds" elapsed="1.26" exit="success"/><hosts up="1" down="0" total="1"/>
            </runstats>
            </nmaprun>
            """;

    /** nmap -6 -n -sS -p 20-30,79-83 --reason -oX - ::1 */
    private static final String NMAP_LISTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE nmaprun>
            <?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
            <!-- Nmap 7.93 scan initiated Tue Nov 24 14:25:38 2026 as: nmap -6 -n -sS -p 20-30,79-83 -&#45;reason -oX v6.xml ::1 -->
            <nmaprun scanner="nmap" args="nmap -6 -n -sS -p 20-30,79-83 -&#45;reason -oX v6.xml ::1" start="1795530338" startstr="Tue Nov 24 14:25:38 2026" version="7.93" xmloutputversion="1.05">
            <scaninfo type="syn" protocol="tcp" numservices="16" services="20-30,79-83"/>
            <verbose level="0"/>
            <debugging level="0"/>
            <host starttime="1795530338" endtime="1795530339"><status state="up" reason="localhost-response" reason_ttl="0"/>
            <address addr="::1" addrtype="ipv6"/>
            <hostnames>
            </hostnames>
            <ports><port protocol="tcp" portid="20"><state state="closed" reason="reset" reason_ttl="64"/><service name="ftp-data" method="table" conf="3"/></port>
            <port protocol="tcp" portid="21"><state state="closed" reason="reset" reason_ttl="64"/><service name="ftp" method="table" conf="3"/></port>
            <port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="ssh" method="table" conf="3"/></port>
            <port protocol="tcp" portid="23"><state state="closed" reason="reset" reason_ttl="64"/><service name="telnet" method="table" conf="3"/></port>
            <port protocol="tcp" portid="24"><state state="closed" reason="reset" reason_ttl="64"/><service name="priv-mail" method="table" conf="3"/></port>
            <port protocol="tcp" portid="25"><state state="closed" reason="reset" reason_ttl="64"/><service name="smtp" method="table" conf="3"/></port>
            <port protocol="tcp" portid="26"><state state="closed" reason="reset" reason_ttl="64"/><service name="rsftp" method="table" conf="3"/></port>
            <port protocol="tcp" portid="27"><state state="closed" reason="reset" reason_ttl="64"/><service name="nsw-fe" method="table" conf="3"/></port>
            <port protocol="tcp" portid="28"><state state="closed" reason="reset" reason_ttl="64"/><service name="unknown" method="table" conf="3"/></port>
            <port protocol="tcp" portid="29"><state state="closed" reason="reset" reason_ttl="64"/><service name="msg-icp" method="table" conf="3"/></port>
            <port protocol="tcp" portid="30"><state state="closed" reason="reset" reason_ttl="64"/><service name="unknown" method="table" conf="3"/></port>
            <port protocol="tcp" portid="79"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="finger" method="table" conf="3"/></port>
            <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" method="table" conf="3"/></port>
            <port protocol="tcp" portid="81"><state state="filtered" reason="admin-prohibited" reason_ttl="64"/><service name="hosts2-ns" method="table" conf="3"/></port>
            <port protocol="tcp" portid="82"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="xfer" method="table" conf="3"/></port>
            <port protocol="tcp" portid="83"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="mit-ml-dev" method="table" conf="3"/></port>
            </ports>
            <times srtt="25" rttvar="177" to="100000"/>
            </host>
            <runstats><finished time="1795530339" timestr="Tue Nov 24 14:25:39 2026" summary="Nmap done at Tue Nov 24 14:25:39 2026; 1 IP address (1 host up) scanned in 1.26 seconds" elapsed="1.26" exit="success"/><hosts up="1" down="0" total="1"/>
            </runstats>
            </nmaprun>
            """;

    /** The names nmap-services gives these ports; 28 and 30 have none, which both sides print as "unknown". */
    private static final String SERVICES = """
            ftp-data 20/tcp
            ftp 21/tcp
            ssh 22/tcp
            telnet 23/tcp
            priv-mail 24/tcp
            smtp 25/tcp
            rsftp 26/tcp
            nsw-fe 27/tcp
            msg-icp 29/tcp
            finger 79/tcp
            http 80/tcp
            hosts2-ns 81/tcp
            xfer 82/tcp
            mit-ml-dev 83/tcp
            """;

    @TempDir
    Path dir;
    private String ndiff;
    private OutputOptions opts;

    @BeforeEach
    void findNdiff() throws IOException {
        ndiff = onPath("ndiff");
        if (ndiff == null && "1".equals(System.getenv("SYNPROBE_REQUIRE_TOOLS"))) {
            fail("ndiff is not on PATH but SYNPROBE_REQUIRE_TOOLS=1 (install the ndiff package)");
        }
        Assumptions.assumeTrue(ndiff != null, "ndiff is not on PATH; skipped");
        Path services = dir.resolve("services");
        Files.writeString(services, SERVICES);
        opts = new OutputOptions(null, new ServiceNames(services));
    }

    @Test
    void foldedScanMatchesNmap() throws Exception {
        List<PortResult> results = scan("127.0.0.1", 1, 100);
        Result diff = ndiff(NMAP_FOLDED, render(results, "1-100"));
        assertEquals(0, diff.exit(), diff.output());
    }

    @Test
    void listedIpv6ScanMatchesNmap() throws Exception {
        List<PortResult> results = new ArrayList<>(scan("::1", 20, 30));
        results.addAll(scan("::1", 79, 83));
        Result diff = ndiff(NMAP_LISTED, render(results, "20-30,79-83"));
        assertEquals(0, diff.exit(), diff.output());
    }

    @Test
    void ndiffDoesSeeAChangedPort() throws Exception {
        List<PortResult> results = new ArrayList<>(scan("::1", 20, 30));
        results.addAll(scan("::1", 79, 83).stream()
                .map(r -> r.port() == 80 ? new PortResult(r.ip(), 80, Reason.RESET.state(), Reason.RESET, 64, 9) : r)
                .toList());
        Result diff = ndiff(NMAP_LISTED, render(results, "20-30,79-83"));
        assertEquals(1, diff.exit(), diff.output());
        assertTrue(diff.output().contains("-80/tcp open") && diff.output().contains("+80/tcp closed"), diff.output());
    }

    /**
     * A full handshake's outcome goes into the service's extra info
     * ({@code <service ... extrainfo="established; banner: ...">}):
     * ndiff still reads the file, finds nothing between two such files, and shows the banner as the one difference
     * from nmap's file without it.
     */
    @Test
    void ndiffReadsBannersAsNmapsBannerScript() throws Exception {
        List<PortResult> plain = new ArrayList<>(scan("::1", 20, 30));
        plain.addAll(scan("::1", 79, 83));
        List<PortResult> withBanner = plain.stream()
                .map(r -> r.port() == 22 ? new PortResult(r.ip(), 22, r.state(), r.reason(), r.ttl(), r.rttUs(), null,
                        new io.synprobe.result.Handshake(true, "SSH-2.0-synprobe_lab_1.0\\r\\n", "rst")) : r)
                .toList();
        Path a = Files.writeString(dir.resolve("a.xml"), render(withBanner, "20-30,79-83"));
        Path b = Files.writeString(dir.resolve("b.xml"), render(withBanner, "20-30,79-83"));
        Shell.Result same = Shell.run(List.of(ndiff, a.toString(), b.toString()), null, 60);
        assertEquals(0, same.exit(), same.out());
        Result diff = ndiff(NMAP_LISTED, render(withBanner, "20-30,79-83"));
        assertEquals(1, diff.exit(), diff.output());
        assertTrue(diff.output().contains("-22/tcp open  ssh") && diff.output().contains(
                "+22/tcp open  ssh     (established; banner: SSH-2.0-synprobe_lab_1.0\\r\\n)"), diff.output());
        assertEquals(0, ndiff(NMAP_LISTED, render(plain, "20-30,79-83")).exit(), "without the banner: no difference");
    }

    /** The same network as the nmap runs: open 22 and 80, 81 rejected, 60-79 and 82-99 dropped, the rest closed. */
    private static List<PortResult> scan(String ip, int first, int last) {
        List<PortResult> list = new ArrayList<>();
        for (int p = last; p >= first; p--) { // arrival order must not matter
            Reason reason = Set.of(22, 80).contains(p) ? Reason.SYN_ACK
                    : p == 81 ? Reason.ADMIN_PROHIBITED
                    : p >= 60 && p <= 99 ? Reason.NO_RESPONSE
                    : Reason.RESET;
            list.add(reason == Reason.NO_RESPONSE ? Fixtures.silent(ip, p) : Fixtures.result(ip, p, reason, 64, 7));
        }
        return list;
    }

    private String render(List<PortResult> results, String spec) {
        ScanInfo info = new ScanInfo(List.of("synprobe", "scan", "-p", spec), Fixtures.START, 1, results.size(), spec,
                "syn", "0.1.0");
        return Fixtures.render(OutputFormat.XML, opts, info, results, Fixtures.summary(results));
    }

    private record Result(int exit, String output) {
    }

    private Result ndiff(String nmapXml, String ourXml) throws Exception {
        Path a = Files.writeString(dir.resolve("nmap.xml"), nmapXml);
        Path b = Files.writeString(dir.resolve("synprobe.xml"), ourXml);
        Shell.Result r = Shell.run(List.of(ndiff, a.toString(), b.toString()), null, 60);
        return new Result(r.exit(), r.out() + "\n--- our XML ---\n" + ourXml);
    }

    private static String onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, tool);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        return null;
    }
}
