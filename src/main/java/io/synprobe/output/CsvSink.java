package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** CSV: a header (unless the file is being continued), then one row per shown result as it arrives. */
final class CsvSink implements ResultSink {
    static final List<String> COLUMNS = List.of("ip", "port", "proto", "state", "reason", "ttl", "rtt_us");

    private final CsvRows out;
    private final OutputOptions opts;

    CsvSink(OutputStream out, OutputOptions opts) {
        this.out = new CsvRows(out, opts.handshake() ? HandshakeFields.csvColumns(COLUMNS) : COLUMNS);
        this.opts = opts;
    }

    @Override
    public void begin(ScanInfo info) throws IOException {
        if (!opts.continued()) out.header();
    }

    @Override
    public void accept(PortResult r) throws IOException {
        if (!opts.shows(r.state())) return;
        Object[] row = {Addresses.text(r.ip()), r.port(), PortResult.PROTO, r.state().label(), r.reason().label(),
                r.hasTtl() ? r.ttl() : null, r.hasRtt() ? r.rttUs() : null};
        out.row(opts.handshake() ? HandshakeFields.csvRow(row, r.handshake()) : row);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
