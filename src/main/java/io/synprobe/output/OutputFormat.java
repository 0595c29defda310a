package io.synprobe.output;

import io.synprobe.result.ResultSink;
import io.synprobe.target.UsageException;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** The swappable output modules. A sink owns the stream it is given and closes it. */
public enum OutputFormat {
    TABLE(TableSink::new),
    JSONL(JsonlSink::new),
    CSV(CsvSink::new),
    XML(XmlSink::new),
    GREP(GrepSink::new);

    private final BiFunction<OutputStream, OutputOptions, ResultSink> factory;

    OutputFormat(BiFunction<OutputStream, OutputOptions, ResultSink> factory) {
        this.factory = factory;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ResultSink create(OutputStream out, OutputOptions opts) {
        return factory.apply(out, opts);
    }

    public static OutputFormat parse(String token) {
        String wanted = token == null ? "" : token.trim().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (f.label().equals(wanted)) return f;
        }
        String valid = Arrays.stream(values()).map(OutputFormat::label).collect(Collectors.joining(", "));
        throw new UsageException("unknown output format '" + token + "' (valid: " + valid + ")");
    }
}
