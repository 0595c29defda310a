package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.ScanInfo;

import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** nmap-like report for people. The closing summary line is {@link SummaryLine}'s, for the CLI to print. */
final class TableSink extends PerHostSink {
    private static final List<String> HEADINGS = List.of("PORT", "STATE", "SERVICE", "REASON", "TTL", "RTT");
    private static final String ABSENT = "-";

    TableSink(OutputStream out, OutputOptions opts) {
        super(out, opts);
    }

    @Override
    protected String host(HostReport host, ScanInfo info, Finish finish) {
        String address = Addresses.text(host.address());
        StringBuilder s = new StringBuilder(256).append("synprobe scan report for ").append(address).append('\n');
        PortResult reply = host.fastestReply();
        if (reply == null) {
            s.append("Host state unknown: the local kernel refused every probe to it (send-error).\n");
        } else {
            s.append("Host is up, received ").append(reply.reason().label());
            if (reply.hasTtl()) s.append(" ttl ").append(reply.ttl());
            if (reply.hasRtt()) s.append(" (").append(millis(reply.rttUs())).append(" latency)");
            s.append(".\n");
        }
        if (host.listed().isEmpty() && host.scanned() > 0) {
            s.append("All ").append(host.scanned()).append(" scanned ports on ").append(address)
                    .append(" are in ignored states.\n");
        }
        if (!host.extra().isEmpty()) s.append(notShown(host)).append('\n');
        if (host.unreported() > 0) {
            s.append("No result for ").append(host.unreported())
                    .append(" tcp ports in this partial run (not probed, or silent before the host first answered)\n");
        }
        if (!host.listed().isEmpty()) appendTable(s, host.listed());
        return s.append('\n').toString();
    }

    @Override
    protected String downHost(InetAddress ip) {
        return "synprobe scan report for " + Addresses.text(ip) + " [host down]\n";
    }

    /** Said only when some host never answered: how many there were, and where they went. */
    @Override
    protected String footer(ScanInfo info, Finish f, long downShown) {
        if (f.hostsDown() == 0) return "";
        String done = NmapStyle.doneSentence(f.hosts(), f.hostsUp(), f.elapsedMillis());
        if (downShown > 0 || opts.showDown()) return done + "\n";
        return done + "; " + (f.hostsDown() == 1 ? "1 host" : f.hostsDown() + " hosts")
                + " never answered and " + (f.hostsDown() == 1 ? "is" : "are") + " not shown (--show-down lists them)\n";
    }

    /** e.g. {@code Not shown: 59 closed tcp ports (reset), 38 filtered tcp ports (no-response)}. */
    private static String notShown(HostReport host) {
        List<String> parts = new ArrayList<>();
        for (ExtraPorts e : host.extra()) {
            for (ReasonGroup g : e.reasons()) {
                parts.add(g.count() + " " + e.state().label() + " tcp ports (" + g.reason().label() + ")");
            }
        }
        String line = "Not shown: " + String.join(", ", parts);
        if (!host.hidden().isEmpty()) {
            line += "; hidden by state filter: "
                    + host.hidden().stream().map(PortState::label).collect(Collectors.joining(", "));
        }
        return line;
    }

    private void appendTable(StringBuilder s, List<PortResult> results) {
        boolean handshake = results.stream().anyMatch(r -> r.handshake() != null);
        List<String> headings = new ArrayList<>(HEADINGS);
        if (handshake) headings.add("CONNECTION");
        List<List<String>> rows = new ArrayList<>(results.size() + 1);
        rows.add(headings);
        for (PortResult r : results) {
            List<String> row = new ArrayList<>(List.of(r.port() + "/" + PortResult.PROTO, r.state().label(),
                    opts.services().name(r.port()), r.reason().label(), r.hasTtl() ? Integer.toString(r.ttl()) : ABSENT,
                    r.hasRtt() ? millis(r.rttUs()) : ABSENT));
            if (handshake) row.add(connection(r));
            rows.add(row);
        }
        int[] widths = new int[headings.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            for (int c = 0; c < widths.length - 1; c++) {
                s.append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length() + 1));
            }
            s.append(row.get(widths.length - 1)).append('\n');
            // nmap's way of showing what its banner script read, under the port's line
            PortResult r = i == 0 ? null : results.get(i - 1);
            if (r != null && r.handshake() != null && r.handshake().banner() != null) {
                s.append("|_banner: ").append(r.handshake().banner()).append('\n');
            }
        }
    }

    private static String connection(PortResult r) {
        if (r.handshake() == null || !r.handshake().established()) return ABSENT;
        return "established, " + r.handshake().close();
    }

    private static String millis(long us) {
        return String.format(Locale.ROOT, "%.3fms", us / 1000.0);
    }
}
