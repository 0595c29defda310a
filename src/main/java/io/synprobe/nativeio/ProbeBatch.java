package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compact probe descriptions for one sp_send_batch call, in a direct buffer at fixed offsets. Reused for every
 * batch: filling it allocates nothing.
 */
public final class ProbeBatch {
    public static final int SYN = 0x02;

    private final ByteBuffer buf;
    private NativeBuffer view;
    private final int capacity;
    private int size;

    public ProbeBatch(int capacity) {
        if (capacity < 1 || capacity > MAX_BATCH) throw new IllegalArgumentException("batch size " + capacity);
        this.capacity = capacity;
        this.buf = ByteBuffer.allocateDirect(capacity * PROBE_SIZE).order(ByteOrder.nativeOrder());
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public void clear() {
        size = 0;
    }

    /**
     * Appends a SYN. Addresses are 4 or 16 bytes in network order; src and dst must be of one family.
     *
     * @return the slot index of the probe in this batch
     */
    public int addSyn(byte[] src, byte[] dst, int sport, int dport, int seq, int ttl, int ipId, int window, int mss) {
        return add(src, dst, sport, dport, seq, 0, SYN, ttl, ipId, window, mss);
    }

    public int add(byte[] src, byte[] dst, int sport, int dport, int seq, int ack, int flags, int ttl, int ipId,
                   int window, int mss) {
        int i = size++;
        int o = i * PROBE_SIZE;
        buf.put(o + PROBE_FAMILY, (byte) (dst.length == 4 ? 4 : 6));
        buf.put(o + PROBE_TTL, (byte) ttl);
        buf.put(o + PROBE_FLAGS, (byte) flags);
        buf.put(o + PROBE_OPTS, (byte) (mss > 0 ? 1 : 0));
        buf.putShort(o + PROBE_SPORT, (short) sport);
        buf.putShort(o + PROBE_DPORT, (short) dport);
        buf.putInt(o + PROBE_SEQ, seq);
        buf.putInt(o + PROBE_ACK, ack);
        buf.putShort(o + PROBE_IPID, (short) ipId);
        buf.putShort(o + PROBE_WINDOW, (short) window);
        buf.putShort(o + PROBE_MSS, (short) mss);
        for (int k = 0; k < src.length; k++) buf.put(o + PROBE_SRC + k, src[k]);
        for (int k = 0; k < dst.length; k++) buf.put(o + PROBE_DST + k, dst[k]);
        buf.putLong(o + PROBE_TS, 0);
        return i;
    }

    /** CLOCK_REALTIME nanoseconds just before the probe was handed to the kernel, or -errno when it could not be sent. */
    public long sendTimestamp(int i) {
        return buf.getLong(i * PROBE_SIZE + PROBE_TS);
    }

    public int family(int i) {
        return buf.get(i * PROBE_SIZE + PROBE_FAMILY);
    }

    public int ttl(int i) {
        return buf.get(i * PROBE_SIZE + PROBE_TTL) & 0xff;
    }

    public int flags(int i) {
        return buf.get(i * PROBE_SIZE + PROBE_FLAGS) & 0xff;
    }

    public int sourcePort(int i) {
        return buf.getShort(i * PROBE_SIZE + PROBE_SPORT) & 0xffff;
    }

    public int destinationPort(int i) {
        return buf.getShort(i * PROBE_SIZE + PROBE_DPORT) & 0xffff;
    }

    public long seq(int i) {
        return buf.getInt(i * PROBE_SIZE + PROBE_SEQ) & 0xffffffffL;
    }

    public long ack(int i) {
        return buf.getInt(i * PROBE_SIZE + PROBE_ACK) & 0xffffffffL;
    }

    /** Copies probe i's source address (4 or 16 bytes, by family) into out. */
    public void source(int i, byte[] out) {
        buf.get(i * PROBE_SIZE + PROBE_SRC, out, 0, out.length);
    }

    public void destination(int i, byte[] out) {
        buf.get(i * PROBE_SIZE + PROBE_DST, out, 0, out.length);
    }

    private ByteBuffer craftIn, craftOut;
    private NativeBuffer craftInView, craftOutView;

    /**
     * Writes probe i as the IP packet the shim sends, header first, into out (64 bytes suffice); returns its
     * length. For --packet-trace; allocates only on the first call.
     */
    public int craft(int i, byte[] out) {
        if (craftIn == null) {
            craftIn = ByteBuffer.allocateDirect(PROBE_SIZE).order(ByteOrder.nativeOrder());
            craftOut = ByteBuffer.allocateDirect(128);
            craftInView = NativeLoader.lib().wrap(craftIn);
            craftOutView = NativeLoader.lib().wrap(craftOut);
        }
        craftIn.put(0, buf, i * PROBE_SIZE, PROBE_SIZE);
        int len = NativeLoader.lib().craft(craftInView, craftOutView, craftOut.capacity());
        if (len < 0) throw new IllegalArgumentException("probe " + i + " cannot be crafted: errno " + -len);
        craftOut.get(0, out, 0, len);
        return len;
    }

    /** For links that do not go through the shim (tests): what the shim writes back after a send. */
    public void setSendTimestamp(int i, long realtimeNsOrMinusErrno) {
        buf.putLong(i * PROBE_SIZE + PROBE_TS, realtimeNsOrMinusErrno);
    }

    /** Made on first use, so batches filled for fake links never load the native library. */
    NativeBuffer nativeView() {
        NativeBuffer v = view;
        if (v == null) view = v = NativeLoader.lib().wrap(buf);
        return v;
    }

    ByteBuffer buffer() {
        return buf;
    }
}
