package io.synprobe.engine;

import io.synprobe.packet.DecodedReply;
import io.synprobe.packet.IcmpReasons;
import io.synprobe.result.Reason;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;

/**
 * Decides which scan probe a decoded reply answers, if any. A SYN-ACK or RST counts only when its
 * acknowledgment is our cookie + 1; an ICMP error only when the probe it quotes carries our cookie as its
 * sequence number and our addresses and ports. Results land in the public fields, so matching allocates nothing.
 */
public final class ReplyMatcher {
    /** Tells whether a probe has been sent (a split-handshake SYN can only answer a probe that left). */
    public interface SentProbes {
        boolean wasSent(long probe);
    }

    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final Cookies cookies;
    private final int sportBase;
    private final int sportCount;
    private final SentProbes sent;

    public long probe;
    public int attempt;
    public Reason reason;

    public ReplyMatcher(TargetSet targets, PortList ports, Cookies cookies, int sportBase, int sportCount, SentProbes sent) {
        this.targets = targets;
        this.ports = ports;
        this.portCount = ports.size();
        this.cookies = cookies;
        this.sportBase = sportBase;
        this.sportCount = sportCount;
        this.sent = sent;
    }

    /** @return true when the reply answers one of our probes; then probe, attempt and reason are set */
    public boolean match(DecodedReply r) {
        return switch (r.kind) {
            case TCP -> matchTcp(r);
            case ICMP_UNREACHABLE, ICMP_TIME_EXCEEDED -> matchIcmp(r);
            default -> false;
        };
    }

    private boolean matchTcp(DecodedReply r) {
        attempt = r.dstPort - sportBase;
        if (attempt < 0 || attempt >= sportCount) return false;
        probe = probeOf(r.family, r.srcHi, r.srcLo, r.srcPort);
        if (probe < 0) return false;
        if (r.isSynAck() || r.isRst()) {
            int cookie = cookies.compute(r.dstHi, r.dstLo, r.srcHi, r.srcLo, r.dstPort, r.srcPort, 0);
            if (((r.ack - 1) & 0xffffffffL) != (cookie & 0xffffffffL)) return false;
            reason = r.isSynAck() ? Reason.SYN_ACK : Reason.RESET;
            return true;
        }
        if (r.isBareSyn()) {
            // A SYN carries no acknowledgment to check. It must not be one of our own probes looped back
            // (loopback scans see them), and the probe it would answer must have left.
            int own = cookies.compute(r.srcHi, r.srcLo, r.dstHi, r.dstLo, r.srcPort, r.dstPort, 0);
            if ((own & 0xffffffffL) == r.seq || !sent.wasSent(probe)) return false;
            reason = Reason.SPLIT_HANDSHAKE_SYN;
            return true;
        }
        return false;
    }

    private boolean matchIcmp(DecodedReply r) {
        attempt = r.quotedSrcPort - sportBase;
        reason = IcmpReasons.of(r.family, r.icmpType, r.icmpCode);
        if (reason == null || attempt < 0 || attempt >= sportCount) return false;
        probe = probeOf(r.family, r.quotedDstHi, r.quotedDstLo, r.quotedDstPort);
        if (probe < 0) return false;
        int cookie = cookies.compute(r.quotedSrcHi, r.quotedSrcLo, r.quotedDstHi, r.quotedDstLo,
                r.quotedSrcPort, r.quotedDstPort, 0);
        return r.quotedSeq == (cookie & 0xffffffffL);
    }

    private long probeOf(int family, long hi, long lo, int port) {
        long host = targets.indexOf(family, hi, lo);
        int portIndex = ports.indexOf(port);
        if (host < 0 || portIndex < 0) return -1;
        return host * portCount + portIndex;
    }
}
