package io.synprobe.output;

import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import java.io.IOException;
import java.io.OutputStream;

/** Ping as JSON lines: one "probe" object per probe outcome, one "summary" object per target at the end. */
final class PingJsonListener implements PingListener {
    private final JsonLines out;

    PingJsonListener(OutputStream out, OutputOptions opts) {
        this.out = new JsonLines(out);
    }

    @Override
    public void event(PingEvent e) throws IOException {
        out.write(j -> {
            j.writeStringField("type", "probe");
            j.writeStringField("ip", Addresses.text(e.ip()));
            j.writeNumberField("port", e.port());
            j.writeNumberField("seq", e.seq());
            j.writeStringField("state", e.state().label());
            j.writeStringField("reason", e.reason().label());
            JsonLines.text(j, "flags", e.flags());
            JsonLines.optional(j, "rtt_us", e.rttUs());
            JsonLines.optional(j, "ttl", e.ttl());
            JsonLines.optional(j, "window", e.window());
            j.writeBooleanField("late", e.type() == PingEvent.Type.LATE);
            j.writeBooleanField("dup", e.type() == PingEvent.Type.DUP);
            j.writeBooleanField("timeout", e.type() == PingEvent.Type.TIMEOUT);
            j.writeBooleanField("send_error", e.type() == PingEvent.Type.SEND_ERROR);
            if (e.handshake() != null) HandshakeFields.json(j, e.handshake());
        });
    }

    @Override
    public void summary(PingSummary s) throws IOException {
        boolean any = s.received() > 0;
        out.write(j -> {
            j.writeStringField("type", "summary");
            j.writeStringField("ip", Addresses.text(s.ip()));
            j.writeNumberField("port", s.port());
            j.writeNumberField("sent", s.sent());
            j.writeNumberField("received", s.received());
            JsonLines.decimal(j, "loss_pct", s.lossPercent());
            JsonLines.optional(j, "min_us", any ? s.minUs() : -1);
            JsonLines.decimal(j, "avg_us", s.avgUs());
            JsonLines.optional(j, "max_us", any ? s.maxUs() : -1);
            JsonLines.decimal(j, "stddev_us", s.stddevUs());
            JsonLines.optional(j, "p50_us", any ? s.p50Us() : -1);
            JsonLines.optional(j, "p90_us", any ? s.p90Us() : -1);
            JsonLines.optional(j, "p99_us", any ? s.p99Us() : -1);
            JsonLines.decimal(j, "jitter_us", s.jitterUs());
            j.writeNumberField("late", s.late());
            j.writeNumberField("dup", s.dup());
            j.writeNumberField("send_errors", s.sendErrors());
        });
    }
}
