package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanInfo;

import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * nmap's XML (-oX, xmloutputversion 1.05), written with the JDK's StAX writer and laid out line for line like
 * nmap's, so that ndiff and the usual nmap XML parsers read it and compare port states with a real nmap -sS scan.
 * One writer holds the whole document; each record (header, host, footer) is drained from its buffer in one write.
 */
final class XmlSink extends PerHostSink {
    /** nmap's lower bound for a probe timeout, reported in {@code <times to=...>}. */
    private static final long MIN_TIMEOUT_US = 100_000;
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    private final StringWriter buffer = new StringWriter(1024);
    private final XMLStreamWriter xml;

    XmlSink(OutputStream out, OutputOptions opts) {
        super(out, opts);
        try {
            this.xml = FACTORY.createXMLStreamWriter(buffer);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("no StAX writer", e);
        }
    }

    /** Runs one record's writes and returns the text they produced. */
    private String record(XmlWrites writes) {
        try {
            writes.run();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML writer: " + e.getMessage(), e); // over a StringWriter: a bug
        }
        String text = buffer.toString();
        buffer.getBuffer().setLength(0);
        return text;
    }

    @FunctionalInterface
    private interface XmlWrites {
        void run() throws XMLStreamException;
    }

    @Override
    protected String header(ScanInfo info) {
        String scanType = info.scanType() == null ? "syn" : info.scanType().toLowerCase(Locale.ROOT);
        return record(() -> {
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeDTD("<!DOCTYPE nmaprun>");
            xml.writeCharacters("\n");
            xml.writeStartElement("nmaprun");
            attr("scanner", "synprobe");
            attr("args", NmapStyle.commandLine(info.commandLine()));
            attr("start", info.start().getEpochSecond());
            attr("startstr", NmapStyle.time(info.start()));
            attr("version", String.valueOf(info.version()));
            attr("xmloutputversion", "1.05");
            xml.writeCharacters("\n");
            xml.writeEmptyElement("scaninfo");
            attr("type", scanType);
            attr("protocol", "tcp");
            attr("numservices", info.portCount());
            attr("services", String.valueOf(info.portSpec()));
            xml.writeCharacters("\n");
            xml.writeEmptyElement("verbose");
            attr("level", 0);
            xml.writeCharacters("\n");
            xml.writeEmptyElement("debugging");
            attr("level", 0);
            xml.writeCharacters("\n");
        });
    }

    @Override
    protected String host(HostReport host, ScanInfo info, Finish finish) {
        return record(() -> {
            xml.writeStartElement("host");
            // Results of all hosts arrive interleaved, so per-host times are the scan's.
            attr("starttime", info.start().getEpochSecond());
            attr("endtime", finish.end().getEpochSecond());
            PortResult reply = host.fastestReply();
            // a host whose every probe our own kernel refused never answered: nmap's "unknown"
            if (reply == null) status("unknown", Reason.SEND_ERROR.label(), 0);
            else status("up", reply.reason().label(), ttl(reply));
            address(host.address());
            xml.writeStartElement("ports");
            for (ExtraPorts e : host.extra()) {
                xml.writeStartElement("extraports");
                attr("state", e.state().label());
                attr("count", e.count());
                xml.writeCharacters("\n");
                for (ReasonGroup g : e.reasons()) {
                    xml.writeEmptyElement("extrareasons");
                    attr("reason", g.reason().label());
                    attr("count", g.count());
                    attr("proto", PortResult.PROTO);
                    attr("ports", PortRanges.compact(g.ports()));
                    xml.writeCharacters("\n");
                }
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            for (PortResult r : host.listed()) {
                xml.writeStartElement("port");
                attr("protocol", PortResult.PROTO);
                attr("portid", r.port());
                xml.writeEmptyElement("state");
                attr("state", r.state().label());
                attr("reason", r.reason().label());
                attr("reason_ttl", ttl(r));
                xml.writeEmptyElement("service");
                attr("name", opts.services().name(r.port()));
                String connection = HandshakeFields.versionInfo(r.handshake());
                if (connection != null) {
                    // in the service's extra info, which ndiff reads and compares (ndiff 7.93's text output fails on
                    // a <script> result that only one side has)
                    attr("extrainfo", connection);
                }
                attr("method", "table");
                attr("conf", 3);
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            times(host.rtts());
            xml.writeEndElement();
            xml.writeCharacters("\n");
        });
    }

    /** As nmap -v -oX writes a host that did not answer: its status and address. */
    @Override
    protected String downHost(InetAddress ip) {
        return record(() -> {
            xml.writeStartElement("host");
            status("down", "no-response", 0);
            address(ip);
            xml.writeEndElement();
            xml.writeCharacters("\n");
        });
    }

    private void status(String state, String reason, int ttl) throws XMLStreamException {
        xml.writeEmptyElement("status");
        attr("state", state);
        attr("reason", reason);
        attr("reason_ttl", ttl);
        xml.writeCharacters("\n");
    }

    private void address(InetAddress ip) throws XMLStreamException {
        xml.writeEmptyElement("address");
        attr("addr", Addresses.text(ip));
        attr("addrtype", Addresses.family(ip));
        xml.writeCharacters("\n");
        xml.writeStartElement("hostnames");
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    /** nmap's smoothed RTT and variance; here the mean and standard deviation of all replies' RTTs. */
    private void times(RttStats rtts) throws XMLStreamException {
        if (rtts.count() == 0) return;
        long mean = rtts.meanUs(), dev = rtts.deviationUs();
        xml.writeEmptyElement("times");
        attr("srtt", mean);
        attr("rttvar", dev);
        attr("to", Math.max(MIN_TIMEOUT_US, mean + 4 * dev));
        xml.writeCharacters("\n");
    }

    private static int ttl(PortResult r) {
        return r.hasTtl() ? r.ttl() : 0;
    }

    @Override
    protected String footer(ScanInfo info, Finish f, long downShown) {
        String when = NmapStyle.time(f.end());
        return record(() -> {
            xml.writeStartElement("runstats");
            xml.writeEmptyElement("finished");
            attr("time", f.end().getEpochSecond());
            attr("timestr", when);
            attr("summary", "synprobe done at " + when + "; " + NmapStyle.doneSentence(f.hosts(), f.hostsUp(), f.elapsedMillis()));
            attr("elapsed", NmapStyle.seconds(f.elapsedMillis()));
            attr("exit", f.complete() ? "success" : "error");
            if (!f.complete()) attr("errormsg", "scan interrupted");
            xml.writeEmptyElement("hosts");
            attr("up", f.hostsUp());
            attr("down", f.hostsDown());
            attr("total", f.hosts());
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.writeCharacters("\n");
        });
    }

    private void attr(String name, long value) throws XMLStreamException {
        xml.writeAttribute(name, Long.toString(value));
    }

    /** StAX escapes markup; characters XML 1.0 cannot carry at all become U+FFFD, line breaks and tabs spaces. */
    private void attr(String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, clean(value));
    }

    static String clean(String v) {
        StringBuilder s = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            char r = c;
            if (c == '\t' || c == '\n' || c == '\r') {
                r = ' ';
            } else if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                if (s != null) s.append(c).append(v.charAt(i + 1));
                i++;
                continue;
            } else if (c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                r = '\uFFFD';
            }
            if (r != c && s == null) s = new StringBuilder(v.length()).append(v, 0, i);
            if (s != null) s.append(r);
        }
        return s == null ? v : s.toString();
    }
}
