package io.synprobe.ping;

import io.synprobe.handshake.HandshakeSessions;
import io.synprobe.nativeio.Errno;
import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.result.Handshake;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingStatistics;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.runtime.FollowUps;
import io.synprobe.runtime.Outbox;
import io.synprobe.runtime.Schedule;
import io.synprobe.target.Ip;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ping as a schedule on the runtime. Probe k to a target leaves from its own source port (base + k mod SLOTS) with
 * k in its cookie, so a reply names exactly the probe it answers: a SYN-ACK the target retransmits because our
 * kernel's RST was lost is a DUP of its probe, a reply after the timeout is LATE, and neither is ever an RTT
 * sample of a later probe. A probe times out only once the receiver has drained everything that arrived before
 * its deadline. Sender and receiver share the per-target state under this object's lock (a ping is slow).
 */
final class PingSchedule implements Schedule, Classifier.ProbeIndex {
    static final int SLOTS = 1024;
    private static final int PENDING = 0, ANSWERED = 1, TIMED_OUT = 2, UNSENT = 3;
    private static final long K_MASK = (1L << 40) - 1;

    private final Target[] targets;
    private final PingListener listener;
    private final long count;
    private final long drainNs;
    private final int ttl;
    private final int sportBase;
    private final long startMono;
    private final long startRealtime;
    /** With --handshake full: the connections in flight, and the REPLY events waiting for theirs to end. */
    private final HandshakeSessions sessions;
    private final Map<Long, PingEvent> awaitingClose = new HashMap<>();
    private boolean closedAll;

    static final class Target {
        final InetAddress ip;
        final int port;
        final long intervalNs;
        final long timeoutNs;
        final int family;
        final long hi, lo;
        final byte[] dst;
        final byte[] src;
        final long srcHi, srcLo;
        final PingStatistics stats = new PingStatistics();
        final long[] seqOfSlot = new long[SLOTS];
        final long[] sentAt = new long[SLOTS];
        final byte[] status = new byte[SLOTS];
        long queued;        // probes handed to the link (sent or refused)
        long oldestPending; // every probe below it is resolved
        long nextSendNanos;
        long late, dup, sendErrors;
        boolean answered;

        Target(PingTarget t, byte[] src) {
            this.ip = t.ip();
            this.port = t.port();
            this.intervalNs = t.interval().toNanos();
            this.timeoutNs = t.timeout().toNanos();
            this.dst = t.ip().getAddress();
            this.family = dst.length == 4 ? 4 : 6;
            this.hi = Ip.hi(dst);
            this.lo = Ip.lo(dst);
            this.src = src;
            this.srcHi = Ip.hi(src);
            this.srcLo = Ip.lo(src);
            java.util.Arrays.fill(seqOfSlot, -1);
        }
    }

    PingSchedule(List<Target> targets, PingListener listener, long count, int ttl, int sportBase, long startMono,
                 long startRealtime) {
        this(targets, listener, count, ttl, sportBase, startMono, startRealtime, null);
    }

    /** @param handshake the full-handshake module, or null for SYN pings */
    PingSchedule(List<Target> targets, PingListener listener, long count, int ttl, int sportBase, long startMono,
                 long startRealtime, HandshakeModule handshake) {
        this.targets = targets.toArray(new Target[0]);
        this.listener = listener;
        this.count = count;
        long longest = 0;
        for (Target t : this.targets) longest = Math.max(longest, t.timeoutNs);
        this.drainNs = Math.min(longest, 1_000_000_000L);
        this.ttl = ttl;
        this.sportBase = sportBase;
        this.startMono = startMono;
        this.startRealtime = startRealtime;
        this.sessions = handshake == null ? null : new HandshakeSessions(handshake, longest, this::connectionEnded);
        for (int i = 0; i < this.targets.length; i++) {
            // spread the targets over the interval instead of sending them all at once
            this.targets[i].nextSendNanos = startMono + this.targets[i].intervalNs * i / this.targets.length;
        }
    }

    boolean everyoneAnswered() {
        for (Target t : targets) if (!t.answered) return false;
        return true;
    }

    @Override
    public int batchLimit() {
        return Math.min(targets.length, 1024);
    }

    @Override
    public int firstLocalPort() {
        return sportBase;
    }

    @Override
    public int lastLocalPort() {
        return sportBase + SLOTS - 1;
    }

    @Override
    public long drainNanos() {
        return sessions == null ? drainNs : 2 * drainNs + 100_000_000L;
    }

    @Override
    public FollowUps followUps() {
        return sessions == null ? null : sessions.followUps();
    }

    /** With --handshake full, every event says whether a connection was made: this one made none. */
    private PingEvent unconnected(PingEvent e) {
        return sessions == null ? e : e.withHandshake(Handshake.NOT_ESTABLISHED);
    }

    private synchronized void connectionEnded(long probe, Handshake outcome) throws Exception {
        PingEvent e = awaitingClose.remove(probe);
        if (e != null) listener.event(e.withHandshake(outcome));
    }

    private long realtimeOf(long nanos) {
        return startRealtime + (nanos - startMono);
    }

    private boolean wantsMore(Target t, boolean stopping) {
        return !stopping && (count == 0 || t.queued < count);
    }

    @Override
    public synchronized long fill(Outbox out, long now, long drainedUpTo, boolean stopping) throws Exception {
        expire(realtimeOf(drainedUpTo));
        if (sessions != null) {
            if (stopping && !closedAll) {
                closedAll = true;
                sessions.closeAll(now);
            } else {
                sessions.expire(now);
            }
        }
        long wait = Long.MAX_VALUE;
        boolean busy = false;
        for (int i = 0; i < targets.length; i++) {
            Target t = targets[i];
            if (wantsMore(t, stopping) && now >= t.nextSendNanos && !out.isFull()) {
                long k = t.queued++;
                int slot = (int) (k % SLOTS);
                t.seqOfSlot[slot] = k;
                t.status[slot] = PENDING;
                t.sentAt[slot] = realtimeOf(now);
                out.add(((long) i << 40) | k, 0, t.src, t.srcHi, t.srcLo, t.dst, t.hi, t.lo, sportBase + slot, t.port, k, ttl);
                t.nextSendNanos += t.intervalNs;
                if (t.nextSendNanos < now) t.nextSendNanos = now + t.intervalNs; // do not burst to catch up
            }
            if (wantsMore(t, stopping)) wait = Math.min(wait, t.nextSendNanos - now);
            busy |= wantsMore(t, stopping) || t.oldestPending < t.queued;
        }
        if (out.size() > 0) return 0;
        if (sessions != null && !sessions.idle()) busy = true;
        if (!busy) return NOTHING_LEFT;
        return wait == Long.MAX_VALUE ? 1_000_000 : Math.max(0, wait);
    }

    @Override
    public synchronized void beforeSend(Outbox out, long now) {
        long real = realtimeOf(now);
        for (int i = 0; i < out.size(); i++) {
            Target t = targets[(int) (out.handle(i) >>> 40)];
            t.sentAt[(int) ((out.handle(i) & K_MASK) % SLOTS)] = real;
        }
    }

    @Override
    public synchronized void sent(Outbox out, int i, long realtimeNs) {
        Target t = targets[(int) (out.handle(i) >>> 40)];
        long k = out.handle(i) & K_MASK;
        int slot = (int) (k % SLOTS);
        // the kernel's transmit time, unless a reply was already taken against the provisional one
        if (t.status[slot] == PENDING) t.sentAt[slot] = realtimeNs;
        t.stats.recordSent();
    }

    @Override
    public synchronized void sendFailed(Outbox out, int i, int errno) throws Exception {
        Target t = targets[(int) (out.handle(i) >>> 40)];
        long k = out.handle(i) & K_MASK;
        t.status[(int) (k % SLOTS)] = UNSENT;
        t.sendErrors++;
        listener.event(unconnected(new PingEvent(PingEvent.Type.SEND_ERROR, t.ip, t.port, k, PortState.ERROR,
                Reason.SEND_ERROR, Errno.name(errno), -1, -1, -1)));
    }

    private void expire(long nowReal) throws Exception {
        for (Target t : targets) {
            while (t.oldestPending < t.queued) {
                int slot = (int) (t.oldestPending % SLOTS);
                if (t.status[slot] == PENDING) {
                    if (nowReal - t.sentAt[slot] < t.timeoutNs) break;
                    t.status[slot] = TIMED_OUT;
                    listener.event(unconnected(new PingEvent(PingEvent.Type.TIMEOUT, t.ip, t.port, t.oldestPending,
                            PortState.FILTERED, Reason.NO_RESPONSE, null, -1, -1, -1)));
                }
                t.oldestPending++;
            }
        }
    }

    @Override
    public Classifier.ProbeIndex index() {
        return this;
    }

    @Override
    public long probeOf(int family, long remoteHi, long remoteLo, int remotePort, int localPort) {
        int slot = localPort - sportBase;
        if (slot < 0 || slot >= SLOTS) return -1;
        for (int i = 0; i < targets.length; i++) {
            Target t = targets[i];
            if (t.family == family && t.hi == remoteHi && t.lo == remoteLo && t.port == remotePort) {
                long k;
                synchronized (this) {
                    k = t.seqOfSlot[slot];
                }
                return k < 0 ? -1 : ((long) i << 40) | k;
            }
        }
        return -1;
    }

    @Override
    public long tagOf(long probe, int localPort) {
        return probe & K_MASK;
    }

    @Override
    public synchronized void answered(Classifier match, DecodedReply r, long recvNs) throws Exception {
        if (sessions != null && sessions.absorbs(match, r)) return;
        Target t = targets[(int) (match.probe >>> 40)];
        long k = match.probe & K_MASK;
        int slot = (int) (k % SLOTS);
        if (t.seqOfSlot[slot] != k || t.status[slot] == UNSENT) return; // the slot was reused meanwhile
        boolean icmp = r.kind != DecodedReply.Kind.TCP;
        Reason reason = match.reason;
        long rttUs = Math.max(0, (recvNs - t.sentAt[slot]) / 1000);
        String flags = icmp ? reason.label() : r.isSynAck() ? "SA" : "RA";
        PingEvent.Type type;
        if (t.status[slot] == ANSWERED) {
            type = PingEvent.Type.DUP;
            t.dup++;
        } else if (t.status[slot] == TIMED_OUT || recvNs - t.sentAt[slot] >= t.timeoutNs) {
            type = PingEvent.Type.LATE;
            t.late++;
            t.status[slot] = ANSWERED;
        } else {
            type = PingEvent.Type.REPLY;
            t.status[slot] = ANSWERED;
            if (!icmp) {
                t.stats.recordReceived(rttUs);
                t.answered = true;
            }
        }
        PingEvent e = new PingEvent(type, t.ip, t.port, k, reason.state(), reason, flags, r.ttl, icmp ? -1 : r.window, rttUs);
        if (sessions != null) {
            if (type == PingEvent.Type.REPLY && reason == Reason.SYN_ACK) {
                // reported once the connection has ended, with what came of it
                awaitingClose.put(match.probe, e);
                sessions.open(match.probe, match, r, t.src.clone(), t.dst.clone(), ttl, (int) (r.ack - 1));
                return;
            }
            if (type == PingEvent.Type.LATE && reason == Reason.SYN_ACK) sessions.resetHalfOpen(match, r);
        }
        e = unconnected(e);
        listener.event(e);
    }

    @Override
    public synchronized void end(boolean stopped) throws Exception {
        if (sessions != null) sessions.abandon();
        for (Target t : targets) listener.summary(PingSummary.of(t.ip, t.port, t.stats, t.late, t.dup, t.sendErrors));
    }
}
