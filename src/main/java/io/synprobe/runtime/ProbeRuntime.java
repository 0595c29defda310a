package io.synprobe.runtime;

import io.synprobe.nativeio.Errno;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.ReplyBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.packet.PacketObserver;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.Cookies;
import io.synprobe.probe.ProbeModule;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The probing runtime, written once for every kind of run (like ZMap's send.c and recv.c): a sender thread asks
 * the {@link Schedule} for due probes, paces them and hands batches to the {@link RawLink}; a receiver thread
 * decodes what comes back, lets the {@link Classifier} tie it to a probe and hands it to the schedule. Stop
 * requests (graceful, then immediate), send-error accounting, the tally and failure handling live here too. The
 * runtime knows no protocol: that is the {@link ProbeModule}'s business, and what a reply means the schedule's.
 */
public final class ProbeRuntime {
    /** Counts of one run. firstSendError names the first errno the kernel gave for a refused probe, or null. */
    public record Tally(long sent, long sendErrors, String firstSendError, long matched, long ignored) {
    }

    private static final int RECEIVE_BATCH = 256;
    private static final int POLL_MS = 5;

    private final RawLink link;
    private final Schedule schedule;
    private final Outbox outbox;
    private final Classifier classifier;
    private final RateLimiter limiter;
    private final PacketObserver observer;
    private final FollowUps followUps;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String firstSendError;
    private volatile int stopLevel;
    private volatile boolean sendingDone;
    /** Every reply that reached the host before this nanoTime has been handed to the schedule. */
    private volatile long drainedUpTo;
    private volatile long sendLoopAllocated = -1;
    private volatile long receiveLoopAllocated = -1;

    public ProbeRuntime(RawLink link, ProbeModule module, Schedule schedule, PacketObserver observer) {
        this.link = link;
        this.schedule = schedule;
        Cookies cookies = Cookies.random();
        this.outbox = new Outbox(schedule.batchLimit(), module, cookies);
        this.classifier = new Classifier(module, cookies.copy(), schedule.index());
        this.limiter = new RateLimiter(schedule.ratePps());
        this.observer = observer;
        this.followUps = schedule.followUps();
        this.drainedUpTo = System.nanoTime();
    }

    /** First call: send no new probes and wait for the answers in flight. Second call: stop at once. */
    public void requestStop() {
        stopLevel = Math.min(2, stopLevel + 1);
    }

    /** Stops at once because something outside the network failed; {@link #run} then throws {@link RunFailure}. */
    public void fail(Throwable t) {
        failure.compareAndSet(null, t);
        stopLevel = 2;
    }

    public boolean stopRequested() {
        return stopLevel > 0;
    }

    public Tally tally() {
        return new Tally(sent.get(), sendErrors.get(), firstSendError, matched.get(), ignored.get());
    }

    /** Heap bytes the send and receive loops allocated after their set-up, or -1 where the JVM does not count. */
    public long[] hotLoopAllocatedBytes() {
        return new long[] {sendLoopAllocated, receiveLoopAllocated};
    }

    /** Runs the schedule to its end, a stop, or a failure; the link stays open (it is the caller's). */
    public Tally run() {
        link.acceptPorts(schedule.firstLocalPort(), schedule.lastLocalPort());
        Thread receiver = new Thread(this::receiveLoop, "synprobe-recv");
        receiver.setDaemon(true);
        receiver.start();
        boolean stopped = false;
        try {
            sendLoop();
        } catch (Throwable t) {
            fail(t);
        } finally {
            sendingDone = true;
            join(receiver);
            stopped = stopLevel > 0;
            try {
                schedule.end(stopped);
            } catch (Throwable t) {
                fail(t);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RunFailure rf) throw rf;
        if (t != null) throw new RunFailure(t);
        return tally();
    }

    private void sendLoop() throws Exception {
        long drainDeadline = Long.MAX_VALUE;
        long allocatedAtStart = AllocationMeter.current();
        if (followUps != null) followUps.attach(Thread.currentThread());
        while (stopLevel < 2) {
            if (followUps != null) sendFollowUps();
            long now = System.nanoTime();
            boolean stopping = stopLevel == 1;
            if (stopping && drainDeadline == Long.MAX_VALUE) drainDeadline = now + schedule.drainNanos();
            if (now > drainDeadline) break;
            outbox.clear();
            long wait = schedule.fill(outbox, now, drainedUpTo, stopping);
            int n = outbox.size();
            if (n == 0) {
                if (wait == Schedule.NOTHING_LEFT) break;
                LockSupport.parkNanos(Math.max(50_000, Math.min(wait, 1_000_000)));
                continue;
            }
            limiter.acquire(n);
            schedule.beforeSend(outbox, System.nanoTime());
            link.send(outbox.batch());
            int ok = 0;
            for (int i = 0; i < n; i++) {
                long ts = outbox.batch().sendTimestamp(i);
                if (ts < 0) {
                    int errno = (int) -ts;
                    if (sendErrors.getAndIncrement() == 0) firstSendError = Errno.name(errno);
                    schedule.sendFailed(outbox, i, errno);
                } else {
                    ok++;
                    schedule.sent(outbox, i, ts);
                }
                if (observer != null) observer.sent(outbox.batch(), i);
            }
            sent.addAndGet(ok);
        }
        sendLoopAllocated = allocatedAtStart < 0 ? -1 : AllocationMeter.current() - allocatedAtStart;
    }

    /** What the receiver queued in answer to replies goes out before new probes; it is not rate-limited. */
    private void sendFollowUps() {
        while (true) {
            ProbeBatch b = followUps.take();
            int n = b.size();
            if (n == 0) return;
            link.send(b);
            for (int i = 0; i < n; i++) {
                if (observer != null) observer.sent(b, i);
                followUps.sent(i, b.sendTimestamp(i));
            }
        }
    }

    private void receiveLoop() {
        ReplyBatch batch = new ReplyBatch(RECEIVE_BATCH);
        DecodedReply reply = new DecodedReply();
        long quietUntil = 0;
        long allocatedAtStart = AllocationMeter.current();
        try {
            while (stopLevel < 2) {
                long before = System.nanoTime();
                int n = link.receive(batch, POLL_MS);
                for (int i = 0; i < n; i++) {
                    if (observer != null) observer.received(batch, i);
                    reply.decode(batch.packets(), batch.packetOffset(i), batch.packetLength(i), batch.wireLength(i));
                    if (reply.kind != DecodedReply.Kind.INVALID && classifier.classify(reply)) {
                        matched.incrementAndGet();
                        schedule.answered(classifier, reply, batch.timestamp(i));
                    } else {
                        ignored.incrementAndGet();
                    }
                }
                // a short batch means every socket was read empty after the call began: whatever had arrived
                // before it began has now been handed over
                if (n < batch.capacity()) drainedUpTo = before;
                if (sendingDone) {
                    // take what is already queued, then stop
                    if (n == 0 && quietUntil != 0 && System.nanoTime() > quietUntil) break;
                    if (quietUntil == 0) quietUntil = System.nanoTime() + 20_000_000;
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
        receiveLoopAllocated = allocatedAtStart < 0 ? -1 : AllocationMeter.current() - allocatedAtStart;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
