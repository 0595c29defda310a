package io.synprobe.cli;

import io.synprobe.nativeio.WireClock;
import io.synprobe.packet.PacketObserver;
import io.synprobe.packet.PacketTraceWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** --packet-trace: every packet sent and received, decoded field by field, on stderr (and in the JSONL stream). */
final class PacketTraceMixin {
    @Option(names = "--packet-trace", description = "show every packet sent and received with all its IP and TCP header"
            + " fields on stderr (and as {\"type\":\"packet\"} records with -o jsonl)")
    boolean enabled;

    /**
     * The observer for a run, or null when off.
     *
     * @param jsonl the run's JSONL stream once it is open, or null when the format is not JSONL
     */
    PacketObserver observer(Supplier<OutputStream> jsonl) {
        if (!enabled) return null;
        PrintStream err = System.err;
        OutputStream json = jsonl == null ? null : new OutputStream() {
            // the results' stream is opened after the sockets: looked up at the first record
            @Override
            public void write(int b) throws IOException {
                jsonl.get().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                jsonl.get().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                jsonl.get().flush();
            }
        };
        return new PacketTraceWriter(err, json, WireClock.realtimeNs());
    }
}
