package io.synprobe.output;

import static io.synprobe.output.Fixtures.range;
import static io.synprobe.output.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanInfo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class XmlSinkTest {
    static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> children(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) list.add(e);
        }
        return list;
    }

    static Element child(Element parent, String name) {
        List<Element> list = children(parent, name);
        assertEquals(1, list.size(), "one <" + name + "> in <" + parent.getTagName() + ">");
        return list.get(0);
    }

    /** Host .2: 2 open, 1 admin-prohibited, 30 silent, 66 closed; host .1 (given second) never answers. */
    static List<PortResult> twoHosts() {
        List<PortResult> r = new ArrayList<>();
        r.addAll(range("198.18.0.2", 1, 21, Reason.RESET, 64, 50));
        r.addAll(range("198.18.0.2", 23, 67, Reason.RESET, 64, 50));
        r.add(result("198.18.0.2", 80, Reason.SYN_ACK, 64, 87));
        r.add(result("198.18.0.2", 22, Reason.SYN_ACK, 63, 40));
        r.add(result("198.18.0.2", 81, Reason.ADMIN_PROHIBITED, 250, 300));
        r.addAll(range("198.18.0.2", 68, 79, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range("198.18.0.2", 82, 99, Reason.NO_RESPONSE, -1, -1));
        r.addAll(range("198.18.0.1", 1, 3, Reason.NO_RESPONSE, -1, -1));
        return r;
    }

    @Test
    void aHostWhoseEveryProbeWasRefusedHasStateUnknown() throws Exception {
        String xml = Fixtures.render(OutputFormat.XML, Fixtures.opts(), List.of(new io.synprobe.result.PortResult(
                Fixtures.ip("198.18.0.2"), 7, io.synprobe.result.PortState.ERROR, io.synprobe.result.Reason.SEND_ERROR, -1, -1,
                "EPERM")));
        Element status = (Element) parse(xml).getElementsByTagName("status").item(0);
        assertEquals("unknown", status.getAttribute("state"));
        assertEquals("send-error", status.getAttribute("reason"));
    }

    @Test
    void followsNmapStructure() throws Exception {
        String xml = Fixtures.render(OutputFormat.XML, Fixtures.opts(), twoHosts());
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"));
        Element run = parse(xml).getDocumentElement();
        assertEquals("nmaprun", run.getTagName());
        assertEquals("synprobe", run.getAttribute("scanner"));
        assertEquals("synprobe scan -p 1-100 198.18.0.0/30", run.getAttribute("args"));
        assertEquals(String.valueOf(Fixtures.START.getEpochSecond()), run.getAttribute("start"));
        assertEquals("1.05", run.getAttribute("xmloutputversion"));
        Element info = child(run, "scaninfo");
        assertEquals("syn", info.getAttribute("type"));
        assertEquals("100", info.getAttribute("numservices"));
        assertEquals("1-100", info.getAttribute("services"));

        List<Element> hosts = children(run, "host");
        assertEquals(1, hosts.size(), "like nmap without -Pn, a host that never answered is left out");

        Element up = hosts.get(0);
        Element status = child(up, "status");
        assertEquals("up", status.getAttribute("state"));
        assertEquals("syn-ack", status.getAttribute("reason"));
        assertEquals("63", status.getAttribute("reason_ttl"), "status comes from the fastest reply");
        assertEquals("ipv4", child(up, "address").getAttribute("addrtype"));
        Element ports = child(up, "ports");
        List<Element> extra = children(ports, "extraports");
        assertEquals(List.of("closed:66", "filtered:31"),
                extra.stream().map(e -> e.getAttribute("state") + ":" + e.getAttribute("count")).toList());
        List<Element> reasons = children(extra.get(1), "extrareasons");
        assertEquals("no-response", reasons.get(0).getAttribute("reason"));
        assertEquals("30", reasons.get(0).getAttribute("count"));
        assertEquals("68-79,82-99", reasons.get(0).getAttribute("ports"));
        assertEquals("admin-prohibited", reasons.get(1).getAttribute("reason"));
        assertEquals("1-21,23-67", children(extra.get(0), "extrareasons").get(0).getAttribute("ports"));

        List<Element> listed = children(ports, "port");
        assertEquals(List.of("22", "80"), listed.stream().map(p -> p.getAttribute("portid")).toList());
        Element state = child(listed.get(1), "state");
        assertEquals("open", state.getAttribute("state"));
        assertEquals("syn-ack", state.getAttribute("reason"));
        assertEquals("64", state.getAttribute("reason_ttl"));
        assertEquals("http", child(listed.get(1), "service").getAttribute("name"));
        assertEquals("tcp", listed.get(1).getAttribute("protocol"));
        assertTrue(Long.parseLong(child(up, "times").getAttribute("srtt")) > 0);

        Element runstats = child(run, "runstats");
        Element finished = child(runstats, "finished");
        assertEquals("success", finished.getAttribute("exit"));
        assertEquals("1.26", finished.getAttribute("elapsed"));
        Element hostCounts = child(runstats, "hosts");
        assertEquals(List.of("1", "1", "2"), List.of(hostCounts.getAttribute("up"), hostCounts.getAttribute("down"),
                hostCounts.getAttribute("total")));
    }

    @Test
    void showDownWritesEachSilentHostAsSoonAsAllItsPortsWereSilent() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ScanInfo info = Fixtures.info(2, "1-3");
        try (var sink = OutputFormat.XML.create(bytes, Fixtures.opts().withShowDown(true))) {
            sink.begin(info);
            sink.accept(Fixtures.silent("198.18.0.1", 1));
            sink.accept(Fixtures.silent("198.18.0.1", 2));
            assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("<host"), "not before its last port");
            sink.accept(Fixtures.silent("198.18.0.1", 3));
            assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("<host><status state=\"down\" reason=\"no-response\""
                    + " reason_ttl=\"0\"/>\n<address addr=\"198.18.0.1\" addrtype=\"ipv4\"/>\n<hostnames>\n</hostnames>\n</host>\n"),
                    bytes.toString(StandardCharsets.UTF_8));
            for (PortResult r : Fixtures.range("198.18.0.2", 1, 3, Reason.RESET, 64, 9)) sink.accept(r);
        }
        Element run = parse(bytes.toString(StandardCharsets.UTF_8)).getDocumentElement();
        List<Element> hosts = children(run, "host");
        assertEquals(List.of("down", "up"), hosts.stream().map(h -> child(h, "status").getAttribute("state")).toList());
    }

    @Test
    void closeWithoutEndStillLeavesAWellFormedDocument() throws Exception {
        String xml = Fixtures.render(OutputFormat.XML, Fixtures.opts(), Fixtures.INFO, twoHosts(), null);
        Element run = parse(xml).getDocumentElement();
        assertEquals(1, children(run, "host").size());
        Element finished = child(child(run, "runstats"), "finished");
        assertEquals("error", finished.getAttribute("exit"));
        assertEquals("scan interrupted", finished.getAttribute("errormsg"));
    }

    @Test
    void everyElementReadsBackThroughStax() throws Exception {
        String xml = Fixtures.render(OutputFormat.XML, Fixtures.opts().withShowDown(true), Fixtures.INFO, twoHosts(),
                Fixtures.summary(twoHosts()));
        var reader = javax.xml.stream.XMLInputFactory.newDefaultFactory()
                .createXMLStreamReader(new java.io.StringReader(xml));
        List<String> elements = new ArrayList<>();
        while (reader.hasNext()) {
            if (reader.next() == javax.xml.stream.XMLStreamConstants.START_ELEMENT) elements.add(reader.getLocalName());
        }
        assertEquals(2, elements.stream().filter("host"::equals).count());
        assertEquals(List.of("nmaprun", "scaninfo", "verbose", "debugging", "host", "status", "address", "hostnames"),
                elements.subList(0, 8), "the down host comes first: it was written as soon as it was known");
        assertEquals("hosts", elements.get(elements.size() - 1));
    }

    @Test
    void closeWithoutBeginOrResultsIsStillADocument() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputFormat.XML.create(bytes, Fixtures.opts()).close();
        Element run = parse(bytes.toString(StandardCharsets.UTF_8)).getDocumentElement();
        assertEquals("nmaprun", run.getTagName());
        assertEquals("0", child(child(run, "runstats"), "hosts").getAttribute("total"));
    }

    @Test
    void escapesSpecialCharacters() throws Exception {
        List<String> args = List.of("synprobe", "--x=<a&b>", "\"q'", "tab\there", "bell\u0007", "--", "snow\u2603");
        ScanInfo info = new ScanInfo(args, Fixtures.START, 1, 1, "1-2,<3>", "syn", "0.1.0&beta");
        String xml = Fixtures.render(OutputFormat.XML, Fixtures.opts(), info, List.of(), null);
        Element run = parse(xml).getDocumentElement();
        assertEquals("synprobe --x=<a&b> \"q' tab here bell\uFFFD -- snow\u2603", run.getAttribute("args"),
                "tabs and line breaks become spaces (a reader would make them spaces anyway)");
        assertEquals("0.1.0&beta", run.getAttribute("version"));
        assertEquals("1-2,<3>", child(run, "scaninfo").getAttribute("services"));
    }

    @Test
    void onlyFilterFoldsHiddenStatesIntoExtraports() throws Exception {
        OutputOptions onlyOpen = new OutputOptions(Set.of(PortState.OPEN), Fixtures.BUILT_IN);
        Element run = parse(Fixtures.render(OutputFormat.XML, onlyOpen, twoHosts())).getDocumentElement();
        Element host = children(run, "host").get(0);
        Element ports = child(host, "ports");
        assertEquals(List.of("22", "80"), children(ports, "port").stream().map(p -> p.getAttribute("portid")).toList());
        assertEquals(List.of("closed:66", "filtered:31"), children(ports, "extraports").stream()
                .map(e -> e.getAttribute("state") + ":" + e.getAttribute("count")).toList());
    }

    @Test
    void ipv6AddressesUseCompressedText() throws Exception {
        List<PortResult> r = List.of(result("2001:db8:0:0:0:0:0:1", 22, Reason.SYN_ACK, 64, 10));
        Element host = child(parse(Fixtures.render(OutputFormat.XML, Fixtures.opts(), r)).getDocumentElement(), "host");
        assertEquals("2001:db8::1", child(host, "address").getAttribute("addr"));
        assertEquals("ipv6", child(host, "address").getAttribute("addrtype"));
    }
}
