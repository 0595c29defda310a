package io.synprobe.output;

import io.synprobe.result.Hop;
import io.synprobe.result.Reason;
import io.synprobe.result.TraceInfo;
import io.synprobe.result.TraceListener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;

/**
 * A trace as JSON lines, one "hop" object per TTL: the first address that answered (null when silent), each
 * probe's round trip in microseconds (null for a silent probe), and on the last hop the state (open, closed, or
 * filtered for an unreachable) with its reason; "state" and "reason" are null on the hops on the way.
 */
final class TraceJsonListener implements TraceListener {
    private final JsonLines out;

    TraceJsonListener(OutputStream out, OutputOptions opts) {
        this.out = new JsonLines(out);
    }

    @Override
    public void begin(TraceInfo options) {
        // hops are self-describing: nothing to say before them
    }

    @Override
    public void hop(Hop hop) throws IOException {
        InetAddress addr = hop.addr();
        Reason end = hop.end();
        out.write(j -> {
            j.writeStringField("type", "hop");
            j.writeNumberField("ttl", hop.ttl());
            JsonLines.text(j, "addr", addr == null ? null : Addresses.text(addr));
            j.writeArrayFieldStart("rtt_us");
            for (Hop.Reply r : hop.replies()) {
                if (r == null) j.writeNull();
                else j.writeNumber(r.rttUs());
            }
            j.writeEndArray();
            JsonLines.text(j, "state", end == null ? null : end.state().label());
            JsonLines.text(j, "reason", end == null ? null : end.label());
        });
    }
}
