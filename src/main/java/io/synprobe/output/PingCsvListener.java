package io.synprobe.output;

import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * Ping as CSV: a header, then one row per probe outcome as it happens ({@code event} is reply, timeout, late or
 * dup). The per-target statistics are not rows: they follow from the reply rows.
 */
final class PingCsvListener implements PingListener {
    static final List<String> COLUMNS = List.of("ip", "port", "seq", "event", "state", "reason", "flags", "rtt_us",
            "ttl", "window");

    private final CsvRows out;
    private boolean started;

    PingCsvListener(OutputStream out, OutputOptions opts) {
        this.out = new CsvRows(out, COLUMNS);
    }

    @Override
    public void event(PingEvent e) throws IOException {
        if (!started) {
            out.header();
            started = true;
        }
        out.row(Addresses.text(e.ip()), e.port(), e.seq(), e.type().name().toLowerCase(Locale.ROOT), e.state().label(),
                e.reason().label(), e.flags(), absentIfNegative(e.rttUs()), absentIfNegative(e.ttl()),
                absentIfNegative(e.window()));
    }

    @Override
    public void summary(PingSummary s) {
        // statistics are derived from the rows; CSV keeps one row shape
    }

    private static Long absentIfNegative(long v) {
        return v < 0 ? null : v;
    }
}
