package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;

import java.io.IOException;
import java.io.OutputStream;

/** JSON Lines: a "scan" object, one "port" object per shown result as it arrives, then a "summary" object. */
final class JsonlSink implements ResultSink {
    private final JsonLines out;
    private final OutputOptions opts;

    JsonlSink(OutputStream out, OutputOptions opts) {
        this.out = new JsonLines(out);
        this.opts = opts;
    }

    @Override
    public void begin(ScanInfo info) throws IOException {
        out.write(j -> {
            j.writeStringField("type", "scan");
            JsonLines.text(j, "version", info.version());
            j.writeStringField("start", info.start().toString());
            j.writeArrayFieldStart("args");
            for (String a : info.commandLine()) j.writeString(a);
            j.writeEndArray();
            j.writeNumberField("hosts", info.hostCount());
            j.writeNumberField("ports", info.portCount());
            JsonLines.text(j, "port_spec", info.portSpec());
            JsonLines.text(j, "scan_type", info.scanType());
            if (info.seed() != null) {
                // what synprobe merge checks: shards of one scan share seed, targets and shard count
                j.writeNumberField("seed", info.seed());
                j.writeNumberField("shard", info.shard());
                j.writeNumberField("shards", info.shards());
                if (info.targets() != null) j.writeStringField("targets", info.targets());
            }
        });
    }

    @Override
    public void accept(PortResult r) throws IOException {
        if (!opts.shows(r.state())) return;
        out.write(j -> {
            j.writeStringField("type", "port");
            j.writeStringField("ip", Addresses.text(r.ip()));
            j.writeNumberField("port", r.port());
            j.writeStringField("proto", PortResult.PROTO);
            j.writeStringField("state", r.state().label());
            j.writeStringField("reason", r.reason().label());
            JsonLines.optional(j, "ttl", r.ttl());
            JsonLines.optional(j, "rtt_us", r.rttUs());
            if (r.error() != null) j.writeStringField("error", r.error());
            if (r.handshake() != null) HandshakeFields.json(j, r.handshake());
        });
    }

    @Override
    public void end(ScanSummary s) throws IOException {
        out.write(j -> {
            j.writeStringField("type", "summary");
            j.writeStringField("end", s.end().toString());
            j.writeNumberField("elapsed_millis", s.elapsedMillis());
            j.writeNumberField("hosts", s.hosts());
            j.writeNumberField("hosts_up", s.hostsUp());
            j.writeNumberField("probes_sent", s.probesSent());
            j.writeNumberField("retransmits", s.retransmits());
            j.writeNumberField("replies", s.replies());
            j.writeNumberField("ignored", s.ignored());
            j.writeNumberField("open", s.open());
            j.writeNumberField("closed", s.closed());
            j.writeNumberField("filtered", s.filtered());
            if (s.unfiltered() > 0) j.writeNumberField("unfiltered", s.unfiltered());
            j.writeBooleanField("interrupted", s.interrupted());
            j.writeNumberField("send_errors", s.sendErrors());
            if (s.firstSendError() != null) j.writeStringField("first_send_error", s.firstSendError());
        });
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
