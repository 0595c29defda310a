package io.synprobe.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the stream a sink writes to. Files are written in place, unbuffered: every sink hands each complete record
 * to the stream in one write and flushes, so a killed scan leaves whole records behind.
 */
public final class OutputTarget {
    public static final String STDOUT = "-";

    private OutputTarget() {
    }

    /** {@code null} or {@code "-"} means standard output, which closing the sink only flushes. */
    public static OutputStream open(String path) throws IOException {
        if (path == null || path.equals(STDOUT)) return standardOutput();
        return Files.newOutputStream(Path.of(path));
    }

    private static OutputStream standardOutput() {
        return new FilterOutputStream(System.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
