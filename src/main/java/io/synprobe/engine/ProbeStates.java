package io.synprobe.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One int per probe, shared by the send and receive threads: bit 31 = final (answered or given up), bits 27-30 =
 * attempt of the last transmission, bit 26 = sent at least once, bits 0-25 = send time in microseconds since the
 * scan began (mod 2^26, about 67 s, far beyond any timeout). Four bytes per probe, whatever the outcome.
 */
final class ProbeStates {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    static final int FINAL = 1 << 31;
    static final int SENT = 1 << 26;
    private static final int TIME_MASK = (1 << 26) - 1;

    private final int[] states;

    ProbeStates(int probes) {
        states = new int[probes];
    }

    static int attempt(int v) {
        return (v >>> 27) & 0xf;
    }

    static int timeUs(int v) {
        return v & TIME_MASK;
    }

    /** Time since sentUs, or 0 when the clocks put the reply a hair before the send. */
    static long elapsedUs(int sentUs, long nowUs) {
        long d = (nowUs - sentUs) & TIME_MASK;
        return d > TIME_MASK / 2 ? 0 : d;
    }

    int get(long probe) {
        return (int) INTS.getVolatile(states, (int) probe);
    }

    boolean wasSent(long probe) {
        return (get(probe) & SENT) != 0;
    }

    boolean isFinal(long probe) {
        return (get(probe) & FINAL) != 0;
    }

    /** Records a transmission unless the probe is already final. */
    boolean markSent(long probe, int attempt, long timeUs) {
        int i = (int) probe;
        int next = (attempt << 27) | SENT | (int) (timeUs & TIME_MASK);
        while (true) {
            int v = (int) INTS.getVolatile(states, i);
            if ((v & FINAL) != 0) return false;
            if (INTS.compareAndSet(states, i, v, next)) return true;
        }
    }

    /** Corrects the send time of an attempt once the kernel reported when it really left. */
    void refineSendTime(long probe, int attempt, long timeUs) {
        int i = (int) probe;
        int v = (int) INTS.getVolatile(states, i);
        if ((v & FINAL) == 0 && attempt(v) == attempt) {
            INTS.compareAndSet(states, i, v, (attempt << 27) | SENT | (int) (timeUs & TIME_MASK));
        }
    }

    /**
     * Makes the probe final. Exactly one caller wins for each probe.
     *
     * @return the state before (FINAL bit clear), or -1 when it was already final
     */
    int finish(long probe) {
        int i = (int) probe;
        while (true) {
            int v = (int) INTS.getVolatile(states, i);
            if ((v & FINAL) != 0) return -1;
            if (INTS.compareAndSet(states, i, v, v | FINAL)) return v;
        }
    }
}
