package io.synprobe.output;

import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import java.io.IOException;
import java.io.OutputStream;

/** Ping as JSON lines: one "probe" object per probe outcome, one "summary" object per target at the end. */
public final class PingJsonListener implements PingListener {
    private final RecordWriter out;

    public PingJsonListener(OutputStream out) {
        this.out = new RecordWriter(out);
    }

    @Override
    public void event(PingEvent e) throws IOException {
        out.write(new Json().field("type", "probe").field("ip", Addresses.text(e.ip())).field("port", e.port())
                .field("seq", e.seq()).field("state", e.state().label()).field("reason", e.reason().label())
                .field("flags", e.flags()).optional("rtt_us", e.rttUs()).optional("ttl", e.ttl())
                .optional("window", e.window()).field("late", e.type() == PingEvent.Type.LATE)
                .field("dup", e.type() == PingEvent.Type.DUP).field("timeout", e.type() == PingEvent.Type.TIMEOUT)
                .field("send_error", e.type() == PingEvent.Type.SEND_ERROR).line());
    }

    @Override
    public void summary(PingSummary s) throws IOException {
        boolean any = s.received() > 0;
        out.write(new Json().field("type", "summary").field("ip", Addresses.text(s.ip())).field("port", s.port())
                .field("sent", s.sent()).field("received", s.received()).field("loss_pct", s.lossPercent())
                .optional("min_us", any ? s.minUs() : -1).field("avg_us", s.avgUs()).optional("max_us", any ? s.maxUs() : -1)
                .field("stddev_us", s.stddevUs()).optional("p50_us", any ? s.p50Us() : -1)
                .optional("p90_us", any ? s.p90Us() : -1).optional("p99_us", any ? s.p99Us() : -1)
                .field("jitter_us", s.jitterUs()).field("late", s.late()).field("dup", s.dup())
                .field("send_errors", s.sendErrors()).line());
    }
}
