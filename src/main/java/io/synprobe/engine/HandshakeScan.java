package io.synprobe.engine;

import io.synprobe.handshake.HandshakeSessions;
import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.result.Handshake;
import io.synprobe.result.Reason;
import io.synprobe.runtime.FollowUps;
import io.synprobe.target.Ip;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a scan with --handshake full adds to its schedule: an open port's result waits until the connection its
 * SYN-ACK opened has ended, and then carries what came of it. The schedule calls in at four places (fill, answered,
 * followUps, end); the output asks {@link #outcome} for each result.
 */
final class HandshakeScan {
    private final HandshakeSessions sessions;
    private final ScanOutput output;
    private final int ttl;
    private final Map<Long, Long> waiting = new ConcurrentHashMap<>();
    private final Map<Long, Handshake> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong absorbed = new AtomicLong();
    private boolean closedAll;

    HandshakeScan(HandshakeModule module, long timeoutNs, ScanOutput output, int ttl) {
        this.sessions = new HandshakeSessions(module, timeoutNs, this::ended);
        this.output = output;
        this.ttl = ttl;
    }

    FollowUps followUps() {
        return sessions.followUps();
    }

    /** Packets of connections (not answers to probes) the classifier matched: not counted as replies. */
    long absorbed() {
        return absorbed.get();
    }

    /** Sender thread, each fill: deadlines, and on a stop every connection closed at once. */
    void tick(long now, boolean stopping) throws Exception {
        if (stopping && !closedAll) {
            closedAll = true;
            sessions.closeAll(now);
        } else {
            sessions.expire(now);
        }
    }

    boolean idle() {
        return sessions.idle();
    }

    /** Receiver thread, before the schedule looks at a packet: true when it belongs to a connection. */
    boolean absorbs(Classifier match, DecodedReply r) throws Exception {
        boolean taken = sessions.absorbs(match, r);
        if (taken) absorbed.incrementAndGet();
        return taken;
    }

    /** The probe's first answer: a SYN-ACK opens a connection and its result waits for it (true). */
    boolean opens(long probe, Classifier match, DecodedReply r, long packedResult) throws Exception {
        if (match.reason != Reason.SYN_ACK) return false;
        byte[] local = new byte[r.family == 4 ? 4 : 16], remote = new byte[local.length];
        Ip.write(r.family, r.dstHi, r.dstLo, local);
        Ip.write(r.family, r.srcHi, r.srcLo, remote);
        waiting.put(probe, packedResult);
        sessions.open(probe, match, r, local, remote, ttl, (int) (r.ack - 1));
        return true;
    }

    private void ended(long probe, Handshake outcome) {
        Long packed = waiting.remove(probe);
        if (packed == null) return;
        outcomes.put(probe, outcome);
        output.put(probe, packed);
    }

    /** After the run: connections still open end as they stand, and their results go out. */
    void abandon() throws Exception {
        sessions.abandon();
    }

    /** For the output: what came of the probe's connection (none unless its SYN-ACK opened one). */
    Handshake outcome(long probe) {
        Handshake h = outcomes.remove(probe);
        return h == null ? Handshake.NOT_ESTABLISHED : h;
    }
}
