package io.synprobe.output;

import io.synprobe.result.PingListener;
import io.synprobe.result.ResultSink;
import io.synprobe.result.TraceListener;

/** The three kinds of results a format can write, each with the sink type the engines call. */
public final class ResultKind<T> {
    public static final ResultKind<ResultSink> SCAN = new ResultKind<>("scan", ResultSink.class);
    public static final ResultKind<PingListener> PING = new ResultKind<>("ping", PingListener.class);
    public static final ResultKind<TraceListener> TRACE = new ResultKind<>("trace", TraceListener.class);

    private final String name;
    private final Class<T> type;

    private ResultKind(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /** The command that produces this kind: scan, ping or trace. */
    public String label() {
        return name;
    }

    Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return name;
    }
}
