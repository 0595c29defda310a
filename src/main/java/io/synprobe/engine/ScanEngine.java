package io.synprobe.engine;

import io.synprobe.nativeio.WireClock;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.Routes;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The SYN scan: the calling thread sends (new probes in permutation order, retransmissions of unanswered ones
 * as their host's timeout expires), a receiver thread matches replies, an output thread feeds the sink. Probes
 * to one host are spread out by the permutation; state per probe is four bytes (see {@link ProbeStates}).
 */
public final class ScanEngine implements Scanner {
    static final int WINDOW = 1024;
    static final int MSS = 1460;

    private final ScanOptions opt;
    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final ProbeStates states;
    private final RttEstimator rtt;
    private final int rttSlots;
    private final Cookies sendCookies;
    private final Cookies recvCookies;
    private final int sportBase;
    private final ResultQueue results = new ResultQueue(1 << 16);
    /** The two clocks' readings at one instant: send times use nanoTime, kernel timestamps CLOCK_REALTIME. */
    private final long startRealtimeNs;
    private final long startNanos;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retransmits = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private volatile int stopLevel;
    private volatile boolean sendingDone;
    private volatile long sendLoopAllocated = -1;
    private volatile long receiveLoopAllocated = -1;
    private ResumePoint resumeFrom;
    private ResumePoint stoppedAt;

    public ScanEngine(ScanOptions options) {
        this.opt = options;
        this.targets = options.targets();
        this.ports = options.ports();
        this.portCount = ports.size();
        long n = options.probeCount();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a scan of " + n + " probes is too large for one run: shard it (--shard)");
        }
        this.states = new ProbeStates((int) n);
        WireClock.realtimeNs(); // loading takes long: not between the two clock readings
        this.startRealtimeNs = WireClock.realtimeNs();
        this.startNanos = System.nanoTime();
        this.rttSlots = (int) Math.min(targets.size(), 1 << 16);
        this.rtt = new RttEstimator(rttSlots, options.minTimeoutUs(), options.maxTimeoutUs(), options.initialTimeoutUs());
        Cookies c = Cookies.random();
        this.sendCookies = c;
        this.recvCookies = c.copy();
        int span = options.retries() + 1;
        this.sportBase = options.sourcePort() > 0 ? options.sourcePort()
                : 32768 + ThreadLocalRandom.current().nextInt(60999 - 32768 - 16);
        if (sportBase + span - 1 > 65535) throw new IllegalArgumentException("source port too high for the retries");
    }

    @Override
    public Progress progress() {
        return new Progress(opt.probeCount(), sent.get(), retransmits.get(), matched.get(),
                finished.get(), System.nanoTime() - startNanos);
    }

    @Override
    public void requestStop() {
        stopLevel = Math.min(2, stopLevel + 1);
    }

    /**
     * Heap bytes the send and receive loops allocated in the steady state (after their buffers were set up), or -1
     * where the JVM does not count them. Near zero whatever the probe count: nothing is allocated per packet.
     */
    public long[] hotLoopAllocatedBytes() {
        return new long[] {sendLoopAllocated, receiveLoopAllocated};
    }

    /** Continue an interrupted scan (same targets, ports, seed and shard) instead of starting afresh. */
    public void resumeFrom(ResumePoint point) {
        this.resumeFrom = point;
    }

    /** After an interrupted run: where to resume; null when the scan finished. */
    public ResumePoint stoppedAt() {
        return stoppedAt;
    }

    public ScanSummary run(ResultSink sink, ScanInfo info) throws IOException {
        return run(() -> sink, info);
    }

    @Override
    public ScanSummary run(SinkOpener opener, ScanInfo info) throws IOException {
        long probes = opt.probeCount();
        try (RawSockets sockets = RawSockets.open(targets.hasFamily(4), targets.hasFamily(6), sportBase,
                sportBase + opt.retries(), opt.netnsPath(), opt.transmitTimestamps());
             ResultSink sink = openAfterDrop(opener)) {
            sink.begin(info);
            Output output = new Output(sink);
            Thread receiver = new Thread(() -> receiveLoop(sockets), "synprobe-recv");
            Thread writer = new Thread(output, "synprobe-output");
            receiver.setDaemon(true);
            writer.setDaemon(true);
            receiver.start();
            writer.start();
            try {
                sendLoop(sockets, probes);
            } finally {
                sendingDone = true;
                joinQuietly(receiver);
                output.finish();
                joinQuietly(writer);
            }
            if (output.failure != null) throw output.failure;
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            ScanSummary summary = new ScanSummary(Instant.now(), elapsedMs, targets.size(), output.hostsUp.cardinality(),
                    sent.get(), retransmits.get(), matched.get(), ignored.get(), output.open, output.closed, output.filtered,
                    stopLevel > 0);
            sink.end(summary);
            return summary;
        }
    }

    private ResultSink openAfterDrop(SinkOpener opener) throws IOException {
        io.synprobe.nativeio.SudoDrop.afterSocketsOpen(opt.netnsPath());
        return opener.open();
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private int slot(long host) {
        return (int) (host % rttSlots);
    }

    // ---------------------------------------------------------------- sending

    private void sendLoop(RawSockets sockets, long probes) {
        Permutation perm = new Permutation(probes, opt.seed(), opt.shardIndex(), opt.shardCount());
        long[] carried = resumeFrom == null ? new long[0] : resumeFrom.pending();
        int carriedNext = 0;
        if (resumeFrom != null) perm.seek(resumeFrom.position());
        LongList pending = new LongList();
        RateLimiter limiter = new RateLimiter(opt.ratePps());
        SourceCache sources = new SourceCache(new Routes(opt.netnsPath()));
        // at a set rate a batch holds about 2.5 ms of probes: smooth pacing down to 100 pps, and big enough batches
        // near the machine's limit
        int batchSize = opt.ratePps() > 0 ? (int) Math.max(1, Math.min(opt.batchSize(), opt.ratePps() / 400)) : opt.batchSize();
        ProbeBatch batch = new ProbeBatch(batchSize);
        // sized for the usual window of outstanding probes, so the ring rarely grows while sending
        OutstandingRing ring = new OutstandingRing((int) Math.min(probes, 1 << 17));
        long[] batchProbe = new long[batchSize];
        int[] batchAttempt = new int[batchSize];
        byte[] dst4 = new byte[4], dst6 = new byte[16];
        boolean exhausted = false;
        long drainDeadline = Long.MAX_VALUE;
        long allocatedAtStart = AllocationMeter.current();

        while (stopLevel < 2) {
            if (stopLevel == 1 && drainDeadline == Long.MAX_VALUE) {
                exhausted = true; // no new probes; give what is in flight its timeout to answer
                drainDeadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(Math.min(opt.maxTimeoutUs(), 2_000_000));
            }
            if (System.nanoTime() > drainDeadline) break;
            batch.clear();
            // 1. the oldest outstanding probes: retransmit or give up
            while (!ring.isEmpty() && !batch.isFull()) {
                long probe = ring.headIndex();
                if (states.isFinal(probe)) {
                    ring.pop();
                    continue;
                }
                long host = probe / portCount;
                long waitedUs = (System.nanoTime() - ring.headSentAt()) / 1000;
                if (waitedUs < rtt.timeoutUs(slot(host))) break;
                int attempt = ring.headAttempt();
                ring.pop();
                if (stopLevel > 0) {
                    // unanswered when interrupted: not a verdict; the resumed scan probes it again
                    if (states.finish(probe) >= 0) pending.add(probe);
                    continue;
                }
                if (attempt >= opt.retries()) {
                    int before = states.finish(probe);
                    if (before >= 0) results.put(probe, ResultQueue.pack(Reason.NO_RESPONSE.ordinal(), -1, -1));
                    continue;
                }
                if (addProbe(batch, sources, probe, attempt + 1, dst4, dst6)) {
                    batchProbe[batch.size() - 1] = probe;
                    batchAttempt[batch.size() - 1] = attempt + 1;
                    retransmits.incrementAndGet();
                }
            }
            // 2. new probes
            while (carriedNext < carried.length && stopLevel == 0 && !batch.isFull()) {
                long probe = carried[carriedNext++];
                if (probe < 0 || probe >= probes) continue;
                if (addProbe(batch, sources, probe, 0, dst4, dst6)) {
                    batchProbe[batch.size() - 1] = probe;
                    batchAttempt[batch.size() - 1] = 0;
                }
            }
            while (!exhausted && carriedNext >= carried.length && !batch.isFull()) {
                long probe = perm.next();
                if (probe < 0) {
                    exhausted = true;
                    break;
                }
                if (addProbe(batch, sources, probe, 0, dst4, dst6)) {
                    batchProbe[batch.size() - 1] = probe;
                    batchAttempt[batch.size() - 1] = 0;
                }
            }
            if (batch.size() == 0) {
                if (exhausted && ring.isEmpty()) break;
                LockSupport.parkNanos(ring.isEmpty() ? 1_000_000 : 200_000);
                continue;
            }
            limiter.acquire(batch.size());
            // the send time is set just before the send: a reply may be matched before the call even returns
            long sendUs = nowUs();
            for (int i = 0; i < batch.size(); i++) states.markSent(batchProbe[i], batchAttempt[i], sendUs);
            sockets.send(batch);
            long sentNanos = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                long ts = batch.sendTimestamp(i);
                if (ts > 0) states.refineSendTime(batchProbe[i], batchAttempt[i], (ts - startRealtimeNs) / 1000);
                ring.add(batchProbe[i], sentNanos, batchAttempt[i]);
            }
            sent.addAndGet(batch.size());
        }
        sendLoopAllocated = allocatedAtStart < 0 ? -1 : AllocationMeter.current() - allocatedAtStart;
        if (stopLevel > 0) {
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
    }

    private boolean addProbe(ProbeBatch batch, SourceCache sources, long probe, int attempt, byte[] dst4, byte[] dst6) {
        long host = probe / portCount;
        int port = ports.port((int) (probe % portCount));
        int range = targets.rangeOf(host);
        int family = targets.family(range);
        long hi = targets.hi(range, host), lo = targets.lo(range, host);
        byte[] dst = family == 4 ? dst4 : dst6;
        io.synprobe.target.Ip.write(family, hi, lo, dst);
        byte[] src = sources.sourceFor(family, hi, lo);
        int sport = sportBase + attempt;
        int seq = sendCookies.compute(io.synprobe.target.Ip.hi(src), io.synprobe.target.Ip.lo(src), hi, lo, sport, port, 0);
        if (states.isFinal(probe)) return false;
        batch.addSyn(src, dst, sport, port, seq, opt.ttl(), seq >>> 16, WINDOW, MSS);
        return true;
    }

    // ---------------------------------------------------------------- receiving

    private void receiveLoop(RawSockets sockets) {
        ReplyBatch batch = new ReplyBatch(256);
        DecodedReply reply = new DecodedReply();
        ReplyMatcher matcher = new ReplyMatcher(targets, ports, recvCookies, sportBase, opt.retries() + 1, states::wasSent);
        long quietUntil = 0;
        long allocatedAtStart = AllocationMeter.current();
        while (true) {
            int n = sockets.receive(batch, 20);
            for (int i = 0; i < n; i++) {
                reply.decode(batch.packets(), batch.packetOffset(i), batch.packetLength(i), batch.wireLength(i));
                handle(matcher, reply, batch.timestamp(i));
            }
            if (sendingDone || stopLevel >= 2) {
                // the sender has finished every probe; take what is already queued, then stop
                if (n == 0 && (quietUntil == 0 || System.nanoTime() > quietUntil)) break;
                if (quietUntil == 0) quietUntil = System.nanoTime() + 50_000_000;
            }
        }
        receiveLoopAllocated = allocatedAtStart < 0 ? -1 : AllocationMeter.current() - allocatedAtStart;
    }

    private void handle(ReplyMatcher matcher, DecodedReply r, long recvRealtimeNs) {
        if (r.kind != DecodedReply.Kind.INVALID && matcher.match(r)) {
            record(matcher.probe, matcher.attempt, matcher.reason, r.ttl, recvRealtimeNs);
        } else {
            ignored.incrementAndGet();
        }
    }

    private void record(long probe, int attempt, Reason reason, int ttl, long recvNs) {
        int before = states.finish(probe);
        if (before < 0) { // a duplicate, or it already timed out: the first answer stands
            ignored.incrementAndGet();
            return;
        }
        long rttUs = -1;
        if (ProbeStates.attempt(before) == attempt) {
            long recvUs = (recvNs - startRealtimeNs) / 1000;
            rttUs = ProbeStates.elapsedUs(ProbeStates.timeUs(before), recvUs);
            rtt.update(slot(probe / portCount), rttUs);
        }
        matched.incrementAndGet();
        results.put(probe, ResultQueue.pack(reason.ordinal(), ttl, rttUs));
    }

    // ---------------------------------------------------------------- output

    /** Turns queued primitive results into PortResults for the sink, off the probing threads. */
    private final class Output implements Runnable {
        private final ResultSink sink;
        private final BitSet hostsUp = new BitSet();
        private volatile boolean done;
        private IOException failure;
        long open, closed, filtered;

        Output(ResultSink sink) {
            this.sink = sink;
        }

        void finish() {
            done = true;
        }

        @Override
        public void run() {
            while (true) {
                boolean last = done;
                int n = results.drain(this::emit);
                if (last && n == 0) return;
                if (n == 0) LockSupport.parkNanos(2_000_000);
            }
        }

        private void emit(long probe, long packed) {
            long host = probe / portCount;
            Reason reason = Reason.ofOrdinal(ResultQueue.reason(packed));
            if (reason != Reason.NO_RESPONSE && host < Integer.MAX_VALUE) hostsUp.set((int) host);
            switch (reason.state()) {
                case OPEN -> open++;
                case CLOSED -> closed++;
                case FILTERED -> filtered++;
            }
            finished.incrementAndGet();
            if (failure != null) return;
            try {
                sink.accept(new PortResult(targets.addressAt(host), ports.port((int) (probe % portCount)),
                        reason.state(), reason, ResultQueue.ttl(packed), ResultQueue.rttUs(packed)));
            } catch (IOException e) {
                failure = e;
            } catch (UncheckedIOException e) {
                failure = e.getCause();
            }
        }
    }
}
