package io.synprobe.nativeio;

/** Offsets shared with native/synprobe.h; the two files must change together. */
public final class NativeLayout {
    private NativeLayout() {
    }

    public static final int PROBE_SIZE = 64;
    public static final int PROBE_FAMILY = 0;
    public static final int PROBE_TTL = 1;
    public static final int PROBE_FLAGS = 2;
    public static final int PROBE_OPTS = 3;
    public static final int PROBE_SPORT = 4;
    public static final int PROBE_DPORT = 6;
    public static final int PROBE_SEQ = 8;
    public static final int PROBE_ACK = 12;
    public static final int PROBE_IPID = 16;
    public static final int PROBE_WINDOW = 18;
    public static final int PROBE_MSS = 20;
    public static final int PROBE_SRC = 24;
    public static final int PROBE_DST = 40;
    public static final int PROBE_TS = 56;

    public static final int SLOT_SIZE = 2048;
    public static final int SLOT_PKT_OFF = 0;
    public static final int SLOT_PKT_LEN = 2;
    public static final int SLOT_WIRE_LEN = 4;
    public static final int SLOT_FAMILY = 6;
    public static final int SLOT_SOCK = 7;
    public static final int SLOT_TS = 8;

    public static final int MAX_BATCH = 1024;
    public static final int MAX_PACKET = 64;

    public static final int RECV_TCP = 0;
    public static final int RECV_ICMP = 1;
}
