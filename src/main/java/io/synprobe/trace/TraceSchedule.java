package io.synprobe.trace;

import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.result.Hop;
import io.synprobe.result.TraceListener;
import io.synprobe.runtime.Outbox;
import io.synprobe.runtime.Schedule;
import io.synprobe.target.Ip;

/**
 * Traceroute as a schedule on the runtime: every probe (TTL 1..max, probesPerHop each) leaves at once, round after
 * round, each from its own source port (base + k) with k in its cookie, so an ICMP time exceeded or unreachable
 * must quote exactly that probe, and the target's SYN-ACK or RST must acknowledge it. Hops are handed to the
 * listener in TTL order as they complete; the trace ends at the lowest TTL with a final answer.
 */
final class TraceSchedule implements Schedule, Classifier.ProbeIndex {
    private final TraceOptions opt;
    private final TraceProbes probes;
    private final TraceListener listener;
    private final int sportBase;
    private final byte[] src, dst;
    private final long srcHi, srcLo, dstHi, dstLo;
    private final long startMono, startRealtime;
    private int next;
    boolean reached;

    TraceSchedule(TraceOptions opt, TraceListener listener, int sportBase, byte[] src, long startMono, long startRealtime) {
        this.opt = opt;
        this.probes = new TraceProbes(opt.maxHops(), opt.probesPerHop(), opt.timeout().toNanos());
        this.listener = listener;
        this.sportBase = sportBase;
        this.src = src;
        this.dst = opt.target().getAddress();
        this.srcHi = Ip.hi(src);
        this.srcLo = Ip.lo(src);
        this.dstHi = Ip.hi(dst);
        this.dstLo = Ip.lo(dst);
        this.startMono = startMono;
        this.startRealtime = startRealtime;
    }

    /**
     * One probe per send call: the shim stamps a call with one time, and on a fast path the earlier probes of a
     * batch are forwarded and answered while it lasts, which would inflate the later probes' round trips.
     */
    @Override
    public int batchLimit() {
        return 1;
    }

    @Override
    public int firstLocalPort() {
        return sportBase;
    }

    @Override
    public int lastLocalPort() {
        return sportBase + probes.count() - 1;
    }

    @Override
    public long drainNanos() {
        return 0;
    }

    @Override
    public synchronized long fill(Outbox out, long now, long drainedUpTo, boolean stopping) throws Exception {
        if (stopping) probes.expireAll();
        else probes.expire(startRealtime + (drainedUpTo - startMono));
        report();
        if (probes.done()) return NOTHING_LEFT;
        int n = probes.count(), hops = opt.maxHops();
        if (!stopping && next < n) {
            int i = next++;
            int k = (i % hops) * opt.probesPerHop() + i / hops; // the (i / hops)-th probe of TTL i % hops + 1
            out.add(k, 0, src, srcHi, srcLo, dst, dstHi, dstLo, sportBase + k, opt.port(), k, probes.ttlOf(k));
            return 0;
        }
        return 1_000_000;
    }

    @Override
    public synchronized void beforeSend(Outbox out, long now) {
        // provisional: a reply may be taken before the send call returns with the kernel's transmit time
        probes.sent((int) out.handle(0), startRealtime + (now - startMono));
    }

    @Override
    public synchronized void sent(Outbox out, int slot, long realtimeNs) {
        probes.sent((int) out.handle(slot), realtimeNs);
    }

    @Override
    public synchronized void sendFailed(Outbox out, int slot, int errno) {
        probes.sent((int) out.handle(slot), -errno);
    }

    @Override
    public Classifier.ProbeIndex index() {
        return this;
    }

    @Override
    public long probeOf(int family, long remoteHi, long remoteLo, int remotePort, int localPort) {
        int k = localPort - sportBase;
        if (remoteHi != dstHi || remoteLo != dstLo || remotePort != opt.port() || family != (dst.length == 4 ? 4 : 6)) return -1;
        return k < 0 || k >= probes.count() ? -1 : k;
    }

    @Override
    public long tagOf(long probe, int localPort) {
        return probe;
    }

    @Override
    public synchronized void answered(Classifier match, DecodedReply r, long realtimeNs) throws Exception {
        probes.answer((int) match.probe, Ip.inet(r.family, r.srcHi, r.srcLo), realtimeNs, match.reason);
        report();
    }

    private void report() throws Exception {
        for (Hop hop : probes.completedHops()) {
            listener.hop(hop);
            reached |= hop.reachedTarget();
        }
    }

    @Override
    public synchronized void end(boolean stopped) throws Exception {
        probes.expireAll();
        report();
    }
}
