package io.synprobe.result;

import io.synprobe.result.Reason;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What came back for the probes sent with one TTL. {@code replies} has one entry per probe, in probe order,
 * null for a probe nothing answered in time.
 */
public record Hop(int ttl, List<Reply> replies) {
    /**
     * One answered probe.
     *
     * @param from   who answered: a router (time exceeded), the target (SYN-ACK, RST) or whoever sent an
     *               unreachable
     * @param reason TIME_EXCEEDED for a router on the way; SYN_ACK, RESET or an ICMP unreachable reason at the end
     */
    public record Reply(InetAddress from, long rttUs, Reason reason) {
        /** True for an answer that ends the trace: the target's SYN-ACK or RST, or a destination unreachable. */
        public boolean isFinal() {
            return reason != Reason.TIME_EXCEEDED;
        }
    }

    public Hop {
        replies = Collections.unmodifiableList(Arrays.asList(replies.toArray(new Reply[0])));
    }

    /** The first address that answered, or null when the hop stayed silent. */
    public InetAddress addr() {
        for (Reply r : replies) if (r != null) return r.from();
        return null;
    }

    /** The reason of the first final answer, or null for a hop on the way (or a silent one). */
    public Reason end() {
        for (Reply r : replies) if (r != null && r.isFinal()) return r.reason();
        return null;
    }

    /** True when a probe of this hop reached the target's TCP stack (SYN-ACK or RST). */
    public boolean reachedTarget() {
        Reason e = end();
        return e == Reason.SYN_ACK || e == Reason.RESET;
    }
}
