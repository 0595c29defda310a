package io.synprobe.trace;

import io.synprobe.result.TraceListener;
import io.synprobe.result.Hop;
import io.synprobe.engine.Cookies;
import io.synprobe.nativeio.WireClock;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.nativeio.Routes;
import io.synprobe.packet.DecodedReply;
import io.synprobe.packet.IcmpReasons;
import io.synprobe.result.Reason;
import io.synprobe.target.Ip;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP traceroute. Every probe of the trace (TTL 1..maxHops, probesPerHop each) is sent at once, each from its own
 * source port (base + k) with its own cookie sequence number (tag k), so an answer names exactly the probe it
 * answers: an ICMP time exceeded or unreachable must quote our addresses, ports and that sequence number, and
 * the target's SYN-ACK or RST must acknowledge it. The trace ends at the lowest TTL with a final answer.
 * Single-threaded, like the ping engine; RTTs are kernel receive timestamps minus send times (CLOCK_REALTIME).
 */
public final class TraceEngine {
    private static final int WINDOW = 1024;
    private static final int MSS = 1460;
    private static final int POLL_MS = 10;
    private static final long MASK32 = 0xffffffffL;
    private final TraceOptions opt;
    private final Cookies cookies = Cookies.random();
    private final int family;
    private final byte[] dst;
    private final long dstHi, dstLo;
    private final int sportBase;
    private final int[] seqs;
    private final TraceProbes probes;
    private byte[] src;
    private long srcHi, srcLo;
    private volatile boolean stop;

    public TraceEngine(TraceOptions options) {
        this.opt = options;
        this.dst = options.target().getAddress();
        this.family = dst.length == 4 ? 4 : 6;
        this.dstHi = Ip.hi(dst);
        this.dstLo = Ip.lo(dst);
        int n = options.probeCount();
        this.sportBase = 32768 + ThreadLocalRandom.current().nextInt(60999 - 32768 - n);
        this.seqs = new int[n];
        this.probes = new TraceProbes(options.maxHops(), options.probesPerHop(), options.timeout().toNanos());
    }

    /** Ends the trace at once: probes still waiting are shown as silent (Ctrl-C). */
    public void requestStop() {
        stop = true;
    }

    /** @return true when the target's TCP stack answered (the port is open or closed) */
    public boolean run(TraceListener listener) throws IOException {
        src = new Routes(opt.netnsPath()).sourceFor(dst);
        srcHi = Ip.hi(src);
        srcLo = Ip.lo(src);
        int n = probes.count();
        try (RawSockets sockets = RawSockets.open(family == 4, family == 6, sportBase, sportBase + n - 1, opt.netnsPath(), true)) {
            listener.begin(opt.info());
            sendAll(sockets);
            ReplyBatch replies = new ReplyBatch(64);
            DecodedReply reply = new DecodedReply();
            boolean reached = false;
            while (true) {
                int got = sockets.receive(replies, POLL_MS);
                for (int r = 0; r < got; r++) {
                    reply.decode(replies.packets(), replies.packetOffset(r), replies.packetLength(r), replies.wireLength(r));
                    handle(reply, replies.timestamp(r));
                }
                if (stop) probes.expireAll();
                else probes.expire(WireClock.realtimeNs());
                for (Hop hop : probes.completedHops()) {
                    listener.hop(hop);
                    reached |= hop.reachedTarget();
                }
                if (probes.done()) return reached; // every probe ends within its timeout, so this always comes
            }
        }
    }


    /**
     * Sends round after round (TTL 1..max, then again), so each router's answers are spread over the burst. One
     * probe per send call: the shim stamps a whole call with one time, and on a fast path the earlier probes of
     * a batch are forwarded and answered while it lasts, which would inflate the later probes' round trips.
     */
    private void sendAll(RawSockets sockets) {
        int n = probes.count(), perHop = opt.probesPerHop(), hops = opt.maxHops();
        ProbeBatch batch = new ProbeBatch(1);
        for (int i = 0; i < n && !stop; i++) {
            int k = (i % hops) * perHop + i / hops; // the (i / hops)-th probe of TTL i % hops + 1
            int sport = sportBase + k;
            seqs[k] = cookies.compute(srcHi, srcLo, dstHi, dstLo, sport, opt.port(), k);
            batch.clear();
            batch.addSyn(src, dst, sport, opt.port(), seqs[k], probes.ttlOf(k), k, WINDOW, MSS);
            sockets.send(batch);
            probes.sent(k, batch.sendTimestamp(0));
        }
    }

    private void handle(DecodedReply r, long receivedNs) {
        if (r.family != family) return;
        int sport;
        long acknowledged;
        Reason reason;
        if (r.kind == DecodedReply.Kind.TCP) {
            if (r.srcPort != opt.port() || !(r.isSynAck() || r.isRst())) return;
            if (!(r.srcHi == dstHi && r.srcLo == dstLo && r.dstHi == srcHi && r.dstLo == srcLo)) return;
            sport = r.dstPort;
            acknowledged = (r.ack - 1) & MASK32;
            reason = r.isSynAck() ? Reason.SYN_ACK : Reason.RESET;
        } else if (r.kind == DecodedReply.Kind.ICMP_TIME_EXCEEDED || r.kind == DecodedReply.Kind.ICMP_UNREACHABLE) {
            if (r.quotedDstPort != opt.port()) return;
            if (!(r.quotedDstHi == dstHi && r.quotedDstLo == dstLo && r.quotedSrcHi == srcHi && r.quotedSrcLo == srcLo)) return;
            sport = r.quotedSrcPort;
            acknowledged = r.quotedSeq;
            reason = IcmpReasons.of(r.family, r.icmpType, r.icmpCode);
            if (reason == null) return;
        } else {
            return;
        }
        int k = sport - sportBase;
        if (k < 0 || k >= seqs.length || acknowledged != (seqs[k] & MASK32)) return; // stray, forged or not ours
        probes.answer(k, Ip.inet(r.family, r.srcHi, r.srcLo), receivedNs, reason);
    }
}
