package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Base of the per-host formats (table, XML, grepable): results arrive in any order, so they are held until the
 * scan ends, then written host by host in address order. Results of states the options hide are held only as
 * port sets per host, state and reason (see {@link HostResults}). {@link #close()} writes what it has even when
 * {@link #end} never came, so an interrupted scan still leaves a complete document.
 */
abstract class BufferingSink implements ResultSink {
    protected final OutputOptions opts;
    private final RecordWriter out;
    private final Map<InetAddress, HostResults> hosts = new TreeMap<>(Addresses.ORDER);
    private ScanInfo info;
    private boolean finished;

    BufferingSink(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
        this.opts = opts;
    }

    /** How the scan ended, as far as the sink knows. */
    record Finish(Instant end, long elapsedMillis, long hosts, long hostsUp, boolean complete) {
    }

    @Override
    public final void begin(ScanInfo info) throws IOException {
        this.info = info;
        String header = header(info);
        if (!header.isEmpty()) out.write(header);
    }

    @Override
    public final void accept(PortResult result) {
        hosts.computeIfAbsent(result.ip(), ip -> new HostResults(ip, opts)).add(result);
    }

    /** Results held as objects until the end: only those of shown states (hidden ones are folded into port sets). */
    final long retainedResults() {
        long n = 0;
        for (HostResults h : hosts.values()) n += h.retained();
        return n;
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
        List<HostReport> reports = hosts.values().stream().map(HostResults::report).toList();
        long up = reports.stream().filter(HostReport::up).count();
        Instant end = summary != null ? summary.end() : Instant.now();
        long elapsed = summary != null ? summary.elapsedMillis() : Duration.between(info.start(), end).toMillis();
        long total = summary != null ? Math.max(summary.hosts(), reports.size()) : reports.size();
        Finish finish = new Finish(end, elapsed, total, up, summary != null && !summary.interrupted());
        for (HostReport report : reports) out.write(host(report, info, finish));
        String footer = footer(info, finish);
        if (!footer.isEmpty()) out.write(footer);
    }

    /** Written at {@link #begin}; empty for none. */
    protected String header(ScanInfo info) {
        return "";
    }

    /** One host's whole block, written as one record. */
    protected abstract String host(HostReport host, ScanInfo info, Finish finish);

    /** Written last; empty for none. */
    protected String footer(ScanInfo info, Finish finish) {
        return "";
    }
}
