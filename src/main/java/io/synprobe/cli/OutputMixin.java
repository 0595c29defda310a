package io.synprobe.cli;

import io.synprobe.output.OutputFormat;
import io.synprobe.output.OutputOptions;
import io.synprobe.output.OutputTarget;
import io.synprobe.output.ResultKind;
import io.synprobe.result.PortState;
import io.synprobe.result.ResultSink;
import io.synprobe.target.UsageException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Output options shared by the subcommands that report port results. */
public final class OutputMixin {
    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = FormatConverter.class,
            description = "table (default), jsonl, csv, xml (nmap-compatible) or grep (nmap grepable)")
    OutputFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "write results to FILE instead of standard output")
    String file;

    @Option(names = "--only", paramLabel = "STATES", description = "show only these states, e.g. open or open,filtered")
    String only;

    @Option(names = "--show-down", description = "table, xml, grep: also list the hosts that never answered, one line each"
            + " as soon as known (by default they are only counted, like nmap without -Pn)")
    boolean showDown;

    @Option(names = {"-q", "--quiet"}, description = "no progress or summary on standard error")
    boolean quiet;

    /** Parses a format name, so a bad one is a usage error naming it. */
    static final class FormatConverter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.parse(value);
            } catch (UsageException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    OutputFormat format() {
        return format.requireSupport(ResultKind.SCAN);
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

    /** The results come from a full handshake (set by the command before it opens the output). */
    boolean handshake;

    OutputOptions options() {
        return OutputOptions.only(onlyStates()).withShowDown(showDown).withHandshake(handshake);
    }

    /** The stream the results go to, once {@link #open} has made it. */
    private volatile java.io.OutputStream stream;

    java.io.OutputStream stream() {
        return stream;
    }

    boolean jsonl() {
        return format() == OutputFormat.JSONL;
    }

    ResultSink open() throws IOException {
        OutputFormat f = format();
        if (!append || file == null) return f.create(stream = OutputTarget.open(file), options());
        if (f == OutputFormat.XML || f == OutputFormat.TABLE) {
            // one XML document or report cannot be continued: the resumed part gets a file of its own
            String part = file + ".resumed";
            System.err.println("synprobe: " + f.label() + " output cannot be appended to; the resumed part goes to " + part);
            return f.create(OutputTarget.open(part), options());
        }
        return f.create(stream = new FileOutputStream(file, true), options().continuing(true));
    }
}
