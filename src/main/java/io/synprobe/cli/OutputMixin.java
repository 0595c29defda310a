package io.synprobe.cli;

import io.synprobe.output.OutputFormat;
import io.synprobe.output.OutputOptions;
import io.synprobe.output.OutputTarget;
import io.synprobe.result.PortState;
import io.synprobe.result.ResultSink;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.util.Set;
import picocli.CommandLine.Option;

/** Output options shared by the subcommands that report port results. */
public final class OutputMixin {
    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), jsonl, csv, xml (nmap-compatible) or grep (nmap grepable)")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "write results to FILE instead of standard output")
    String file;

    @Option(names = "--only", paramLabel = "STATES", description = "show only these states, e.g. open or open,filtered")
    String only;

    @Option(names = {"-q", "--quiet"}, description = "no progress or summary on standard error")
    boolean quiet;

    OutputFormat format() {
        try {
            return OutputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    Set<PortState> onlyStates() {
        if (only == null) return null;
        try {
            return OutputOptions.parseStates(only);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--only: " + e.getMessage());
        }
    }

    /** Continuing an interrupted scan: add to the file instead of replacing it. */
    boolean append;

    /** Validates everything first, so a bad option never leaves a half-written file behind. */
    void validate() {
        format();
        onlyStates();
    }

    ResultSink open() throws IOException {
        if (!append || file == null) return format().create(OutputTarget.open(file), OutputOptions.only(onlyStates()));
        OutputFormat f = format();
        if (f == OutputFormat.XML || f == OutputFormat.TABLE) {
            // one XML document or report cannot be continued: the resumed part gets a file of its own
            String part = file + ".resumed";
            System.err.println("synprobe: " + f.label() + " output cannot be appended to; the resumed part goes to " + part);
            return f.create(OutputTarget.open(part), OutputOptions.only(onlyStates()));
        }
        return f.create(new java.io.FileOutputStream(file, true), OutputOptions.only(onlyStates()));
    }
}
