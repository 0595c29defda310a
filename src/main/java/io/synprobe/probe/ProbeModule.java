package io.synprobe.probe;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.Reason;

/**
 * A kind of probe: what goes into a batch, and what a TCP reply to it means. The {@link Classifier} has already
 * tied the reply to one of our probes by its addresses and ports; the module checks the proof (the number the
 * reply must echo, derived from the probe's cookie) and names the verdict. ICMP errors are judged by the
 * classifier for every module alike, from the quoted probe's sequence number, which every module sets to the cookie.
 */
public interface ProbeModule {
    /** The name users pick it by (--scan-type). */
    String name();

    /** Appends one probe whose sequence number is the cookie; returns its slot in the batch. */
    int add(ProbeBatch batch, byte[] src, byte[] dst, int sport, int dport, int cookie, int ttl, int ipId);

    /** What a TCP reply to the probe with this cookie means, or null when it does not prove it answers it. */
    Reason classifyTcp(DecodedReply reply, int cookie);

    /**
     * Whether a packet that is no answer to the probe itself (no SYN-ACK, no RST to the SYN) belongs to the
     * connection the probe opened: the server's data, FIN or RST after our ACK. Only a module that completes
     * connections says yes, and only to a packet that proves it (its acknowledgment covers our cookie).
     */
    default boolean acceptsSegment(DecodedReply reply, int cookie) {
        return false;
    }

    static ProbeModule named(String name) {
        return switch (name) {
            case "syn" -> SynModule.INSTANCE;
            case "ack" -> AckModule.INSTANCE;
            default -> throw new IllegalArgumentException("unknown scan type '" + name + "' (syn or ack)");
        };
    }
}
