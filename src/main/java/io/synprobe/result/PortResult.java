package io.synprobe.result;

import java.net.InetAddress;

/**
 * The final answer for one probed (address, port).
 *
 * @param ttl   TTL (hop limit) of the reply that decided the state, or -1 when there was none
 * @param rttUs round-trip time of that reply in microseconds, or -1 when unknown
 */
public record PortResult(InetAddress ip, int port, PortState state, Reason reason, int ttl, long rttUs) {
    public static final String PROTO = "tcp";

    public boolean hasTtl() {
        return ttl >= 0;
    }

    public boolean hasRtt() {
        return rttUs >= 0;
    }
}
