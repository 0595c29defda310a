package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;

import java.io.IOException;
import java.io.OutputStream;

/** CSV (RFC 4180 quoting, LF line ends): a header, then one row per shown result as it arrives. */
final class CsvSink implements ResultSink {
    private static final String HEADER = "ip,port,proto,state,reason,ttl,rtt_us\n";

    private final RecordWriter out;
    private final OutputOptions opts;

    CsvSink(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
        this.opts = opts;
    }

    @Override
    public void begin(ScanInfo info) throws IOException {
        out.write(HEADER);
    }

    @Override
    public void accept(PortResult r) throws IOException {
        if (!opts.shows(r.state())) return;
        out.write(String.join(",", field(Addresses.text(r.ip())), Integer.toString(r.port()), field(PortResult.PROTO),
                field(r.state().label()), field(r.reason().label()), r.hasTtl() ? Integer.toString(r.ttl()) : "",
                r.hasRtt() ? Long.toString(r.rttUs()) : "") + "\n");
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static String field(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
