package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.ScanInfo;

import java.io.OutputStream;
import java.util.Locale;

/**
 * nmap's XML (-oX, xmloutputversion 1.05), close enough that nmap's ndiff and the usual nmap XML parsers read it
 * and compare port states with a real nmap -sS scan.
 */
final class XmlSink extends BufferingSink {
    /** nmap's lower bound for a probe timeout, reported in {@code <times to=...>}. */
    private static final long MIN_TIMEOUT_US = 100_000;

    XmlSink(OutputStream out, OutputOptions opts) {
        super(out, opts);
    }

    @Override
    protected String header(ScanInfo info) {
        String scanType = info.scanType() == null ? "syn" : info.scanType().toLowerCase(Locale.ROOT);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE nmaprun>\n"
                + "<nmaprun scanner=\"synprobe\" args=\"" + Xml.attr(NmapStyle.commandLine(info.commandLine()))
                + "\" start=\"" + info.start().getEpochSecond() + "\" startstr=\"" + NmapStyle.time(info.start())
                + "\" version=\"" + Xml.attr(String.valueOf(info.version())) + "\" xmloutputversion=\"1.05\">\n"
                + "<scaninfo type=\"" + Xml.attr(scanType) + "\" protocol=\"tcp\" numservices=\"" + info.portCount()
                + "\" services=\"" + Xml.attr(String.valueOf(info.portSpec())) + "\"/>\n"
                + "<verbose level=\"0\"/>\n"
                + "<debugging level=\"0\"/>\n";
    }

    @Override
    protected String host(HostReport host, ScanInfo info, Finish finish) {
        StringBuilder s = new StringBuilder(512);
        // Results of all hosts arrive interleaved, so per-host times are the scan's.
        s.append("<host starttime=\"").append(info.start().getEpochSecond())
                .append("\" endtime=\"").append(finish.end().getEpochSecond()).append("\">");
        PortResult reply = host.fastestReply();
        if (reply != null) {
            s.append("<status state=\"up\" reason=\"").append(reply.reason().label())
                    .append("\" reason_ttl=\"").append(ttl(reply)).append("\"/>\n");
        } else {
            s.append("<status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n");
        }
        s.append("<address addr=\"").append(Addresses.text(host.address()))
                .append("\" addrtype=\"").append(Addresses.family(host.address())).append("\"/>\n");
        s.append("<hostnames>\n</hostnames>\n<ports>");
        for (ExtraPorts e : host.extra()) {
            s.append("<extraports state=\"").append(e.state().label()).append("\" count=\"").append(e.count())
                    .append("\">\n");
            for (ReasonGroup g : e.reasons()) {
                s.append("<extrareasons reason=\"").append(g.reason().label()).append("\" count=\"").append(g.count())
                        .append("\" proto=\"tcp\" ports=\"").append(PortRanges.compact(g.ports())).append("\"/>\n");
            }
            s.append("</extraports>\n");
        }
        for (PortResult r : host.listed()) {
            s.append("<port protocol=\"tcp\" portid=\"").append(r.port()).append("\"><state state=\"")
                    .append(r.state().label()).append("\" reason=\"").append(r.reason().label())
                    .append("\" reason_ttl=\"").append(ttl(r)).append("\"/><service name=\"")
                    .append(Xml.attr(opts.services().name(r.port()))).append("\" method=\"table\" conf=\"3\"/></port>\n");
        }
        s.append("</ports>\n");
        appendTimes(s, host);
        return s.append("</host>\n").toString();
    }

    /** nmap's smoothed RTT and variance; here the mean and standard deviation of all replies' RTTs. */
    private static void appendTimes(StringBuilder s, HostReport host) {
        RttStats rtts = host.rtts();
        if (rtts.count() == 0) return;
        long mean = rtts.meanUs(), dev = rtts.deviationUs();
        s.append("<times srtt=\"").append(mean).append("\" rttvar=\"").append(dev)
                .append("\" to=\"").append(Math.max(MIN_TIMEOUT_US, mean + 4 * dev)).append("\"/>\n");
    }

    private static int ttl(PortResult r) {
        return r.hasTtl() ? r.ttl() : 0;
    }

    @Override
    protected String footer(ScanInfo info, Finish f) {
        String when = NmapStyle.time(f.end());
        String done = "synprobe done at " + when + "; " + NmapStyle.doneSentence(f.hosts(), f.hostsUp(), f.elapsedMillis());
        return "<runstats><finished time=\"" + f.end().getEpochSecond() + "\" timestr=\"" + when
                + "\" summary=\"" + Xml.attr(done) + "\" elapsed=\"" + NmapStyle.seconds(f.elapsedMillis())
                + (f.complete() ? "\" exit=\"success\"/>" : "\" exit=\"error\" errormsg=\"scan interrupted\"/>")
                + "<hosts up=\"" + f.hostsUp() + "\" down=\"" + (f.hosts() - f.hostsUp()) + "\" total=\"" + f.hosts()
                + "\"/>\n</runstats>\n</nmaprun>\n";
    }
}
