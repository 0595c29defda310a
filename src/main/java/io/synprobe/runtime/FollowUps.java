package io.synprobe.runtime;

import io.synprobe.nativeio.ProbeBatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Packets that follow a reply (the ACK, data ACKs, RST or FIN of a full handshake), queued by the receiver thread
 * and sent by the runtime's sender thread before any new probe: every packet of a run leaves through one thread,
 * so the shim's per-socket transmit state stays its own. Two batches take turns (one filled, one sent), so queueing
 * allocates nothing. Each packet carries a token its owner gets back with the send result.
 */
public final class FollowUps {
    /** Told the send result of each packet: the kernel's transmit time, or -errno when it was refused. */
    public interface Listener {
        void followUpSent(long token, long realtimeNsOrMinusErrno);
    }

    private ProbeBatch filling, sending;
    private long[] fillTokens, sendTokens;
    private final Listener listener;
    private volatile Thread sender;

    public FollowUps(int capacity, Listener listener) {
        this.filling = new ProbeBatch(capacity);
        this.sending = new ProbeBatch(capacity);
        this.fillTokens = new long[capacity];
        this.sendTokens = new long[capacity];
        this.listener = listener;
    }

    /**
     * Queues one payload-free TCP packet (addresses of one family, 4 or 16 bytes); false when the queue is full.
     */
    public synchronized boolean add(byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags, int ttl,
                                    int window, long token) {
        if (filling.isFull()) return false;
        int i = filling.add(src, dst, sport, dport, (int) seq, (int) ack, flags, ttl, (int) (seq >>> 16) & 0xffff,
                window, 0);
        fillTokens[i] = token;
        Thread t = sender;
        if (t != null) LockSupport.unpark(t);
        return true;
    }

    /** The sender thread: it is woken when a packet is queued. */
    void attach(Thread senderThread) {
        sender = senderThread;
    }

    /** Sender thread: the queued packets, handed over as a batch to send (the queue starts afresh). */
    synchronized ProbeBatch take() {
        ProbeBatch b = filling;
        filling = sending;
        sending = b;
        long[] t = fillTokens;
        fillTokens = sendTokens;
        sendTokens = t;
        filling.clear();
        return sending;
    }

    /** Sender thread, after the send call: packet i of the batch {@link #take} gave left, or was refused. */
    void sent(int i, long realtimeNsOrMinusErrno) {
        listener.followUpSent(sendTokens[i], realtimeNsOrMinusErrno);
    }
}
