package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;

import java.io.IOException;
import java.io.OutputStream;

/** JSON Lines: a "scan" object, one "port" object per shown result as it arrives, then a "summary" object. */
final class JsonlSink implements ResultSink {
    private final RecordWriter out;
    private final OutputOptions opts;

    JsonlSink(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
        this.opts = opts;
    }

    @Override
    public void begin(ScanInfo info) throws IOException {
        out.write(new Json().field("type", "scan").field("version", info.version())
                .field("start", info.start().toString()).field("args", info.commandLine())
                .field("hosts", info.hostCount()).field("ports", info.portCount())
                .field("port_spec", info.portSpec()).field("scan_type", info.scanType()).line());
    }

    @Override
    public void accept(PortResult r) throws IOException {
        if (!opts.shows(r.state())) return;
        out.write(new Json().field("type", "port").field("ip", Addresses.text(r.ip())).field("port", r.port())
                .field("proto", PortResult.PROTO).field("state", r.state().label())
                .field("reason", r.reason().label()).optional("ttl", r.ttl()).optional("rtt_us", r.rttUs()).optionalText("error", r.error()).line());
    }

    @Override
    public void end(ScanSummary s) throws IOException {
        out.write(new Json().field("type", "summary").field("end", s.end().toString())
                .field("elapsed_millis", s.elapsedMillis()).field("hosts", s.hosts()).field("hosts_up", s.hostsUp())
                .field("probes_sent", s.probesSent()).field("retransmits", s.retransmits())
                .field("replies", s.replies()).field("ignored", s.ignored()).field("open", s.open()).field("closed", s.closed())
                .field("filtered", s.filtered()).field("interrupted", s.interrupted()).field("send_errors", s.sendErrors())
                .optionalText("first_send_error", s.firstSendError()).line());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
