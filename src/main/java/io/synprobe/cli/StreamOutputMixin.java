package io.synprobe.cli;

import io.synprobe.output.OutputTarget;
import io.synprobe.target.UsageException;
import java.io.OutputStream;
import picocli.CommandLine.Option;

/** Output of the commands that report as they go (ping, trace): a table for people or JSON lines. */
public final class StreamOutputMixin {
    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or jsonl")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "write to FILE instead of standard output")
    String file;

    boolean jsonl() {
        return format.equals("jsonl");
    }

    void validate(String command) {
        if (!format.equals("table") && !format.equals("jsonl")) {
            throw new UsageException("invalid output format '" + format + "' for " + command + " (table or jsonl)");
        }
    }

    /** The file appears with the first line written, so a run refused for privileges leaves none. */
    OutputStream open() {
        return OutputTarget.openOnFirstWrite(file);
    }
}
