package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packets filled in by one sp_recv_batch call: fixed-size slots, each holding an IP packet (for IPv6, a header
 * rebuilt by the shim from ancillary data) and the kernel's receive timestamp. Reused for every batch.
 */
public final class ReplyBatch {
    private final ByteBuffer buf;
    private final ByteBuffer packets;
    private NativeBuffer view;
    private final int capacity;
    private int size;

    public ReplyBatch(int capacity) {
        if (capacity < 1 || capacity > MAX_BATCH) throw new IllegalArgumentException("batch size " + capacity);
        this.capacity = capacity;
        this.buf = ByteBuffer.allocateDirect(capacity * SLOT_SIZE).order(ByteOrder.nativeOrder());
        this.packets = buf.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    /**
     * For links that do not go through the shim (tests): stores an IP packet (header first) in slot i as the shim
     * would, and makes the batch i + 1 packets long.
     */
    public void put(int i, byte[] ipPacket, long realtimeNs) {
        int o = i * SLOT_SIZE;
        int len = Math.min(ipPacket.length, SLOT_SIZE - 56);
        buf.putShort(o + SLOT_PKT_OFF, (short) 56);
        buf.putShort(o + SLOT_PKT_LEN, (short) len);
        buf.putShort(o + SLOT_WIRE_LEN, (short) ipPacket.length);
        buf.put(o + SLOT_FAMILY, (byte) ((ipPacket[0] >> 4) & 0xf));
        buf.putLong(o + SLOT_TS, realtimeNs);
        buf.put(o + 56, ipPacket, 0, len);
        size = i + 1;
    }

    void setSize(int size) {
        this.size = size;
    }

    /** The whole slot area in network byte order; packet i starts at {@link #packetOffset(int)}, IP header first. */
    public ByteBuffer packets() {
        return packets;
    }

    public int packetOffset(int i) {
        return i * SLOT_SIZE + (buf.getShort(i * SLOT_SIZE + SLOT_PKT_OFF) & 0xffff);
    }

    public int packetLength(int i) {
        return buf.getShort(i * SLOT_SIZE + SLOT_PKT_LEN) & 0xffff;
    }

    public int wireLength(int i) {
        return buf.getShort(i * SLOT_SIZE + SLOT_WIRE_LEN) & 0xffff;
    }

    public int family(int i) {
        return buf.get(i * SLOT_SIZE + SLOT_FAMILY);
    }

    /** CLOCK_REALTIME nanoseconds at which the kernel received the packet. */
    public long timestamp(int i) {
        return buf.getLong(i * SLOT_SIZE + SLOT_TS);
    }

    NativeBuffer nativeView() {
        NativeBuffer v = view;
        if (v == null) view = v = NativeLoader.lib().wrap(buf);
        return v;
    }
}
