package io.synprobe.engine;

/**
 * Probes awaiting an answer, in the order they were sent (so the head is always the oldest): probe index,
 * send time (nanoTime) and attempt, in parallel primitive arrays that grow only when the window widens.
 */
final class OutstandingRing {
    private long[] index;
    private long[] sentAt;
    private byte[] attempt;
    private int head;
    private int size;

    OutstandingRing(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
        index = new long[cap];
        sentAt = new long[cap];
        attempt = new byte[cap];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(long probe, long nanos, int att) {
        if (size == index.length) grow();
        int i = (head + size) & (index.length - 1);
        index[i] = probe;
        sentAt[i] = nanos;
        attempt[i] = (byte) att;
        size++;
    }

    long headIndex() {
        return index[head];
    }

    long headSentAt() {
        return sentAt[head];
    }

    int headAttempt() {
        return attempt[head];
    }

    void pop() {
        head = (head + 1) & (index.length - 1);
        size--;
    }

    private void grow() {
        int cap = index.length;
        long[] ni = new long[cap * 2];
        long[] ns = new long[cap * 2];
        byte[] na = new byte[cap * 2];
        for (int k = 0; k < size; k++) {
            int j = (head + k) & (cap - 1);
            ni[k] = index[j];
            ns[k] = sentAt[j];
            na[k] = attempt[j];
        }
        index = ni;
        sentAt = ns;
        attempt = na;
        head = 0;
    }
}
