package io.synprobe.serve;

import java.time.Duration;

/**
 * One probed (host, port) of the config, before resolution.
 *
 * @param host as written in the config: the {@code target} label of its series
 * @param line where the entry starts in the config file
 */
public record TargetEntry(String host, int port, Duration interval, Duration timeout, int line) {
    /** What identifies a target across reloads: its counters survive as long as this stays. */
    public String key() {
        return host + "|" + port;
    }
}
