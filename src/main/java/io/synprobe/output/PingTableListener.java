package io.synprobe.output;

import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** Ping for people: a line per probe outcome, a statistics block per target. */
final class PingTableListener implements PingListener {
    private final RecordWriter out;

    PingTableListener(OutputStream out, OutputOptions opts) {
        this.out = new RecordWriter(out);
    }

    @Override
    public void event(PingEvent e) throws IOException {
        String target = Addresses.text(e.ip()) + ":" + e.port();
        String line = switch (e.type()) {
            case TIMEOUT -> String.format(Locale.ROOT, "seq=%d %s timeout%n", e.seq(), target);
            case REPLY -> String.format(Locale.ROOT, "seq=%d %s flags=%s %s ttl=%d%s rtt=%s ms%s%n", e.seq(), target,
                    e.flags(), e.state().label(), e.ttl(), e.window() >= 0 ? " win=" + e.window() : "", ms(e.rttUs()),
                    HandshakeFields.text(e.handshake()));
            case LATE -> String.format(Locale.ROOT, "seq=%d %s flags=%s late ttl=%d rtt=%s ms (after the timeout: not counted)%n",
                    e.seq(), target, e.flags(), e.ttl(), ms(e.rttUs()));
            case DUP -> String.format(Locale.ROOT, "seq=%d %s flags=%s dup ttl=%d after %s ms (repeated reply: not counted)%n",
                    e.seq(), target, e.flags(), e.ttl(), ms(e.rttUs()));
            case SEND_ERROR -> String.format(Locale.ROOT, "seq=%d %s send-error %s (refused by the local kernel: not sent)%n",
                    e.seq(), target, e.flags());
        };
        out.write(line);
    }

    @Override
    public void summary(PingSummary s) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n--- %s:%d synprobe ping statistics ---%n", Addresses.text(s.ip()), s.port()));
        b.append(String.format(Locale.ROOT, "%d probes sent, %d replies, %.1f%% loss", s.sent(), s.received(), s.lossPercent()));
        if (s.late() > 0 || s.dup() > 0) b.append(String.format(Locale.ROOT, " (%d late, %d dup not counted)", s.late(), s.dup()));
        if (s.sendErrors() > 0) b.append(String.format(Locale.ROOT, ", %d not sent (local send errors)", s.sendErrors()));
        b.append(System.lineSeparator());
        if (s.received() > 0) {
            b.append(String.format(Locale.ROOT, "rtt min/avg/max/stddev = %s/%s/%s/%s ms%n", ms(s.minUs()), ms(s.avgUs()),
                    ms(s.maxUs()), ms(s.stddevUs())));
            b.append(String.format(Locale.ROOT, "rtt p50/p90/p99 = %s/%s/%s ms, jitter %s ms%n", ms(s.p50Us()), ms(s.p90Us()),
                    ms(s.p99Us()), Double.isNaN(s.jitterUs()) ? "-" : ms(s.jitterUs())));
        }
        out.write(b);
    }

    private static String ms(double us) {
        return String.format(Locale.ROOT, "%.3f", us / 1000.0);
    }
}
