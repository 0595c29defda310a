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
 * leaves from source port base + a. Final verdicts go to the {@link ScanOutput}, off the probing threads. The
 * only state is the {@link InFlight} table of probes in flight: nothing per probe of the scan, so a run of 2^32
 * probes, or a shard of one, holds what its rate and timeouts keep in flight.
 */
final class ScanSchedule implements Schedule {
    private final ScanOptions opt;
    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final long probes;
    private final InFlight inFlight;
    private final RttEstimator rtt;
    private final int rttSlots;
    private final int sportBase;
    private final ScanOutput output;
    private final ScanIndex index;
    private final SourceCache sources;
    private final Permutation perm;
    private final long[] carried;
    private final LongList pending = new LongList();
    private final LongList giveUps = new LongList();
    private final LongList refused = new LongList();
    private final byte[] dst4 = new byte[4], dst6 = new byte[16];
    private final long startNanos;
    private final long startRealtimeNs;
    // the batch between beforeSend and its last sent/sendFailed call: its first ring slot and the kernel's verdicts
    private final long[] stamps;
    private int batchSlot;
    private int batchDone;
    private int carriedNext;
    private boolean exhausted;
    private long sentNanos;
    volatile long retransmits;
    volatile long duplicates;
    private ResumePoint stoppedAt;
    /** With --handshake full (set before the run): the connections the SYN-ACKs open. */
    HandshakeScan handshake;

    /** Ring entries handled per hold of the in-flight monitor, so the receiver never waits long for it. */
    private static final int ENTRIES_PER_HOLD = 2048;

    ScanSchedule(ScanOptions opt, int sportBase, ScanOutput output, ResumePoint resumeFrom, SourceCache sources,
                 long startNanos, long startRealtimeNs, MemoryBudget.Plan plan) {
        this.opt = opt;
        this.targets = opt.targets();
        this.ports = opt.ports();
        this.portCount = ports.size();
        this.probes = opt.probeCount();
        this.inFlight = new InFlight(plan.inFlightCapacity());
        this.rttSlots = (int) Math.min(targets.size(), 1 << 16);
        this.rtt = new RttEstimator(rttSlots, opt.minTimeoutUs(), opt.maxTimeoutUs(), opt.initialTimeoutUs());
        this.sportBase = sportBase;
        this.index = new ScanIndex(targets, ports, sportBase, opt.retries(), this::inFlightLive);
        this.output = output;
        this.sources = sources;
        this.startNanos = startNanos;
        this.startRealtimeNs = startRealtimeNs;
        this.perm = new Permutation(probes, opt.seed(), opt.shardIndex(), opt.shardCount());
        this.carried = resumeFrom == null ? new long[0] : resumeFrom.pending();
        if (resumeFrom != null) perm.seek(resumeFrom.position());
        this.stamps = new long[Math.max(1, batchLimit())];
    }

    /** Entries the in-flight table was allocated for (for tests of the state's size). */
    int inFlightCapacity() {
        synchronized (inFlight) {
            return inFlight.capacity();
        }
    }

    private boolean inFlightLive(long probe) {
        synchronized (inFlight) {
            return inFlight.isLive(probe);
        }
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

    // ------------------------------------------------------------------------------------------ sender thread

    /** Milliseconds since the start, rounded down (a deadline judged by it is never early). */
    private int msFloor(long nanos) {
        return (int) Math.floorDiv(nanos - startNanos, 1_000_000L);
    }

    private int msCeil(long nanos) {
        return (int) -Math.floorDiv(startNanos - nanos, 1_000_000L);
    }

    @Override
    public long fill(Outbox out, long now, long drainedUpTo, boolean stopping) throws Exception {
        if (handshake != null) handshake.tick(now, stopping);
        if (stopping) exhausted = true;
        int drainedMs = msFloor(drainedUpTo);
        int room = 0;
        boolean more = true;
        while (more) {
            more = false;
            synchronized (inFlight) {
                for (int handled = 0; !inFlight.isEmpty() && !out.isFull(); handled++) {
                    if (handled == ENTRIES_PER_HOLD) {
                        more = true;
                        break;
                    }
                    int slot = inFlight.headSlot();
                    long k = inFlight.key(slot);
                    long probe = InFlight.probe(k);
                    boolean owned = inFlight.owns(slot);
                    if (!InFlight.live(k) || !owned) { // answered, refused, or superseded by a second insert
                        if (owned) inFlight.popAndForget();
                        else inFlight.popKeepIndex();
                        continue;
                    }
                    long waitedUs = (drainedMs - inFlight.baseMs(slot)) * 1000L;
                    if (waitedUs < rtt.timeoutUs(slot(probe / portCount))) break;
                    int attempt = InFlight.attempt(k);
                    if (stopping) {
                        // unanswered when interrupted: not a verdict; the resumed scan probes it again
                        inFlight.finishSlot(slot);
                        inFlight.popAndForget();
                        pending.add(probe);
                    } else if (attempt >= opt.retries()) {
                        inFlight.finishSlot(slot);
                        inFlight.popAndForget();
                        giveUps.add(probe);
                    } else {
                        // the index keeps pointing at this entry until beforeSend inserts the next attempt
                        inFlight.popKeepIndex();
                        add(out, probe, attempt + 1);
                        retransmits++;
                    }
                }
                room = inFlight.room(); // the retransmissions in the outbox are counted: their entries were popped
            }
            // verdicts go to the output outside the monitor: the output queue may make us wait
            for (int i = 0; i < giveUps.size(); i++) {
                output.put(giveUps.get(i), ResultQueue.pack(Reason.NO_RESPONSE.ordinal(), -1, -1));
            }
            giveUps.clear();
        }
        while (carriedNext < carried.length && !stopping && !out.isFull() && out.size() < room) {
            long probe = carried[carriedNext++];
            if (probe >= 0 && probe < probes) add(out, probe, 0);
        }
        while (!exhausted && carriedNext >= carried.length && !out.isFull() && out.size() < room) {
            long probe = perm.next();
            if (probe < 0) {
                exhausted = true;
                break;
            }
            add(out, probe, 0);
        }
        if (out.size() > 0) return 0;
        boolean empty;
        synchronized (inFlight) {
            empty = inFlight.isEmpty();
        }
        if (exhausted && empty && (handshake == null || handshake.idle())) return NOTHING_LEFT;
        return empty ? 1_000_000 : 200_000;
    }

    private void add(Outbox out, long probe, int attempt) {
        long host = probe / portCount;
        int port = ports.port((int) (probe % portCount));
        int range = targets.rangeOf(host);
        int family = targets.family(range);
        long hi = targets.hi(range, host), lo = targets.lo(range, host);
        byte[] dst = family == 4 ? dst4 : dst6;
        Ip.write(family, hi, lo, dst);
        byte[] src = sources.sourceFor(family, hi, lo);
        out.add(probe, attempt, src, Ip.hi(src), Ip.lo(src), dst, hi, lo, sportBase + attempt, port, 0, opt.ttl());
    }

    @Override
    public void beforeSend(Outbox out, long now) {
        // in the table before the batch leaves: a reply may be matched before the send call returns
        int us = (int) ((now - startNanos) / 1000);
        int ms = msCeil(now);
        synchronized (inFlight) {
            batchSlot = inFlight.tailSlot();
            for (int i = 0; i < out.size(); i++) inFlight.insert(out.handle(i), out.attempt(i), us, ms);
        }
        batchDone = 0;
        sentNanos = 0;
    }

    @Override
    public void sent(Outbox out, int slot, long realtimeNs) {
        // timeouts run from the end of the send call: no reply can be queued before its probe has left, however
        // long the call took
        if (sentNanos == 0) sentNanos = System.nanoTime();
        stamps[slot] = realtimeNs;
        if (++batchDone == out.size()) batchLeft(out);
    }

    @Override
    public void sendFailed(Outbox out, int slot, int errno) {
        stamps[slot] = -errno - 1L;
        if (++batchDone == out.size()) batchLeft(out);
    }

    /** The whole batch is out (or refused): kernel send times and timeout bases in, refused probes decided. */
    private void batchLeft(Outbox out) {
        if (sentNanos == 0) sentNanos = System.nanoTime();
        int ms = msCeil(sentNanos);
        synchronized (inFlight) {
            int mask = inFlight.capacity() - 1;
            for (int i = 0; i < out.size(); i++) {
                int s = (batchSlot + i) & mask;
                long ts = stamps[i];
                if (ts >= 0) {
                    inFlight.setTimes(s, (int) ((ts - startRealtimeNs) / 1000), ms);
                } else {
                    inFlight.setTimeoutBase(s, ms);
                    // refused by our own kernel: a verdict about this host, not the network; no RTT, no retransmission
                    if (inFlight.finishSlot(s)) {
                        refused.add(out.handle(i));
                        refused.add(-ts - 1);
                    }
                }
            }
        }
        for (int i = 0; i < refused.size(); i += 2) {
            output.put(refused.get(i), ResultQueue.pack(Reason.SEND_ERROR.ordinal(), -1, refused.get(i + 1)));
        }
        refused.clear();
    }

    @Override
    public io.synprobe.runtime.FollowUps followUps() {
        return handshake == null ? null : handshake.followUps();
    }

    @Override
    public void end(boolean stopped) throws Exception {
        if (handshake != null) handshake.abandon();
        if (stopped) {
            synchronized (inFlight) {
                while (!inFlight.isEmpty()) {
                    int slot = inFlight.headSlot();
                    boolean owned = inFlight.owns(slot);
                    if (owned && inFlight.finishSlot(slot)) pending.add(InFlight.probe(inFlight.key(slot)));
                    if (owned) inFlight.popAndForget();
                    else inFlight.popKeepIndex();
                }
            }
            for (int i = carriedNext; i < carried.length; i++) {
                if (carried[i] >= 0 && carried[i] < probes) pending.add(carried[i]);
            }
        }
        output.finishAndJoin();
        if (stopped) {
            for (long p : output.unreported()) pending.add(p);
            stoppedAt = new ResumePoint(perm.position(), pending.toArray());
        }
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
        long before;
        synchronized (inFlight) {
            before = inFlight.answer(probe);
        }
        if (before < 0) { // a duplicate, or it already timed out: the first answer stands
            duplicates++;
            return;
        }
        long rttUs = -1;
        if ((int) (before >>> 32) == match.localPort - sportBase) {
            int recvUs = (int) ((recvRealtimeNs - startRealtimeNs) / 1000);
            // send and receive times are microseconds since the start modulo 2^32: the difference is exact for
            // any reply less than 35 minutes after its probe
            rttUs = Math.max(0, recvUs - (int) before);
            rtt.update(slot(probe / portCount), rttUs);
        }
        long packed = ResultQueue.pack(match.reason.ordinal(), r.ttl, rttUs);
        if (handshake == null || !handshake.opens(probe, match, r, packed)) output.put(probe, packed);
    }
}
