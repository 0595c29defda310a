package io.synprobe.testutil;

import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Keeps every result, for assertions. */
public final class CollectingSink implements ResultSink {
    public final List<PortResult> results = new ArrayList<>();
    public boolean closed;

    @Override
    public synchronized void accept(PortResult result) {
        results.add(result);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** "port state reason" per port of one host, sorted by port. */
    public synchronized Map<Integer, String> table(InetAddress host) {
        Map<Integer, String> m = new TreeMap<>();
        for (PortResult r : results) {
            if (r.ip().equals(host)) {
                String prev = m.put(r.port(), r.state().label() + " " + r.reason().label());
                if (prev != null) throw new AssertionError("two results for " + host + " port " + r.port());
            }
        }
        return m;
    }
}
