package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ScanInfo;

import java.io.OutputStream;
import java.net.InetAddress;
import java.util.stream.Collectors;

/** nmap's grepable output (-oG): one "Status" and one "Ports" line per answering host. */
final class GrepSink extends PerHostSink {
    GrepSink(OutputStream out, OutputOptions opts) {
        super(out, opts);
    }

    @Override
    protected String header(ScanInfo info) {
        return "# synprobe " + oneLine(String.valueOf(info.version())) + " scan initiated "
                + NmapStyle.time(info.start()) + " as: " + oneLine(NmapStyle.commandLine(info.commandLine())) + "\n";
    }

    @Override
    protected String host(HostReport host, ScanInfo info, Finish finish) {
        String prefix = prefix(host.address());
        String ports = host.listed().stream().map(this::port).collect(Collectors.joining(", "));
        StringBuilder s = new StringBuilder(prefix).append("Status: Up\n").append(prefix).append("Ports: ").append(ports);
        // nmap names the ignored state only when there is exactly one.
        if (host.extra().size() == 1) {
            s.append("\tIgnored State: ").append(host.extra().get(0).state().label())
                    .append(" (").append(host.extra().get(0).count()).append(')');
        }
        return s.append('\n').toString();
    }

    /** As nmap -v -oG writes a down host: its status line only. */
    @Override
    protected String downHost(InetAddress ip) {
        return prefix(ip) + "Status: Down\n";
    }

    private static String prefix(InetAddress ip) {
        return "Host: " + Addresses.text(ip) + " ()\t";
    }

    /** port/state/protocol/owner/service/rpc info/version info/ */
    private String port(PortResult r) {
        return r.port() + "/" + r.state().label() + "/" + PortResult.PROTO + "//"
                + opts.services().name(r.port()).replace('/', '|') + "//" + version(r) + "/";
    }

    /**
     * The version field says a connection was made (and carries its banner) as nmap -sV does its product: '/' as
     * '|', and no ',' (the port separator).
     */
    private static String version(PortResult r) {
        String info = HandshakeFields.versionInfo(r.handshake());
        return info == null ? "" : info.replace('/', '|').replace(",", "\\x2c");
    }

    @Override
    protected String footer(ScanInfo info, Finish f, long downShown) {
        return "# synprobe done at " + NmapStyle.time(f.end()) + " -- "
                + NmapStyle.doneSentence(f.hosts(), f.hostsUp(), f.elapsedMillis()) + "\n";
    }

    /** Keeps a comment a single line whatever the arguments held. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]", " ");
    }
}
