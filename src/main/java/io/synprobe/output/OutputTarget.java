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

    /**
     * Like {@link #open}, but a file is created only when the first byte is written: a run that fails before it
     * reports anything (no privileges, an unreachable namespace) leaves no empty file behind.
     */
    public static OutputStream openOnFirstWrite(String path) {
        if (path == null || path.equals(STDOUT)) return standardOutput();
        return new OutputStream() {
            private OutputStream file;

            private OutputStream file() throws IOException {
                if (file == null) file = Files.newOutputStream(Path.of(path));
                return file;
            }

            @Override
            public void write(int b) throws IOException {
                file().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (file != null) file.flush();
            }

            @Override
            public void close() throws IOException {
                if (file != null) file.close();
            }
        };
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
