package io.synprobe.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run behind the class-data sharing archive ({@code scripts/synprobe --write-cds-archive}, run by
 * the Maven build): a JVM started with -XX:ArchiveClassesAtExit runs this, and every class it loaded goes into
 * the archive, so later runs map them instead of reading, parsing and verifying them from the jar. It runs what
 * a start-up needs: --version, scan --help, a one-port raw scan of 127.0.0.1 (exits with 3 without raw-socket
 * privileges, after the shim was bound, which is what matters) and the same scan with --connect. Nothing leaves
 * the loopback interface; all output is discarded.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out, err = System.err;
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        Path sink = Files.createTempFile("synprobe-cds-", ".out");
        System.setOut(none);
        System.setErr(none);
        try {
            String file = sink.toString();
            Main.execute("--version");
            Main.execute("scan", "--help");
            for (String format : new String[] {"jsonl", "table"}) {
                Main.execute("scan", "127.0.0.1", "-p", "9", "--retries", "0", "-o", format, "--output", file);
            }
            Main.execute("scan", "127.0.0.1", "-p", "9", "--retries", "0", "--connect", "-q", "--output", file);
        } finally {
            System.setOut(out);
            System.setErr(err);
            Files.deleteIfExists(sink);
        }
    }
}
