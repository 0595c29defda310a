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

    private final OutputStream stream;
    private CsvRows out;

    PingCsvListener(OutputStream out, OutputOptions opts) {
        this.stream = out;
    }

    @Override
    public void event(PingEvent e) throws IOException {
        if (out == null) {
            // a full-handshake run (every event says so) has two more columns
            out = new CsvRows(stream, e.handshake() == null ? COLUMNS : HandshakeFields.csvColumns(COLUMNS));
            out.header();
        }
        Object[] row = {Addresses.text(e.ip()), e.port(), e.seq(), e.type().name().toLowerCase(Locale.ROOT), e.state().label(),
                e.reason().label(), e.flags(), absentIfNegative(e.rttUs()), absentIfNegative(e.ttl()),
                absentIfNegative(e.window())};
        out.row(e.handshake() == null ? row : HandshakeFields.csvRow(row, e.handshake()));
    }

    @Override
    public void summary(PingSummary s) {
        // statistics are derived from the rows; CSV keeps one row shape
    }

    private static Long absentIfNegative(long v) {
        return v < 0 ? null : v;
    }
}
