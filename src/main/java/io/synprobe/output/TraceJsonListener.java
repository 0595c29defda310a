package io.synprobe.output;

import io.synprobe.result.Reason;
import io.synprobe.result.Hop;
import io.synprobe.result.TraceListener;
import io.synprobe.result.TraceInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;

/**
 * A trace as JSON lines, one "hop" object per TTL: the first address that answered (null when silent), each
 * probe's round trip in microseconds (null for a silent probe), and on the last hop the state (open, closed, or
 * filtered for an unreachable) with its reason; "state" and "reason" are null on the hops on the way.
 */
public final class TraceJsonListener implements TraceListener {
    private final RecordWriter out;

    public TraceJsonListener(OutputStream out) {
        this.out = new RecordWriter(out);
    }

    @Override
    public void begin(TraceInfo options) {
        // hops are self-describing: nothing to say before them
    }

    @Override
    public void hop(Hop hop) throws IOException {
        long[] rtts = new long[hop.replies().size()];
        for (int i = 0; i < rtts.length; i++) {
            Hop.Reply r = hop.replies().get(i);
            rtts[i] = r == null ? -1 : r.rttUs();
        }
        InetAddress addr = hop.addr();
        Reason end = hop.end();
        out.write(new Json().field("type", "hop").field("ttl", hop.ttl())
                .field("addr", addr == null ? null : Addresses.text(addr)).optionals("rtt_us", rtts)
                .field("state", end == null ? null : end.state().label())
                .field("reason", end == null ? null : end.label()).line());
    }
}
