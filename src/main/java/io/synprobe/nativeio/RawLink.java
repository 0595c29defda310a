package io.synprobe.nativeio;

/**
 * The one door to the wire: batches of crafted probes out, batches of received IP packets in. {@link RawSockets}
 * is the real one; tests use a fake that answers in memory, so engines can be tested without privileges.
 */
public interface RawLink extends AutoCloseable {
    /** Sends every probe of the batch; per-probe send times (or -errno) are written back into it. */
    void send(ProbeBatch batch);

    /** Waits up to timeoutMs for replies and fills the batch with whatever is queued; returns the count. */
    int receive(ReplyBatch batch, int timeoutMs);

    /** Only TCP replies to local ports lo..hi reach user space from now on (a kernel filter on the sockets). */
    void acceptPorts(int lo, int hi);

    boolean hasFamily(int family);

    @Override
    void close();
}
