package io.synprobe.handshake;

import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.probe.HandshakeModule.Connection;
import io.synprobe.result.Handshake;
import io.synprobe.result.Reason;
import io.synprobe.runtime.FollowUps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections of a full-handshake run that are in flight, for a schedule to delegate to: it opens one per
 * SYN-ACK that answers a probe, hands it every packet the classifier ties to it, expires it at its deadline, and
 * reports each ended connection once ({@link Done}), outside its own lock, so a schedule may hold its own lock
 * while calling in. Packets go out through the runtime's {@link FollowUps}. State exists only for connections in
 * flight (full handshakes are for small scans and pings), plus the ids of the probes that had one.
 */
public final class HandshakeSessions implements FollowUps.Listener {
    /** Told once per connection, when it has ended (or could not be made). */
    public interface Done {
        void finished(long probe, Handshake outcome) throws Exception;
    }

    /** Packets per batch of the follow-up queue (it grows by batches when a burst of SYN-ACKs needs more). */
    private static final int QUEUE = 256;
    private static final long MASK32 = 0xffffffffL;

    private final HandshakeModule module;
    private final long timeoutNs;
    private final FollowUps followUps = new FollowUps(QUEUE, this);
    private final Map<Long, Connection> open = new HashMap<>();
    private final Map<Long, Connection> byToken = new HashMap<>();
    /** Probes whose connection ended (the most recent ones: a ping may run for days). */
    private final Set<Long> ended = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > ENDED_KEPT;
        }
    });
    private static final int ENDED_KEPT = 1 << 16;
    private final List<Connection> finished = new ArrayList<>();
    private final List<Connection> due = new ArrayList<>();
    private final Done done;
    private long nextToken;
    /** Made once: a method reference made per packet would cost its bootstrap (tens of ms) on the first reply. */
    private final HandshakeModule.Wire wire = this::send;

    /** @param timeoutNs how long a connection waits for a banner, and then for the server's FIN */
    public HandshakeSessions(HandshakeModule module, long timeoutNs, Done done) {
        this.module = module;
        this.timeoutNs = timeoutNs;
        this.done = done;
        warmUp();
    }

    /**
     * Runs a connection's steps once on nothing, before the run: loading and linking their classes on the first
     * SYN-ACK held its ACK back by tens of milliseconds.
     */
    private void warmUp() {
        HandshakeModule.Wire nowhere = (c, flags, seq, ack, step) -> true;
        Connection c = new Connection(-1, new byte[4], new byte[4], 1, 1, 64, 0, 0);
        module.open(c, nowhere);
        module.sent(c, HandshakeModule.STEP_ACK, 0);
        module.timeout(c, nowhere);
        module.timeout(c, nowhere);
        module.sent(c, HandshakeModule.STEP_LAST, 0);
        Banner.escape(new byte[] {'x', '\r', '\n'});
        Map<Long, Connection> m = new HashMap<>();
        m.put(1L, c);
        m.values().removeIf(x -> x == c);
        new Handshake(true, "", "rst").equals(Handshake.NOT_ESTABLISHED);
    }

    public FollowUps followUps() {
        return followUps;
    }

    public HandshakeModule module() {
        return module;
    }

    /** Whether no connection is in flight (the run may end). */
    public synchronized boolean idle() {
        return open.isEmpty() && finished.isEmpty();
    }

    /** How many connections are in flight. */
    public synchronized int inFlight() {
        return open.size();
    }

    /**
     * A SYN-ACK that answers probe {@code probe} (the schedule has taken it as the probe's answer): complete the
     * connection. local and remote are the probe's addresses (4 or 16 bytes), owned by the session from now on.
     */
    public void open(long probe, Classifier match, DecodedReply r, byte[] local, byte[] remote, int ttl, int cookie)
            throws Exception {
        synchronized (this) {
            Connection c = new Connection(probe, local, remote, match.localPort, r.srcPort, ttl, cookie, r.seq);
            c.deadlineNanos = System.nanoTime() + timeoutNs;
            open.put(probe, c);
            module.open(c, wire);
            collect(c);
        }
        report();
    }

    /**
     * Every packet tied to a probe goes here first: a segment of a connection (data, FIN, the ACK of our FIN), a RST
     * or SYN-ACK of a probe that has or had a connection. Returns true when the packet was taken here (the schedule
     * must not treat it as the probe's answer); a SYN-ACK sent again is both re-acknowledged here and left to the
     * schedule (a duplicate).
     */
    public boolean absorbs(Classifier match, DecodedReply r) throws Exception {
        boolean taken;
        synchronized (this) {
            Connection c = open.get(match.probe);
            if (match.segment) {
                if (c != null && c.localPort == match.localPort && c.remotePort == r.srcPort) {
                    module.segment(c, r, wire);
                    collect(c);
                }
                taken = true;
            } else if (match.reason == Reason.SYN_ACK) {
                if (c != null && c.localPort == match.localPort) {
                    module.synAckAgain(c, wire);
                } else if (c != null || ended.contains(match.probe)) {
                    // a SYN-ACK to another attempt of a connected probe, or after its connection ended: our kernel's
                    // RST would be dropped by the guard, so we reset that half-open connection ourselves
                    resetHalfOpen(match, r);
                }
                taken = false;
            } else if (match.reason == Reason.RESET && (c != null || ended.contains(match.probe))) {
                if (c != null && c.localPort == match.localPort) {
                    module.segment(c, r, wire);
                    collect(c);
                }
                taken = true;
            } else {
                taken = false;
            }
        }
        report();
        return taken;
    }

    /** A late or repeated SYN-ACK that opens no connection of ours: answer it with the RST our kernel would send. */
    public synchronized void resetHalfOpen(Classifier match, DecodedReply r) {
        if (r.family == 4) {
            byte[] local = ip4(r.dstLo), remote = ip4(r.srcLo);
            followUps.add(local, remote, match.localPort, r.srcPort, r.ack, 0, HandshakeModule.RST, 64, 0, -1);
        } else {
            byte[] local = ip6(r.dstHi, r.dstLo), remote = ip6(r.srcHi, r.srcLo);
            followUps.add(local, remote, match.localPort, r.srcPort, r.ack, 0, HandshakeModule.RST, 64, 0, -1);
        }
    }

    /** Sender thread: connections whose deadline passed move on (close without a banner, or give up the FIN). */
    public void expire(long nowNanos) throws Exception {
        synchronized (this) {
            if (open.isEmpty()) return;
            due.clear();
            due.addAll(open.values());
            for (Connection c : due) {
                if (nowNanos - c.deadlineNanos < 0) continue;
                module.timeout(c, wire);
                c.deadlineNanos = nowNanos + timeoutNs;
                collect(c);
            }
        }
        report();
    }

    /** A stop was asked: close every connection in flight now (RST), without waiting for banners. */
    public void closeAll(long nowNanos) throws Exception {
        synchronized (this) {
            for (Connection c : open.values()) c.deadlineNanos = nowNanos;
        }
        expire(nowNanos);
    }

    /** After the run: whatever is still open ends as it stands (its last packet could not be sent any more). */
    public void abandon() throws Exception {
        synchronized (this) {
            for (Connection c : open.values()) {
                if (c.close == null) c.close = "interrupted";
                c.state = HandshakeModule.State.DONE;
                finished.add(c);
            }
            open.clear();
            byToken.clear();
        }
        report();
    }

    @Override
    public void followUpSent(long token, long realtimeNsOrMinusErrno) {
        if (token < 0) return;
        try {
            synchronized (this) {
                Connection c = byToken.remove(token);
                if (c == null) return;
                module.sent(c, (int) (token & 3), realtimeNsOrMinusErrno);
                collect(c);
            }
            report();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Called under the lock by the module: queue one packet of connection c. */
    private boolean send(Connection c, int flags, long seq, long ack, int step) {
        long token = (nextToken++ << 2) | step;
        boolean ok = followUps.add(c.local, c.remote, c.localPort, c.remotePort, seq & MASK32, ack & MASK32, flags, c.ttl,
                1024, token);
        if (ok) byToken.put(token, c);
        return ok;
    }

    private void collect(Connection c) {
        if (c.state != HandshakeModule.State.DONE || open.get(c.probe) != c) return;
        open.remove(c.probe);
        ended.add(c.probe);
        byToken.values().removeIf(x -> x == c);
        finished.add(c);
    }

    private void report() throws Exception {
        while (true) {
            Connection c;
            synchronized (this) {
                if (finished.isEmpty()) return;
                c = finished.remove(0);
            }
            String banner = c.banner == null ? null : Banner.escape(c.banner);
            done.finished(c.probe, new Handshake(c.established, module.banner() ? banner : null,
                    c.established ? c.close : null));
        }
    }

    private static byte[] ip4(long lo) {
        return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
    }

    private static byte[] ip6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
