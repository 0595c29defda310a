package io.synprobe.result;

import java.io.IOException;

/** Where a trace goes: a table for people, JSON lines for scripts, a list in tests. Hops arrive in TTL order. */
public interface TraceListener {
    /** Called once before any hop. */
    void begin(TraceInfo info) throws IOException;

    /** Called once per hop, as soon as it and every lower hop are complete; the last hop is the end of the path. */
    void hop(Hop hop) throws IOException;
}
