package io.synprobe.result;

import java.net.InetAddress;

/**
 * The final answer for one probed (address, port).
 *
 * @param ttl   TTL (hop limit) of the reply that decided the state, or -1 when there was none
 * @param rttUs round-trip time of that reply in microseconds, or -1 when unknown
 * @param error for {@link Reason#SEND_ERROR}: the errno name the local kernel refused the probe with; else null
 * @param handshake with --handshake full: whether the connection was established (and its banner); else null
 */
public record PortResult(InetAddress ip, int port, PortState state, Reason reason, int ttl, long rttUs, String error,
                         Handshake handshake) {
    public static final String PROTO = "tcp";

    public PortResult(InetAddress ip, int port, PortState state, Reason reason, int ttl, long rttUs, String error) {
        this(ip, port, state, reason, ttl, rttUs, error, null);
    }

    public PortResult(InetAddress ip, int port, PortState state, Reason reason, int ttl, long rttUs) {
        this(ip, port, state, reason, ttl, rttUs, null);
    }

    public boolean hasTtl() {
        return ttl >= 0;
    }

    public boolean hasRtt() {
        return rttUs >= 0;
    }
}
