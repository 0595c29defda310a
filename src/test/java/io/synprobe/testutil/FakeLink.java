package io.synprobe.testutil;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.ReplyBatch;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A link that answers in memory, for testing the runtime and its schedules without privileges. Each probe sent
 * is shown to the responder, whose packets (IP header first) are queued for receive with the time they "arrived".
 * A responder may also refuse a probe as the local kernel would (errno), or stall the receiver.
 */
public final class FakeLink implements RawLink {
    /** One probe as the shim would craft it. */
    public record Probe(int family, byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags, int ttl) {
    }

    /** What the network does with a probe: packets back (possibly none), or a local refusal. */
    public record Answer(List<ByteBuffer> packets, int refuseErrno, long delayNs) {
        public static Answer none() {
            return new Answer(List.of(), 0, 0);
        }

        public static Answer of(ByteBuffer... packets) {
            return new Answer(List.of(packets), 0, 0);
        }

        /** The packets arrive delayNs after the probe left. */
        public static Answer after(long delayNs, ByteBuffer... packets) {
            return new Answer(List.of(packets), 0, delayNs);
        }

        public static Answer refused(int errno) {
            return new Answer(List.of(), errno, 0);
        }
    }

    private record Queued(byte[] packet, long arrivedNs) {
    }

    private final Function<Probe, Answer> responder;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final List<Probe> sent = new ArrayList<>();
    public final AtomicInteger receiveCalls = new AtomicInteger();
    private volatile long stallReceiverUntilNanos;
    private volatile boolean closed;

    public FakeLink(Function<Probe, Answer> responder) {
        this.responder = responder;
    }

    /** The receiver's next receive calls block until then, as if it were held up behind a slow output. */
    public void stallReceiverFor(long nanos) {
        stallReceiverUntilNanos = System.nanoTime() + nanos;
    }

    public synchronized List<Probe> sent() {
        return List.copyOf(sent);
    }

    @Override
    public void send(ProbeBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            int family = batch.family(i);
            byte[] src = new byte[family == 4 ? 4 : 16], dst = new byte[src.length];
            batch.source(i, src);
            batch.destination(i, dst);
            Probe p = new Probe(family, src, dst, batch.sourcePort(i), batch.destinationPort(i), batch.seq(i),
                    batch.ack(i), batch.flags(i), batch.ttl(i));
            Answer a = responder.apply(p);
            long now = io.synprobe.nativeio.WireClock.realtimeNs();
            synchronized (this) {
                sent.add(p);
                if (a.refuseErrno() != 0) {
                    batch.setSendTimestamp(i, -a.refuseErrno());
                    continue;
                }
                batch.setSendTimestamp(i, now);
                for (ByteBuffer pkt : a.packets()) queue.add(new Queued(Packets.bytes(pkt), now + 1000 + a.delayNs()));
            }
        }
    }

    @Override
    public int receive(ReplyBatch batch, int timeoutMs) {
        receiveCalls.incrementAndGet();
        long stall = stallReceiverUntilNanos - System.nanoTime();
        if (stall > 0) sleep(stall);
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            synchronized (this) {
                int n = 0;
                long now = io.synprobe.nativeio.WireClock.realtimeNs();
                var it = queue.iterator();
                while (n < batch.capacity() && it.hasNext()) {
                    Queued q = it.next();
                    if (q.arrivedNs() > now) continue;
                    it.remove();
                    batch.put(n++, q.packet(), q.arrivedNs());
                }
                if (n > 0 || System.nanoTime() >= end || closed) return n;
            }
            sleep(200_000);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void acceptPorts(int lo, int hi) {
    }

    @Override
    public boolean hasFamily(int family) {
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
