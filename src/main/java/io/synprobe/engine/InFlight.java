package io.synprobe.engine;

/**
 * The probes of a scan that are in flight: sent and neither answered, given up nor handed over for a resume. A
 * ring in send order (so the head is always the oldest) and an open-addressing index from probe number to ring
 * slot, so the receiver finds a reply's probe without allocating. Nothing is kept for a probe outside it: a reply
 * to a probe that is not in flight (answered already, given up, never sent) is a duplicate or late, and ignored.
 *
 * <p>Per entry: the probe number with its attempt and a live flag (8 bytes), its send time for the RTT in
 * microseconds (4), its timeout base in milliseconds rounded up (4), and an index slot at most half full (8): 24
 * bytes. The capacity is fixed (see {@link MemoryBudget}); when it is full, no new probe goes out until one
 * leaves (the scan slows down instead of growing).
 *
 * <p>Threads: only the sender inserts, removes and moves entries; the receiver looks entries up and clears their
 * live flag. Every access to the arrays happens under this object's monitor, taken once per batch by the sender
 * and once per matched reply by the receiver (a monitor, not a java.util.concurrent lock: contended, it allocates
 * nothing on the Java heap, which the hot-loop allocation test checks).
 *
 * <p>Retransmission: the sender pops a timed-out head entry (its index slot still points at it) and inserts the
 * next attempt at the tail before the batch leaves; the insert reads the old entry before anything can overwrite
 * it and moves the index to the new slot, carrying over "answered meanwhile". Inserts reach a popped slot only
 * after that slot's own probe was re-inserted (or it is the very slot re-inserted), so the index never points at
 * another probe's entry.
 */
final class InFlight {
    /** Bytes an entry costs: 16 in the ring, 8 in the index. */
    static final int BYTES_PER_ENTRY = 24;

    static final long PROBE_MASK = (1L << 48) - 1;
    private static final int ATTEMPT_SHIFT = 48;
    private static final long LIVE = 1L << 52;

    private final long[] key;
    private final int[] sendUs;
    private final int[] baseMs;
    private final int[] index; // ring slot + 1; 0 = empty
    private int head;
    private int size;

    /** Allocated once, at its full size: nothing grows or becomes garbage while the scan runs. */
    InFlight(int capacity) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity);
        key = new long[capacity];
        sendUs = new int[capacity];
        baseMs = new int[capacity];
        index = new int[capacity * 2];
    }

    static long probe(long k) {
        return k & PROBE_MASK;
    }

    static int attempt(long k) {
        return (int) (k >>> ATTEMPT_SHIFT) & 0xf;
    }

    static boolean live(long k) {
        return (k & LIVE) != 0;
    }

    // ------------------------------------------------------------------- callers hold the monitor from here on

    int size() {
        return size;
    }

    int capacity() {
        return key.length;
    }

    /** Entries that fit now. */
    int room() {
        return key.length - size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int headSlot() {
        return head;
    }

    long key(int slot) {
        return key[slot];
    }

    int baseMs(int slot) {
        return baseMs[slot];
    }

    /** Whether the index leads to this slot (not so for an entry a second insert of its probe superseded). */
    boolean owns(int slot) {
        return find(probe(key[slot])) == slot;
    }

    /** Drops the head from the ring; its index slot stays (a retransmission moves it on insert). */
    void popKeepIndex() {
        head = (head + 1) & (key.length - 1);
        size--;
    }

    /** Drops the head from the ring and from the index. */
    void popAndForget() {
        int slot = head;
        removeIndex(probe(key[slot]), slot);
        popKeepIndex();
    }

    /** The ring slot the next insert takes. */
    int tailSlot() {
        return (head + size) & (key.length - 1);
    }

    /**
     * Appends an attempt of a probe. A probe already in the index (popped for this retransmission) keeps its
     * verdict: answered meanwhile, the new attempt is not live either.
     */
    int insert(long probe, int attempt, int sendTimeUs, int timeoutBaseMs) {
        int slot = tailSlot();
        int at = findIndexPosition(probe);
        boolean live = true;
        if (at >= 0) {
            live = live(key[index[at] - 1]);
            index[at] = slot + 1;
        } else {
            putIndex(probe, slot);
        }
        key[slot] = probe | ((long) attempt << ATTEMPT_SHIFT) | (live ? LIVE : 0);
        sendUs[slot] = sendTimeUs;
        baseMs[slot] = timeoutBaseMs;
        size++;
        return slot;
    }

    void setTimes(int slot, int sendTimeUs, int timeoutBaseMs) {
        sendUs[slot] = sendTimeUs;
        baseMs[slot] = timeoutBaseMs;
    }

    void setTimeoutBase(int slot, int timeoutBaseMs) {
        baseMs[slot] = timeoutBaseMs;
    }

    /** Clears the live flag of a slot; true when it was live (the caller's verdict is the one that counts). */
    boolean finishSlot(int slot) {
        long k = key[slot];
        if (!live(k)) return false;
        key[slot] = k & ~LIVE;
        return true;
    }

    boolean isLive(long probe) {
        int slot = find(probe);
        return slot >= 0 && live(key[slot]);
    }

    /**
     * The first answer for a probe in flight: clears its live flag and returns attempt << 32 | send time (us,
     * unsigned 32 bits); -1 when the probe is not in flight (a duplicate, a late reply, never sent).
     */
    long answer(long probe) {
        int slot = find(probe);
        if (slot < 0) return -1;
        long k = key[slot];
        if (!live(k)) return -1;
        key[slot] = k & ~LIVE;
        return ((long) attempt(k) << 32) | (sendUs[slot] & 0xffffffffL);
    }

    // ---------------------------------------------------------------------------------------------- the index

    private int home(long probe, int mask) {
        return (int) ((probe * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    int find(long probe) {
        int at = findIndexPosition(probe);
        return at < 0 ? -1 : index[at] - 1;
    }

    private int findIndexPosition(long probe) {
        int mask = index.length - 1;
        for (int i = home(probe, mask); index[i] != 0; i = (i + 1) & mask) {
            if (probe(key[index[i] - 1]) == probe) return i;
        }
        return -1;
    }

    private void putIndex(long probe, int slot) {
        int mask = index.length - 1;
        int i = home(probe, mask);
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = slot + 1;
    }

    private void removeIndex(long probe, int slot) {
        int mask = index.length - 1;
        int i = home(probe, mask);
        while (index[i] != 0 && index[i] != slot + 1) i = (i + 1) & mask;
        if (index[i] == 0) return;
        index[i] = 0;
        // backward-shift deletion: every remaining key stays reachable from its home without tombstones
        for (int gap = i, j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int h = home(probe(key[index[j] - 1]), mask);
            if (((j - h) & mask) >= ((j - gap) & mask)) {
                index[gap] = index[j];
                index[j] = 0;
                gap = j;
            }
        }
    }
}
