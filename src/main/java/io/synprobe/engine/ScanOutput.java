package io.synprobe.engine;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.nativeio.Errno;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The output thread of a scan: turns queued primitive verdicts into {@link PortResult}s for the sink, off the
 * probing threads, and keeps the totals. A sink that throws anything stops the run (through onFailure) and the
 * queue is abandoned, so no probing thread waits for room that will never come.
 */
final class ScanOutput implements Runnable {
    private final ResultQueue queue = new ResultQueue(1 << 16);
    private final ResultSink sink;
    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final Consumer<Throwable> onFailure;
    private final Runnable onMemoryShort;
    /** Released when the heap runs out, so the output can still be finished and closed. */
    private byte[] reserve = new byte[1 << 20];
    /** Results the sink could not take for want of memory: probed again by a resumed scan. */
    private final LongList unreported = new LongList();
    private volatile boolean diverted;
    /** Hosts that answered, compressed (about 2 bytes a host when they are sparse), for any host number. */
    private final org.roaringbitmap.longlong.Roaring64Bitmap hostsUp = new org.roaringbitmap.longlong.Roaring64Bitmap();
    private volatile boolean done;
    private volatile Throwable failure;
    volatile long finished;
    /** With --handshake full: what came of each result's connection. */
    java.util.function.LongFunction<io.synprobe.result.Handshake> handshakes;
    long open, closed, filtered, unfiltered;

    ScanOutput(ResultSink sink, TargetSet targets, PortList ports, Consumer<Throwable> onFailure, Runnable onMemoryShort) {
        this.onMemoryShort = onMemoryShort;
        this.sink = sink;
        this.targets = targets;
        this.ports = ports;
        this.portCount = ports.size();
        this.onFailure = onFailure;
    }

    void put(long probe, long packed) {
        queue.put(probe, packed);
    }

    private Thread thread;

    void start() {
        thread = new Thread(this, "synprobe-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes what is queued, then ends the output thread; rethrows a failure of the sink. */
    void finishAndJoin() throws InterruptedException {
        done = true;
        thread.join();
        if (failure != null) throw new io.synprobe.runtime.RunFailure(failure);
    }

    Throwable failure() {
        return failure;
    }

    /**
     * The heap runs short: from now on results are not given to the sink (whose per-host formats would keep them)
     * but kept as probe numbers for the resume file, 8 bytes each, with the reserve released to make room.
     */
    void divert() {
        diverted = true;
    }

    /** After {@link #finishAndJoin}: probes whose results were diverted or dropped when the heap ran short. */
    long[] unreported() {
        return unreported.toArray();
    }

    long hostsUp() {
        return hostsUp.getLongCardinality();
    }

    @Override
    public void run() {
        try {
            while (true) {
                boolean last = done;
                int n = queue.drain(this::emit);
                if (last && n == 0) return;
                if (n == 0) LockSupport.parkNanos(2_000_000);
            }
        } catch (Throwable t) {
            failure = t;
            queue.abandon();
            onFailure.accept(t);
        }
    }

    private void emit(long probe, long packed) {
        if (diverted) {
            reserve = null;
            unreported.add(probe);
            return;
        }
        long host = probe / portCount;
        Reason reason = Reason.ofOrdinal(ResultQueue.reason(packed));
        boolean sendError = reason == Reason.SEND_ERROR;
        long rtt = ResultQueue.rttUs(packed);
        try {
            sink.accept(new PortResult(targets.addressAt(host), ports.port((int) (probe % portCount)), reason.state(),
                    reason, ResultQueue.ttl(packed), sendError ? -1 : rtt, sendError ? Errno.name((int) rtt) : null,
                    handshakes == null ? null : handshakes.apply(probe)));
        } catch (OutOfMemoryError e) {
            // the heap is exhausted despite the guard: this result goes to the resume file, the run stops like
            // Ctrl-C, and the reserve makes room to finish the output
            reserve = null;
            diverted = true;
            unreported.add(probe);
            onMemoryShort.run();
            return;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (reason != Reason.NO_RESPONSE && !sendError) hostsUp.addLong(host);
        switch (reason.state()) {
            case OPEN -> open++;
            case CLOSED -> closed++;
            case FILTERED -> filtered++;
            case UNFILTERED -> unfiltered++;
            case ERROR -> { } // counted as send errors by the runtime
        }
        finished++;
    }
}
