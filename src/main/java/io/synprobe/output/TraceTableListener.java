package io.synprobe.output;

import io.synprobe.result.Reason;
import io.synprobe.result.Hop;
import io.synprobe.result.TraceListener;
import io.synprobe.result.TraceInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A trace for people, laid out like tcptraceroute: a line per hop, the address, then each probe's round trip or
 * {@code *}; an address is repeated only when a probe was answered by another one than the previous probe. The
 * end of the path is marked {@code [open]}, {@code [closed]} or {@code [<unreachable reason>]}.
 */
final class TraceTableListener implements TraceListener {
    private final RecordWriter out;

    TraceTableListener(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
    }

    @Override
    public void begin(TraceInfo o) throws IOException {
        out.write(String.format(Locale.ROOT, "Tracing the path to %s on TCP port %d, %d hops max%n",
                Addresses.text(o.target()), o.port(), o.maxHops()));
    }

    @Override
    public void hop(Hop hop) throws IOException {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%2d ", hop.ttl()));
        InetAddress shown = null;
        for (Hop.Reply r : hop.replies()) {
            if (r == null) {
                b.append(" *");
                continue;
            }
            if (!r.from().equals(shown)) {
                shown = r.from();
                b.append(' ').append(Addresses.text(shown));
                if (r.isFinal()) b.append(" [").append(endLabel(r.reason())).append(']');
            }
            b.append(String.format(Locale.ROOT, "  %.3f ms", r.rttUs() / 1000.0));
        }
        out.write(b.append(System.lineSeparator()));
    }

    /** open and closed for the target's own answers, else the unreachable reason (host-unreach, ...). */
    static String endLabel(Reason reason) {
        return reason == Reason.SYN_ACK || reason == Reason.RESET ? reason.state().label() : reason.label();
    }
}
