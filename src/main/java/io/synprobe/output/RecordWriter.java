package io.synprobe.output;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes each record (a line or a block of lines) with a single write and flushes, so records are never torn. */
final class RecordWriter implements Closeable {
    private final OutputStream out;

    RecordWriter(OutputStream out) {
        this.out = out;
    }

    void write(CharSequence record) throws IOException {
        out.write(record.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
