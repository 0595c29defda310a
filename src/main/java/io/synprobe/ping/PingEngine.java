package io.synprobe.ping;

import io.synprobe.result.PingStatistics;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingEvent;
import io.synprobe.engine.Cookies;
import io.synprobe.nativeio.WireClock;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.nativeio.Routes;
import io.synprobe.packet.DecodedReply;
import io.synprobe.packet.IcmpReasons;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.target.Ip;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP SYN ping. Probe k to a target leaves from its own source port (base + k mod SLOTS) with its own cookie
 * (the tag is k), so a reply names exactly the probe it answers: a SYN-ACK the target retransmits because our
 * kernel's RST was lost is a DUP of its probe, a reply after the timeout is LATE, and neither is ever taken as
 * an RTT sample of a later probe. RTTs come from kernel receive timestamps against send times taken right
 * before the send call, both CLOCK_REALTIME.
 */
public final class PingEngine {
    /** Source ports per run; a port is reused only after SLOTS probes to the same target. */
    static final int SLOTS = 1024;
    private static final int WINDOW = 1024;
    private static final int MSS = 1460;

    private final PingOptions opt;
    private final Cookies cookies = Cookies.random();
    private final int sportBase = 32768 + ThreadLocalRandom.current().nextInt(60999 - 32768 - SLOTS);
    private final List<Target> targets = new ArrayList<>();
    private volatile boolean stop;

    public PingEngine(PingOptions options) {
        this.opt = options;
    }

    /** Ends the run after the probes in flight have had their chance (Ctrl-C). */
    public void requestStop() {
        stop = true;
    }

    private final class Target {
        final InetAddress ip;
        final int family;
        final long hi, lo;
        final byte[] dst;
        byte[] src;
        long srcHi, srcLo;
        final PingStatistics stats = new PingStatistics();
        final long[] seqOfSlot = new long[SLOTS];
        final long[] sentAt = new long[SLOTS];
        final byte[] status = new byte[SLOTS]; // 0 pending, 1 answered, 2 timed out
        long sent;
        long oldestPending;
        long nextSendNanos;
        long late, dup;
        boolean answered;

        Target(InetAddress ip) {
            this.ip = ip;
            this.dst = ip.getAddress();
            this.family = dst.length == 4 ? 4 : 6;
            this.hi = Ip.hi(dst);
            this.lo = Ip.lo(dst);
            java.util.Arrays.fill(seqOfSlot, -1);
        }
    }

    /** @return true when every target answered at least once */
    public boolean run(PingListener listener) throws IOException {
        Routes routes = new Routes(opt.netnsPath());
        boolean v4 = false, v6 = false;
        for (InetAddress a : opt.targets()) {
            Target t = new Target(a);
            t.src = routes.sourceFor(t.dst);
            t.srcHi = Ip.hi(t.src);
            t.srcLo = Ip.lo(t.src);
            targets.add(t);
            v4 |= t.family == 4;
            v6 |= t.family == 6;
        }
        long intervalNs = opt.interval().toNanos();
        long timeoutNs = opt.timeout().toNanos();
        try (RawSockets sockets = RawSockets.open(v4, v6, sportBase, sportBase + SLOTS - 1, opt.netnsPath(), true)) {
            io.synprobe.nativeio.SudoDrop.afterSocketsOpen(opt.netnsPath());
            ProbeBatch batch = new ProbeBatch(Math.min(targets.size(), 1024));
            Target[] inBatch = new Target[batch.capacity()];
            ReplyBatch replies = new ReplyBatch(64);
            DecodedReply reply = new DecodedReply();
            long start = System.nanoTime();
            // the clocks at one instant: send deadlines run on nanoTime, RTTs on CLOCK_REALTIME
            long realtimeAtStart = WireClock.realtimeNs();
            long startMono = System.nanoTime();
            for (int i = 0; i < targets.size(); i++) {
                // spread the targets over the interval instead of sending them all at once
                targets.get(i).nextSendNanos = start + intervalNs * i / targets.size();
            }
            long stopAt = Long.MAX_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (stop && stopAt == Long.MAX_VALUE) stopAt = now + Math.min(timeoutNs, 1_000_000_000L);
                boolean allDone = true;
                batch.clear();
                for (Target t : targets) {
                    boolean more = !stop && (opt.count() == 0 || t.sent < opt.count());
                    if (more && now >= t.nextSendNanos) {
                        long k = t.sent;
                        int slot = (int) (k % SLOTS);
                        int sport = sportBase + slot;
                        int seq = cookies.compute(t.srcHi, t.srcLo, t.hi, t.lo, sport, opt.port(), k);
                        inBatch[batch.addSyn(t.src, t.dst, sport, opt.port(), seq, opt.ttl(), (int) k, WINDOW, MSS)] = t;
                        t.nextSendNanos += intervalNs;
                        if (t.nextSendNanos < now) t.nextSendNanos = now + intervalNs; // do not burst to catch up
                    }
                    if (more || t.oldestPending < t.sent) allDone = false;
                }
                if (batch.size() > 0) {
                    sockets.send(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        Target t = inBatch[i];
                        long k = t.sent++;
                        int slot = (int) (k % SLOTS);
                        long ts = batch.sendTimestamp(i);
                        t.seqOfSlot[slot] = k;
                        t.sentAt[slot] = ts > 0 ? ts : realtimeAtStart + (System.nanoTime() - startMono);
                        t.status[slot] = 0;
                        t.stats.recordSent();
                    }
                }
                now = System.nanoTime();
                long nowReal = realtimeAtStart + (now - startMono);
                expire(listener, nowReal, timeoutNs);
                if ((allDone && batch.size() == 0) || now > stopAt) break;
                long wait = Long.MAX_VALUE;
                for (Target t : targets) {
                    if (!stop && (opt.count() == 0 || t.sent < opt.count())) wait = Math.min(wait, t.nextSendNanos - now);
                }
                int waitMs = (int) Math.max(0, Math.min(wait == Long.MAX_VALUE ? 10 : (wait + 999_999) / 1_000_000, 10));
                int n = sockets.receive(replies, wait < 1_000_000 ? 0 : waitMs);
                for (int r = 0; r < n; r++) {
                    reply.decode(replies.packets(), replies.packetOffset(r), replies.packetLength(r), replies.wireLength(r));
                    handle(listener, reply, replies.timestamp(r), timeoutNs);
                }
            }
            boolean everyoneAnswered = true;
            for (Target t : targets) {
                listener.summary(PingSummary.of(t.ip, opt.port(), t.stats, t.late, t.dup));
                everyoneAnswered &= t.answered;
            }
            return everyoneAnswered;
        }
    }

    private void expire(PingListener listener, long nowReal, long timeoutNs) throws IOException {
        for (Target t : targets) {
            while (t.oldestPending < t.sent) {
                int slot = (int) (t.oldestPending % SLOTS);
                if (t.status[slot] == 0) {
                    if (nowReal - t.sentAt[slot] < timeoutNs) break;
                    t.status[slot] = 2;
                    listener.event(new PingEvent(PingEvent.Type.TIMEOUT, t.ip, opt.port(), t.oldestPending, PortState.FILTERED,
                            Reason.NO_RESPONSE, null, -1, -1, -1));
                }
                t.oldestPending++;
            }
        }
    }

    private void handle(PingListener listener, DecodedReply r, long recvNs, long timeoutNs) throws IOException {
        Target t;
        int sport;
        Reason reason;
        long ack;
        boolean icmp = r.kind == DecodedReply.Kind.ICMP_UNREACHABLE || r.kind == DecodedReply.Kind.ICMP_TIME_EXCEEDED;
        if (r.kind == DecodedReply.Kind.TCP) {
            if (r.srcPort != opt.port() || !(r.isSynAck() || r.isRst())) return;
            t = find(r.family, r.srcHi, r.srcLo, r.dstHi, r.dstLo);
            sport = r.dstPort;
            reason = r.isSynAck() ? Reason.SYN_ACK : Reason.RESET;
            ack = (r.ack - 1) & 0xffffffffL;
        } else if (icmp) {
            if (r.quotedDstPort != opt.port()) return;
            t = find(r.family, r.quotedDstHi, r.quotedDstLo, r.quotedSrcHi, r.quotedSrcLo);
            sport = r.quotedSrcPort;
            reason = IcmpReasons.of(r.family, r.icmpType, r.icmpCode);
            ack = r.quotedSeq;
        } else {
            return;
        }
        int slot = sport - sportBase;
        if (t == null || reason == null || slot < 0 || slot >= SLOTS) return;
        long k = t.seqOfSlot[slot];
        if (k < 0) return;
        int cookie = cookies.compute(t.srcHi, t.srcLo, t.hi, t.lo, sport, opt.port(), k);
        if (ack != (cookie & 0xffffffffL)) return; // forged, stray, or for a probe whose slot was reused
        long rttUs = Math.max(0, (recvNs - t.sentAt[slot]) / 1000);
        String flags = icmp ? reason.label() : r.isSynAck() ? "SA" : "RA";
        PingEvent.Type type;
        if (t.status[slot] == 1) {
            type = PingEvent.Type.DUP;
            t.dup++;
        } else if (t.status[slot] == 2 || recvNs - t.sentAt[slot] >= timeoutNs) {
            type = PingEvent.Type.LATE;
            t.late++;
            t.status[slot] = 1;
        } else {
            type = PingEvent.Type.REPLY;
            t.status[slot] = 1;
            if (!icmp) {
                t.stats.recordReceived(rttUs);
                t.answered = true;
            }
        }
        listener.event(new PingEvent(type, t.ip, opt.port(), k, reason.state(), reason, flags, r.ttl,
                icmp ? -1 : r.window, rttUs));
    }

    private Target find(int family, long hi, long lo, long srcHi, long srcLo) {
        for (Target t : targets) {
            if (t.family == family && t.hi == hi && t.lo == lo && t.srcHi == srcHi && t.srcLo == srcLo) return t;
        }
        return null;
    }
}
