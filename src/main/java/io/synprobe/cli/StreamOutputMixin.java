package io.synprobe.cli;

import io.synprobe.output.OutputFormat;
import io.synprobe.output.OutputOptions;
import io.synprobe.output.OutputTarget;
import io.synprobe.output.ResultKind;
import java.io.OutputStream;
import picocli.CommandLine.Option;

/** Output of the commands that report as they go (ping, trace): the formats of the registry that write their kind. */
public final class StreamOutputMixin {
    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputMixin.FormatConverter.class,
            description = "table (default) or jsonl; with ping also csv (a row per probe)")
    OutputFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "write to FILE instead of standard output")
    String file;

    /** A usage error naming the format when it cannot write this command's results. */
    void validate(ResultKind<?> kind) {
        format.requireSupport(kind);
    }

    boolean jsonl() {
        return format == OutputFormat.JSONL;
    }

    /** The file appears with the first line written, so a run refused for privileges leaves none. */
    OutputStream open() {
        return OutputTarget.openOnFirstWrite(file);
    }

    /** The listener of the chosen format over {@code out}, which the caller closes. */
    <T> T listener(ResultKind<T> kind, OutputStream out) {
        return format.create(kind, out, OutputOptions.defaults());
    }
}
