package io.synprobe.runtime;

import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;

/**
 * What a kind of run does on the {@link ProbeRuntime}: which probe goes next, when to retransmit or give up, and
 * what to make of a reply. fill, beforeSend, sent and sendFailed run on the sender thread; answered on the receiver
 * thread; the probe index's methods on the receiver thread too. A schedule that shares state between the two keeps
 * it thread-safe.
 */
public interface Schedule {
    /** fill's answer when every probe is final and nothing more will be sent. */
    long NOTHING_LEFT = -1;

    /** Which of this schedule's probes a reply may answer: what the classifier asks. */
    Classifier.ProbeIndex index();

    /** The most probes one send call takes. */
    int batchLimit();

    /** Probes per second over the run; 0 for as fast as the link takes them. */
    default double ratePps() {
        return 0;
    }

    /** First and last local port of the run's probes: the link passes only TCP replies to these up. */
    int firstLocalPort();

    int lastLocalPort();

    /**
     * Adds the probes due now (retransmissions and new ones). Every reply that reached the host before
     * {@code drainedUpToNanos} (System.nanoTime) has already been handed to {@link #answered}: give up on a
     * probe only when its deadline lies before that instant, never by the sender's clock alone.
     *
     * @param stopping a graceful stop was asked: add no new probes, let those in flight finish
     * @return when nothing was added, nanoseconds until something may be due, or {@link #NOTHING_LEFT}
     */
    long fill(Outbox out, long nowNanos, long drainedUpToNanos, boolean stopping) throws Exception;

    /** Just before the batch is handed to the kernel (a reply may be matched before the send call returns). */
    default void beforeSend(Outbox out, long nowNanos) {
    }

    /** Probe {@code slot} of the batch left; realtimeNs is its transmit time on the kernel's clock. */
    void sent(Outbox out, int slot, long realtimeNs) throws Exception;

    /** The local kernel refused probe {@code slot}: it never reached the wire. */
    void sendFailed(Outbox out, int slot, int errno) throws Exception;

    /** A packet the classifier tied to one of this schedule's probes, with its kernel receive time. */
    void answered(Classifier match, DecodedReply reply, long realtimeNs) throws Exception;

    /**
     * Packets the schedule sends in answer to replies (a full handshake's ACK, RST or FIN): the runtime sends them
     * before any new probe. Null (the default) for schedules that only probe.
     */
    default FollowUps followUps() {
        return null;
    }

    /** How long a graceful stop waits for the answers to probes in flight. */
    long drainNanos();

    /** After both loops ended: the run finished, was stopped, or failed. */
    void end(boolean stopped) throws Exception;
}
