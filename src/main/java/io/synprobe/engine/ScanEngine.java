package io.synprobe.engine;

import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.Routes;
import io.synprobe.probe.ProbeModule;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.packet.PacketObserver;
import io.synprobe.runtime.ClockPair;
import io.synprobe.runtime.ProbeRuntime;
import io.synprobe.runtime.SourcePorts;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A raw-packet scan: the {@link ScanSchedule} on the {@link ProbeRuntime} with the options' probe module (SYN by
 * default, ACK for an ACK scan), results through a {@link ScanOutput} thread into the sink.
 */
public final class ScanEngine implements Scanner {
    private final ScanOptions opt;
    private ProbeModule module;
    private long handshakeTimeoutNs;
    private final int sportBase;
    private ResumePoint resumeFrom;
    private MemoryBudget.Plan plan;
    private ResumePoint stoppedAt;
    private PacketObserver observer;
    private volatile ProbeRuntime runtime;
    private volatile ScanSchedule schedule;
    private volatile ScanOutput output;
    private volatile int earlyStops;
    private volatile boolean memoryShort;
    private final long startNanos = System.nanoTime();

    public ScanEngine(ScanOptions options) {
        this.opt = options;
        long n = options.probeCount();
        if (n > Permutation.MAX_SIZE) {
            throw new io.synprobe.target.UsageException(String.format(java.util.Locale.ROOT,
                    "a scan of %,d probes is more than one probe order holds (2^48): split the targets over several scans", n));
        }
        this.plan = MemoryBudget.plan(options, 0, Runtime.getRuntime().maxMemory());
        this.module = ProbeModule.named(options.scanType());
        this.sportBase = SourcePorts.base(options.sourcePort(), options.retries() + 1);
    }

    /**
     * Completes the connection of every SYN-ACK (--handshake full) with this module; each connection waits up to
     * timeoutNs for a banner and for the FIN exchange. The caller keeps our kernel's RSTs off the wire (a
     * LocalRstGuard over {@link #firstLocalPort()}..{@link #lastLocalPort()} and the targets) and marks the link.
     */
    public void handshake(io.synprobe.probe.HandshakeModule m, long timeoutNs) {
        this.module = m;
        this.handshakeTimeoutNs = timeoutNs;
    }

    public int firstLocalPort() {
        return sportBase;
    }

    public int lastLocalPort() {
        return sportBase + opt.retries();
    }

    /** Continue an interrupted scan (same targets, ports, seed and shard) instead of starting afresh. */
    public void resumeFrom(ResumePoint point) {
        this.resumeFrom = point;
        this.plan = MemoryBudget.plan(opt, point.pending().length, Runtime.getRuntime().maxMemory());
    }

    /** What this run will hold: its share of the probes, the in-flight table's largest size and the heap it needs. */
    public MemoryBudget.Plan memoryPlan() {
        return plan;
    }

    /** Entries the in-flight table was allocated for; -1 before the run. */
    int inFlightCapacity() {
        ScanSchedule s = schedule;
        return s == null ? -1 : s.inFlightCapacity();
    }

    /** After an interrupted run: where to resume; null when the scan finished. */
    public ResumePoint stoppedAt() {
        return stoppedAt;
    }

    /** Sees every packet sent and received (--packet-trace). */
    public void observe(PacketObserver observer) {
        this.observer = observer;
    }

    @Override
    public Progress progress() {
        ProbeRuntime rt = runtime;
        ScanSchedule s = schedule;
        ScanOutput o = output;
        if (rt == null || s == null || o == null) return new Progress(opt.probeCount(), 0, 0, 0, 0, System.nanoTime() - startNanos);
        ProbeRuntime.Tally t = rt.tally();
        return new Progress(opt.probeCount(), t.sent(), s.retransmits, t.matched() - s.duplicates, o.finished,
                System.nanoTime() - startNanos);
    }

    /**
     * The heap ran short: stop like a second Ctrl-C, at once. Results not yet written go to the resume file with
     * the probes in flight instead of into the output, so it can be finished in the memory left.
     */
    private void memoryShort() {
        if (memoryShort) return;
        memoryShort = true;
        ScanOutput o = output;
        if (o != null) o.divert();
        requestStop();
        requestStop();
    }

    /** Whether the run stopped because the heap ran short (its outputs and resume point are complete, as after Ctrl-C). */
    public boolean stoppedForMemory() {
        return memoryShort;
    }

    @Override
    public void requestStop() {
        ProbeRuntime rt = runtime;
        if (rt != null) rt.requestStop();
        else earlyStops++;
    }

    /** Heap bytes the send and receive loops allocated in their steady state, or -1 where the JVM cannot tell. */
    public long[] hotLoopAllocatedBytes() {
        ProbeRuntime rt = runtime;
        return rt == null ? new long[] {-1, -1} : rt.hotLoopAllocatedBytes();
    }

    /** Opens the raw sockets itself (in the options' namespace), scans, closes them. Drops no privileges. */
    public ScanSummary run(ResultSink sink, ScanInfo info) throws IOException {
        return run(() -> sink, info);
    }

    @Override
    public ScanSummary run(SinkOpener opener, ScanInfo info) throws IOException {
        try (RawLink link = openLink(opt)) {
            return run(link, opener, info);
        }
    }

    /** The sockets a scan with these options needs. */
    public static RawLink openLink(ScanOptions opt) {
        return RawSockets.open(opt.targets().hasFamily(4), opt.targets().hasFamily(6), 0, 0, opt.netnsPath(),
                opt.transmitTimestamps());
    }

    /** Scans over a link the caller opened (and may have dropped privileges after). */
    public ScanSummary run(RawLink link, SinkOpener opener, ScanInfo info) throws IOException {
        try (ResultSink sink = opener.open()) {
            sink.begin(info);
            ClockPair clocks = ClockPair.now();
            long startRealtime = clocks.realtimeNs();
            long start = clocks.monoNs();
            ScanOutput out = new ScanOutput(sink, opt.targets(), opt.ports(), t -> {
                ProbeRuntime rt = runtime;
                if (rt != null) rt.fail(t);
            }, this::memoryShort);
            ScanSchedule s = new ScanSchedule(opt, sportBase, out, resumeFrom,
                    new SourceCache(new Routes(opt.netnsPath())), start, startRealtime, plan);
            HandshakeScan hs = null;
            if (module instanceof io.synprobe.probe.HandshakeModule full) {
                hs = new HandshakeScan(full, handshakeTimeoutNs, out, opt.ttl());
                s.handshake = hs;
                out.handshakes = hs::outcome;
            }
            ProbeRuntime rt = new ProbeRuntime(link, module, s, observer);
            this.output = out;
            this.schedule = s;
            this.runtime = rt;
            for (int i = 0; i < earlyStops; i++) rt.requestStop();
            out.start();
            ProbeRuntime.Tally t;
            try (HeapGuard guard = new HeapGuard(this::memoryShort)) {
                t = rt.run();
            }
            stoppedAt = s.stoppedAt();
            ScanSummary summary = new ScanSummary(Instant.now(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    opt.targets().size(), out.hostsUp(), t.sent(), s.retransmits,
                    t.matched() - s.duplicates - (hs == null ? 0 : hs.absorbed()),
                    t.ignored() + s.duplicates, out.open, out.closed, out.filtered, rt.stopRequested(), t.sendErrors(),
                    t.firstSendError(), out.unfiltered);
            sink.end(summary);
            return summary;
        }
    }
}
