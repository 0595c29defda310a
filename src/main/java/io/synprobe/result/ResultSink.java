package io.synprobe.result;

import java.io.IOException;

/**
 * An output module. The engine calls {@link #begin}, then {@link #accept} once per final result (in no particular
 * order), then {@link #end}. Implementations that must group results (table, XML) buffer them; streaming ones
 * (JSONL, CSV) write each line whole, so an interrupted run never leaves a torn line.
 */
public interface ResultSink extends AutoCloseable {
    default void begin(ScanInfo info) throws IOException {
    }

    void accept(PortResult result) throws IOException;

    default void end(ScanSummary summary) throws IOException {
    }

    @Override
    void close() throws IOException;
}
