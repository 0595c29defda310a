package io.synprobe.runtime;

import io.synprobe.nativeio.ProbeBatch;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * Packets that follow a reply (the ACK, data ACKs, RST or FIN of a full handshake), queued by the receiver thread
 * and sent by the runtime's sender thread before any new probe: every packet of a run leaves through one thread,
 * so the shim's per-socket transmit state stays its own. The queue is a chain of batches, reused once sent, so
 * queueing allocates nothing in the steady state; a burst of replies larger than one batch adds batches (up to a
 * bound). Each packet carries a token its owner gets back with the send result.
 */
public final class FollowUps {
    /** Told the send result of each packet: the kernel's transmit time, or -errno when it was refused. */
    public interface Listener {
        void followUpSent(long token, long realtimeNsOrMinusErrno);
    }

    /** One batch of packets and their tokens. */
    private static final class Page {
        final ProbeBatch batch;
        final long[] tokens;

        Page(int capacity) {
            batch = new ProbeBatch(capacity);
            tokens = new long[capacity];
        }
    }

    private static final int MAX_PAGES = 64;

    private final int capacity;
    private final Listener listener;
    private final ArrayDeque<Page> ready = new ArrayDeque<>();
    private final ArrayDeque<Page> free = new ArrayDeque<>();
    private Page filling;
    private Page sending;
    private int pages;
    private volatile Thread sender;

    public FollowUps(int capacity, Listener listener) {
        this.capacity = capacity;
        this.listener = listener;
        this.filling = new Page(capacity);
        this.sending = new Page(capacity);
        this.pages = 2;
    }

    /**
     * Queues one payload-free TCP packet (addresses of one family, 4 or 16 bytes); false when the queue is full.
     */
    public synchronized boolean add(byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags, int ttl,
                                    int window, long token) {
        if (filling.batch.isFull()) {
            Page next = free.poll();
            if (next == null) {
                if (pages >= MAX_PAGES) return false;
                next = new Page(capacity);
                pages++;
            }
            ready.add(filling);
            filling = next;
        }
        int i = filling.batch.add(src, dst, sport, dport, (int) seq, (int) ack, flags, ttl, (int) (seq >>> 16) & 0xffff,
                window, 0);
        filling.tokens[i] = token;
        Thread t = sender;
        if (t != null) LockSupport.unpark(t);
        return true;
    }

    /** The sender thread: it is woken when a packet is queued. */
    void attach(Thread senderThread) {
        sender = senderThread;
    }

    /**
     * Sender thread: the next batch of queued packets, to send now (empty when nothing is queued). The batch the
     * previous call gave is reused from now on.
     */
    synchronized ProbeBatch take() {
        sending.batch.clear();
        free.add(sending);
        Page next = ready.poll();
        if (next == null) {
            next = filling;
            filling = free.poll();
        }
        sending = next;
        return sending.batch;
    }

    /** Sender thread, after the send call: packet i of the batch {@link #take} gave left, or was refused. */
    void sent(int i, long realtimeNsOrMinusErrno) {
        listener.followUpSent(sending.tokens[i], realtimeNsOrMinusErrno);
    }
}
