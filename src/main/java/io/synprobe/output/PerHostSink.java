package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the per-host formats (table, XML, grepable). Results arrive in any order, interleaved across hosts, so
 * the report of a host is written at the end, in address order. Like nmap without -Pn, a host that never answered
 * is left out and costs nothing: only hosts that answered get a {@link HostLedger}, created at their first reply.
 * With {@link OutputOptions#showDown()} silent hosts are written one line each as soon as all their ports were
 * silent (at once in a one-port scan), through {@link #downHost}. {@link #close()} writes what it has even when
 * {@link #end} never came, so an interrupted scan still leaves a complete document.
 */
abstract class PerHostSink implements ResultSink {
    protected final OutputOptions opts;
    private final RecordWriter out;
    /** Looked up once per result: hashed, sorted into address order only at the end. */
    private final Map<InetAddress, HostLedger> answered = new HashMap<>();
    private SilentHosts silent;
    private ScanInfo info;
    private PortList ports;
    private long results;
    private long downShown;
    private boolean finished;

    PerHostSink(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
        this.opts = opts;
    }

    /** How the scan ended, as far as the sink knows. */
    record Finish(Instant end, long elapsedMillis, long hosts, long hostsUp, boolean complete) {
        long hostsDown() {
            return Math.max(0, hosts - hostsUp);
        }
    }

    @Override
    public final void begin(ScanInfo info) throws IOException {
        this.info = info;
        this.ports = portList(info.portSpec());
        if (opts.showDown() && info.portCount() > 1) silent = new SilentHosts();
        String header = header(info);
        if (!header.isEmpty()) out.write(header);
    }

    private static PortList portList(String spec) {
        try {
            return spec == null || spec.isBlank() ? null : PortList.parse(spec);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    @Override
    public final void accept(PortResult r) throws IOException {
        results++;
        HostLedger ledger = answered.get(r.ip());
        if (ledger == null) {
            if (!HostLedger.isReply(r) && r.reason() != io.synprobe.result.Reason.SEND_ERROR) {
                silent(r.ip());
                return;
            }
            ledger = new HostLedger(r.ip(), opts);
            if (silent != null) silent.remove(r.ip());
            answered.put(r.ip(), ledger);
        }
        ledger.add(r);
    }

    private void silent(InetAddress ip) throws IOException {
        if (!opts.showDown()) return;
        if (silent == null) {
            writeDown(ip); // one port a host: its only result was silent
        } else if (silent.increment(ip) >= info.portCount()) {
            silent.remove(ip);
            writeDown(ip);
        }
    }

    private void writeDown(InetAddress ip) throws IOException {
        downShown++;
        out.write(downHost(ip));
    }

    /** Hosts that answered, each held until the end. */
    final int answeringHosts() {
        return answered.size();
    }

    /** Results held as objects until the end: only those that will be listed one per line. */
    final long retainedResults() {
        long n = 0;
        for (HostLedger h : answered.values()) n += h.retained();
        return n;
    }

    /** Silent hosts whose count is held (only with --show-down in scans of several ports). */
    final int pendingSilentHosts() {
        return silent == null ? 0 : silent.size();
    }

    @Override
    public final void end(ScanSummary summary) throws IOException {
        if (!finished) finish(summary);
    }

    @Override
    public final void close() throws IOException {
        try {
            if (!finished) finish(null);
        } finally {
            out.close();
        }
    }

    private void finish(ScanSummary summary) throws IOException {
        finished = true;
        if (info == null) begin(new ScanInfo(List.of(), Instant.now(), 0, 0, "", "syn", "unknown"));
        if (silent != null) {
            // a partial run (sharded, interrupted): hosts silent on every port they got
            for (InetAddress ip : silent.drain()) writeDown(ip);
        }
        boolean complete = ports != null && results == info.hostCount() * (long) ports.size();
        Instant end = summary != null ? summary.end() : Instant.now();
        long elapsed = summary != null ? summary.elapsedMillis() : Duration.between(info.start(), end).toMillis();
        long hosts = summary != null ? Math.max(summary.hosts(), answered.size()) : Math.max(info.hostCount(), answered.size());
        long up = summary != null ? summary.hostsUp() : answered.size();
        Finish finish = new Finish(end, elapsed, hosts, up, summary != null && !summary.interrupted());
        List<InetAddress> order = answered.keySet().stream().sorted(Addresses.ORDER).toList();
        for (InetAddress ip : order) out.write(host(answered.get(ip).report(ports, complete), info, finish));
        String footer = footer(info, finish, downShown);
        if (!footer.isEmpty()) out.write(footer);
    }

    /** Written at {@link #begin}; empty for none. */
    protected String header(ScanInfo info) {
        return "";
    }

    /** One answering host's whole block, written as one record. */
    protected abstract String host(HostReport host, ScanInfo info, Finish finish);

    /** The one record of a host that never answered (only with --show-down). */
    protected abstract String downHost(InetAddress ip);

    /** Written last; empty for none. @param downShown how many down hosts were written */
    protected String footer(ScanInfo info, Finish finish, long downShown) {
        return "";
    }
}
