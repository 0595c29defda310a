package io.synprobe.result;

import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import java.net.InetAddress;

/**
 * What happened to one probe. A probe gets one REPLY or one TIMEOUT; after a TIMEOUT its reply, should it come,
 * is LATE; a second reply to an answered probe (the target retransmitting its SYN-ACK) is DUP. Only REPLY
 * events are RTT samples.
 *
 * @param flags  "SA", "RA", or the ICMP reason for errors; null for timeouts
 * @param rttUs  microseconds from the probe leaving to the reply arriving, -1 for timeouts
 * @param handshake with --handshake full: whether the connection was established (and its banner); else null
 */
public record PingEvent(Type type, InetAddress ip, int port, long seq, PortState state, Reason reason, String flags,
                        int ttl, int window, long rttUs, Handshake handshake) {
    public PingEvent(Type type, InetAddress ip, int port, long seq, PortState state, Reason reason, String flags,
                     int ttl, int window, long rttUs) {
        this(type, ip, port, seq, state, reason, flags, ttl, window, rttUs, null);
    }

    public PingEvent withHandshake(Handshake h) {
        return new PingEvent(type, ip, port, seq, state, reason, flags, ttl, window, rttUs, h);
    }

    /** SEND_ERROR: the local kernel refused the probe (flags names the errno); it never reached the wire. */
    public enum Type { REPLY, TIMEOUT, LATE, DUP, SEND_ERROR }
}
