package io.synprobe.serve;

import io.synprobe.result.PingEvent;
import java.io.IOException;
import java.util.List;

/**
 * All of serve's contact with the probing engine. Today {@link EngineProber} runs the ping engines; the shared
 * runtime replaces it without touching the rest of serve.
 */
public interface Prober {
    /** Where continuous probing reports. Called from prober threads. */
    interface Sink {
        /** One outcome of one probe (REPLY, TIMEOUT, LATE, DUP; a send error once the engine reports those). */
        void event(ProbeTarget target, PingEvent event);

        /** The probing of these targets failed as a whole (sockets, privileges); it is retried. */
        void failed(List<ProbeTarget> targets, Exception why);
    }

    /** Starts probing every target continuously until {@link #stop()}; returns once probing runs. */
    void start(List<ProbeTarget> targets, Sink sink) throws IOException;

    /** Stops continuous probing and waits for it to end. */
    void stop();

    /**
     * Sends {@code count} probes to one target, {@code target.interval()} apart, and returns one REPLY or TIMEOUT
     * event per probe once all are decided. Independent of continuous probing.
     */
    List<PingEvent> probe(ProbeTarget target, int count) throws IOException;
}
