package io.synprobe.check;

import io.synprobe.SynProbe.ScanRequest;
import java.time.Duration;

/**
 * One entry of a check file, validated.
 *
 * @param line       where the entry starts in the file (1-based)
 * @param targets    target tokens separated by spaces
 * @param maxRtt     the slowest acceptable reply, or null for no bound
 * @param maxRttText maxRtt as written, for messages
 * @param warnRtt    a reply slower than this is a warning (Nagios WARNING), or null; the check still passes
 */
public record Check(String name, int line, String targets, String ports, Expect expect, Duration maxRtt,
                    String maxRttText, int retries, Duration timeout, Duration warnRtt, String warnRttText) {

    public Check(String name, int line, String targets, String ports, Expect expect, Duration maxRtt, String maxRttText,
                 int retries, Duration timeout) {
        this(name, line, targets, ports, expect, maxRtt, maxRttText, retries, timeout, null, null);
    }

    /** The scan that answers this check. */
    public ScanRequest request(String netns) {
        return new ScanRequest(targets, ports, retries, timeout, 0, netns);
    }
}
