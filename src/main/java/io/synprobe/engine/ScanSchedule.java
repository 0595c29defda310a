package io.synprobe.engine;

import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.result.Reason;
import io.synprobe.runtime.Outbox;
import io.synprobe.runtime.Schedule;
import io.synprobe.target.Ip;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.util.concurrent.TimeUnit;

/**
 * The scan as a schedule on the runtime: new probes in permutation order, retransmissions of unanswered ones once
 * their host's timeout has passed, the first answer final. Probe p is (host p / ports, port p % ports); attempt a
 * leaves from source port base + a. Final verdicts go to the {@link ScanOutput}, off the probing threads.
 */
final class ScanSchedule implements Schedule {
    private final ScanOptions opt;
    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final long probes;
    private final ProbeStates states;
    private final RttEstimator rtt;
    private final int rttSlots;
    private final int sportBase;
    private final ScanOutput output;
    private final ScanIndex index;
    private final SourceCache sources;
    private final Permutation perm;
    private final OutstandingRing ring;
    private final long[] carried;
    private final LongList pending = new LongList();
    private final byte[] dst4 = new byte[4], dst6 = new byte[16];
    private final long startNanos;
    private final long startRealtimeNs;
    private int carriedNext;
    private boolean exhausted;
    private long sentNanos;
    volatile long retransmits;
    volatile long duplicates;
    private ResumePoint stoppedAt;
    /** With --handshake full (set before the run): the connections the SYN-ACKs open. */
    HandshakeScan handshake;

    ScanSchedule(ScanOptions opt, int sportBase, ScanOutput output, ResumePoint resumeFrom, SourceCache sources,
                 long startNanos, long startRealtimeNs) {
        this.opt = opt;
        this.targets = opt.targets();
        this.ports = opt.ports();
        this.portCount = ports.size();
        this.probes = opt.probeCount();
        this.states = new ProbeStates((int) probes);
        this.rttSlots = (int) Math.min(targets.size(), 1 << 16);
        this.rtt = new RttEstimator(rttSlots, opt.minTimeoutUs(), opt.maxTimeoutUs(), opt.initialTimeoutUs());
        this.sportBase = sportBase;
        this.index = new ScanIndex(targets, ports, sportBase, opt.retries(), states::wasSent);
        this.output = output;
        this.sources = sources;
        this.startNanos = startNanos;
        this.startRealtimeNs = startRealtimeNs;
        this.perm = new Permutation(probes, opt.seed(), opt.shardIndex(), opt.shardCount());
        this.carried = resumeFrom == null ? new long[0] : resumeFrom.pending();
        if (resumeFrom != null) perm.seek(resumeFrom.position());
        // sized for the usual window of outstanding probes, so the ring rarely grows while sending
        this.ring = new OutstandingRing((int) Math.min(probes, 1 << 17));
    }

    ResumePoint stoppedAt() {
        return stoppedAt;
    }

    @Override
    public int batchLimit() {
        // at a set rate a batch holds about 2.5 ms of probes: smooth pacing down to 100 pps, and big enough batches
        // near the machine's limit
        return opt.ratePps() > 0 ? (int) Math.max(1, Math.min(opt.batchSize(), opt.ratePps() / 400)) : opt.batchSize();
    }

    @Override
    public double ratePps() {
        return opt.ratePps();
    }

    @Override
    public int firstLocalPort() {
        return sportBase;
    }

    @Override
    public int lastLocalPort() {
        return sportBase + opt.retries();
    }

    @Override
    public long drainNanos() {
        return TimeUnit.MICROSECONDS.toNanos(Math.min(opt.maxTimeoutUs(), 2_000_000));
    }

    private int slot(long host) {
        return (int) (host % rttSlots);
    }

    private long usSinceStart(long nanos) {
        return (nanos - startNanos) / 1000;
    }

    // ------------------------------------------------------------------------------------------ sender thread

    @Override
    public long fill(Outbox out, long now, long drainedUpTo, boolean stopping) throws Exception {
        if (handshake != null) handshake.tick(now, stopping);
        if (stopping) exhausted = true;
        while (!ring.isEmpty() && !out.isFull()) {
            long probe = ring.headIndex();
            if (states.isFinal(probe)) {
                ring.pop();
                continue;
            }
            long waitedUs = (drainedUpTo - ring.headSentAt()) / 1000;
            if (waitedUs < rtt.timeoutUs(slot(probe / portCount))) break;
            int attempt = ring.headAttempt();
            ring.pop();
            if (stopping) {
                // unanswered when interrupted: not a verdict; the resumed scan probes it again
                if (states.finish(probe) >= 0) pending.add(probe);
            } else if (attempt >= opt.retries()) {
                if (states.finish(probe) >= 0) output.put(probe, ResultQueue.pack(Reason.NO_RESPONSE.ordinal(), -1, -1));
            } else if (add(out, probe, attempt + 1)) {
                retransmits++;
            }
        }
        while (carriedNext < carried.length && !stopping && !out.isFull()) {
            long probe = carried[carriedNext++];
            if (probe >= 0 && probe < probes) add(out, probe, 0);
        }
        while (!exhausted && carriedNext >= carried.length && !out.isFull()) {
            long probe = perm.next();
            if (probe < 0) {
                exhausted = true;
                break;
            }
            add(out, probe, 0);
        }
        if (out.size() > 0) return 0;
        if (exhausted && ring.isEmpty() && (handshake == null || handshake.idle())) return NOTHING_LEFT;
        return ring.isEmpty() ? 1_000_000 : 200_000;
    }

    private boolean add(Outbox out, long probe, int attempt) {
        if (states.isFinal(probe)) return false;
        long host = probe / portCount;
        int port = ports.port((int) (probe % portCount));
        int range = targets.rangeOf(host);
        int family = targets.family(range);
        long hi = targets.hi(range, host), lo = targets.lo(range, host);
        byte[] dst = family == 4 ? dst4 : dst6;
        Ip.write(family, hi, lo, dst);
        byte[] src = sources.sourceFor(family, hi, lo);
        out.add(probe, attempt, src, Ip.hi(src), Ip.lo(src), dst, hi, lo, sportBase + attempt, port, 0, opt.ttl());
        return true;
    }

    @Override
    public void beforeSend(Outbox out, long now) {
        long us = usSinceStart(now);
        for (int i = 0; i < out.size(); i++) states.markSent(out.handle(i), out.attempt(i), us);
        sentNanos = 0;
    }

    @Override
    public void sent(Outbox out, int slot, long realtimeNs) {
        // timeouts run from the end of the send call: no reply can be queued before its probe has left, however
        // long the call took
        if (sentNanos == 0) sentNanos = System.nanoTime();
        long probe = out.handle(slot);
        int attempt = out.attempt(slot);
        states.refineSendTime(probe, attempt, (realtimeNs - startRealtimeNs) / 1000);
        ring.add(probe, sentNanos, attempt);
    }

    @Override
    public void sendFailed(Outbox out, int slot, int errno) {
        long probe = out.handle(slot);
        // refused by our own kernel: a verdict about this host, not the network; no RTT, no retransmission
        if (states.finish(probe) >= 0) output.put(probe, ResultQueue.pack(Reason.SEND_ERROR.ordinal(), -1, errno));
    }

    @Override
    public io.synprobe.runtime.FollowUps followUps() {
        return handshake == null ? null : handshake.followUps();
    }

    @Override
    public void end(boolean stopped) throws Exception {
        if (handshake != null) handshake.abandon();
        if (stopped) {
            while (!ring.isEmpty()) {
                long probe = ring.headIndex();
                ring.pop();
                if (states.finish(probe) >= 0) pending.add(probe);
            }
            for (int i = carriedNext; i < carried.length; i++) {
                if (carried[i] >= 0 && carried[i] < probes && states.finish(carried[i]) >= 0) pending.add(carried[i]);
            }
            stoppedAt = new ResumePoint(perm.position(), pending.toArray());
        }
        output.finishAndJoin();
    }

    // ----------------------------------------------------------------------------------------- receiver thread

    @Override
    public Classifier.ProbeIndex index() {
        return index;
    }

    @Override
    public void answered(Classifier match, DecodedReply r, long recvRealtimeNs) throws Exception {
        if (handshake != null && handshake.absorbs(match, r)) return;
        long probe = match.probe;
        int before = states.finish(probe);
        if (before < 0) { // a duplicate, or it already timed out: the first answer stands
            duplicates++;
            return;
        }
        long rttUs = -1;
        if (ProbeStates.attempt(before) == match.localPort - sportBase) {
            long recvUs = (recvRealtimeNs - startRealtimeNs) / 1000;
            rttUs = ProbeStates.elapsedUs(ProbeStates.timeUs(before), recvUs);
            rtt.update(slot(probe / portCount), rttUs);
        }
        long packed = ResultQueue.pack(match.reason.ordinal(), r.ttl, rttUs);
        if (handshake == null || !handshake.opens(probe, match, r, packed)) output.put(probe, packed);
    }
}
