package io.synprobe.probe;

import io.synprobe.packet.DecodedReply;
import io.synprobe.packet.IcmpReasons;
import io.synprobe.result.Reason;

/**
 * The one place that decides whether a decoded packet answers one of our probes. The schedule names the probe
 * that left from a local port towards a remote address and port, and the tag in its cookie; the reply counts only
 * when it echoes that probe's cookie: in its acknowledgment (checked by the {@link ProbeModule}) or, for an ICMP
 * error, as the quoted probe's sequence number along with our addresses and ports. Results land in the public
 * fields, so classifying allocates nothing. One instance per thread.
 */
public final class Classifier {
    /** How a schedule finds its probes. */
    public interface ProbeIndex {
        /** @return the probe that left from localPort towards (remote, remotePort), or -1 when none did */
        long probeOf(int family, long remoteHi, long remoteLo, int remotePort, int localPort);

        /** The tag mixed into that probe's cookie: 0 for scans, the probe number for ping and trace. */
        long tagOf(long probe, int localPort);

        /** Whether the probe has left; only then can a bare SYN (split handshake) answer it. */
        default boolean acceptsBareSyn(long probe) {
            return false;
        }
    }

    private static final long MASK32 = 0xffffffffL;
    private final ProbeModule module;
    private final Cookies cookies;
    private final ProbeIndex index;

    /** The probe the last classified packet answers, the local port it left from, and what the reply means. */
    public long probe;
    public int localPort;
    public Reason reason;
    /**
     * The packet belongs to the connection the probe opened (data, FIN or RST after our ACK; see
     * {@link ProbeModule#acceptsSegment}); then reason is null. Only with a module that completes connections.
     */
    public boolean segment;

    public Classifier(ProbeModule module, Cookies cookies, ProbeIndex index) {
        this.module = module;
        this.cookies = cookies;
        this.index = index;
    }

    /** @return true when the packet answers one of our probes; then probe, localPort and reason are set */
    public boolean classify(DecodedReply r) {
        segment = false;
        return switch (r.kind) {
            case TCP -> tcp(r);
            case ICMP_UNREACHABLE, ICMP_TIME_EXCEEDED -> icmp(r);
            default -> false;
        };
    }

    private boolean tcp(DecodedReply r) {
        localPort = r.dstPort;
        probe = index.probeOf(r.family, r.srcHi, r.srcLo, r.srcPort, r.dstPort);
        if (probe < 0) return false;
        int cookie = cookies.compute(r.dstHi, r.dstLo, r.srcHi, r.srcLo, r.dstPort, r.srcPort, index.tagOf(probe, localPort));
        reason = module.classifyTcp(r, cookie);
        if (reason != null) return true;
        if (module.acceptsSegment(r, cookie)) {
            segment = true;
            return true;
        }
        if (r.isBareSyn() && index.acceptsBareSyn(probe)) {
            // A SYN carries no acknowledgment to check; it must at least not be one of our own probes looped back.
            int own = cookies.compute(r.srcHi, r.srcLo, r.dstHi, r.dstLo, r.srcPort, r.dstPort, index.tagOf(probe, localPort));
            if ((own & MASK32) == r.seq) return false;
            reason = Reason.SPLIT_HANDSHAKE_SYN;
            return true;
        }
        return false;
    }

    private boolean icmp(DecodedReply r) {
        reason = IcmpReasons.of(r.family, r.icmpType, r.icmpCode);
        if (reason == null) return false;
        localPort = r.quotedSrcPort;
        probe = index.probeOf(r.family, r.quotedDstHi, r.quotedDstLo, r.quotedDstPort, r.quotedSrcPort);
        if (probe < 0) return false;
        int cookie = cookies.compute(r.quotedSrcHi, r.quotedSrcLo, r.quotedDstHi, r.quotedDstLo, r.quotedSrcPort,
                r.quotedDstPort, index.tagOf(probe, localPort));
        return r.quotedSeq == (cookie & MASK32);
    }
}
