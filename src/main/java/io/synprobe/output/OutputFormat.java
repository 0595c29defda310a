package io.synprobe.output;

import io.synprobe.result.PingListener;
import io.synprobe.result.ResultSink;
import io.synprobe.result.TraceListener;
import io.synprobe.target.UsageException;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The format registry: one constant per format, naming the result kinds it writes and the class that writes each.
 * Adding a format is one class per kind plus one line here. A sink or listener owns nothing but what it is given:
 * a scan sink closes its stream, ping and trace listeners leave that to the caller.
 */
public enum OutputFormat {
    TABLE(kinds().scan(TableSink::new).ping(PingTableListener::new).trace(TraceTableListener::new)),
    JSONL(kinds().scan(JsonlSink::new).ping(PingJsonListener::new).trace(TraceJsonListener::new)),
    CSV(kinds().scan(CsvSink::new).ping(PingCsvListener::new)),
    XML(kinds().scan(XmlSink::new)),
    GREP(kinds().scan(GrepSink::new));

    /** Makes the sink of one kind over a stream. */
    @FunctionalInterface
    public interface Factory<T> {
        T create(OutputStream out, OutputOptions opts);
    }

    private final Map<ResultKind<?>, Factory<?>> factories;

    OutputFormat(Kinds kinds) {
        this.factories = kinds.factories;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean supports(ResultKind<?> kind) {
        return factories.containsKey(kind);
    }

    /** The sink of this kind writing to {@code out}; a usage error when this format cannot write that kind. */
    public <T> T create(ResultKind<T> kind, OutputStream out, OutputOptions opts) {
        Factory<?> f = factories.get(kind);
        if (f == null) throw unsupported(kind);
        return kind.type().cast(f.create(out, opts));
    }

    /** The scan sink, which closes {@code out} when closed. */
    public ResultSink create(OutputStream out, OutputOptions opts) {
        return create(ResultKind.SCAN, out, opts);
    }

    /** Fails with a one-line usage error unless this format writes {@code kind}. */
    public OutputFormat requireSupport(ResultKind<?> kind) {
        if (!supports(kind)) throw unsupported(kind);
        return this;
    }

    private UsageException unsupported(ResultKind<?> kind) {
        return new UsageException("output format '" + label() + "' is not available for " + kind.label()
                + " (valid: " + labels(kind) + ")");
    }

    /** The formats that write {@code kind}, comma separated. */
    public static String labels(ResultKind<?> kind) {
        return Arrays.stream(values()).filter(f -> f.supports(kind)).map(OutputFormat::label)
                .collect(Collectors.joining(", "));
    }

    public static OutputFormat parse(String token) {
        String wanted = token == null ? "" : token.trim().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (f.label().equals(wanted)) return f;
        }
        String valid = Arrays.stream(values()).map(OutputFormat::label).collect(Collectors.joining(", "));
        throw new UsageException("unknown output format '" + token + "' (valid: " + valid + ")");
    }

    private static Kinds kinds() {
        return new Kinds();
    }

    /** The kinds one format writes, with the factory of each. */
    private static final class Kinds {
        private final Map<ResultKind<?>, Factory<?>> factories = new LinkedHashMap<>();

        Kinds scan(Factory<? extends ResultSink> f) {
            factories.put(ResultKind.SCAN, f);
            return this;
        }

        Kinds ping(Factory<? extends PingListener> f) {
            factories.put(ResultKind.PING, f);
            return this;
        }

        Kinds trace(Factory<? extends TraceListener> f) {
            factories.put(ResultKind.TRACE, f);
            return this;
        }
    }
}
