package io.synprobe.result;

import java.io.IOException;

/** Where ping events go: a table for people, JSON lines for scripts, a list in tests. */
public interface PingListener {
    void event(PingEvent e) throws IOException;

    void summary(PingSummary s) throws IOException;
}
