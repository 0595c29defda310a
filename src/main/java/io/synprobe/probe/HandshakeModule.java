package io.synprobe.probe;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.Reason;

/**
 * The full handshake (--handshake full): the SYN probe of {@link SynModule}, and what follows its SYN-ACK. Our ACK
 * completes the connection (seq = cookie + 1, ack = the server's ISN + 1); then, with a banner asked for, the
 * first bytes the server sends are taken and acknowledged; then the connection is closed with a RST (seq = cookie
 * + 1) or a FIN exchange (our FIN+ACK, the server's FIN acknowledged). Each {@link Connection} is the state of one
 * such connection; this class decides what a packet on it means and which packet goes out next, through a
 * {@link Wire}. Packets after the SYN-ACK count only when their acknowledgment covers our cookie: cookie + 1 (no
 * data of ours) or cookie + 2 (our FIN).
 */
public final class HandshakeModule implements ProbeModule {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    /** Our receive window in every follow-up: room for a banner and more. */
    static final int WINDOW = 1024;
    private static final long MASK32 = 0xffffffffL;

    /** How we end a connection. */
    public enum Close { RST, FIN }

    /** Where a connection's packets go (the runtime's follow-up queue); false when it has no room. */
    public interface Wire {
        boolean send(Connection c, int flags, long seq, long ack, int step);
    }

    /** Steps of a connection, named in the follow-up tokens so the send result can be told back. */
    public static final int STEP_ACK = 0, STEP_DATA_ACK = 1, STEP_LAST = 2, STEP_FIN = 3;

    public enum State { ESTABLISHING, WAIT_BANNER, FIN_WAIT, CLOSING, DONE }

    /** One connection in flight: its addresses and ports, both sequence spaces, what came of it. */
    public static final class Connection {
        public final long probe;
        public final byte[] local, remote;
        public final int localPort, remotePort, ttl;
        final long iss;       // our SYN's sequence number: the cookie
        long rcvNxt;          // the next byte we expect from the server
        public State state = State.ESTABLISHING;
        public boolean established;
        /** The first bytes of the server's first data segment (at most the banner limit), or null. */
        public byte[] banner;
        /** How the connection ended: rst, fin, fin-timeout, reset-by-peer; or why it never was (the errno). */
        public String close;
        public long deadlineNanos;

        public Connection(long probe, byte[] local, byte[] remote, int localPort, int remotePort, int ttl, int cookie,
                          long serverIsn) {
            this.probe = probe;
            this.local = local;
            this.remote = remote;
            this.localPort = localPort;
            this.remotePort = remotePort;
            this.ttl = ttl;
            this.iss = cookie & MASK32;
            this.rcvNxt = (serverIsn + 1) & MASK32;
        }

        long sndNxt() {
            return (iss + 1) & MASK32;
        }
    }

    private final Close close;
    private final boolean banner;
    private final int bannerMax;

    /** @param banner wait for the server's first bytes before closing; at most bannerMax of them are kept */
    public HandshakeModule(Close close, boolean banner, int bannerMax) {
        this.close = close;
        this.banner = banner;
        this.bannerMax = bannerMax;
    }

    public Close close() {
        return close;
    }

    public boolean banner() {
        return banner;
    }

    @Override
    public String name() {
        return "syn";
    }

    @Override
    public int add(ProbeBatch batch, byte[] src, byte[] dst, int sport, int dport, int cookie, int ttl, int ipId) {
        return SynModule.INSTANCE.add(batch, src, dst, sport, dport, cookie, ttl, ipId);
    }

    @Override
    public Reason classifyTcp(DecodedReply r, int cookie) {
        return SynModule.INSTANCE.classifyTcp(r, cookie);
    }

    @Override
    public boolean acceptsSegment(DecodedReply r, int cookie) {
        if ((r.flags & (SYN | ACK)) != ACK) return false; // no SYN, and an acknowledgment to prove it
        long over = (r.ack - (cookie & MASK32) - 1) & MASK32;
        return over == 0 || over == 1;
    }

    /** The SYN-ACK arrived: complete the connection, and close it at once unless a banner is awaited. */
    public void open(Connection c, Wire wire) {
        if (!wire.send(c, ACK, c.sndNxt(), c.rcvNxt, STEP_ACK)) {
            finish(c, "no-room");
            return;
        }
        if (banner) c.state = State.WAIT_BANNER;
        else closeNow(c, wire);
    }

    /** A resent SYN-ACK of an open connection: our ACK was lost, send it again. */
    public void synAckAgain(Connection c, Wire wire) {
        if (c.state == State.ESTABLISHING || c.state == State.WAIT_BANNER) {
            wire.send(c, ACK, c.sndNxt(), c.rcvNxt, STEP_DATA_ACK);
        }
    }

    /** A packet the classifier tied to this connection (data, FIN, the ACK of our FIN, or a RST). */
    public void segment(Connection c, DecodedReply r, Wire wire) {
        if (c.state == State.DONE) return;
        if (r.isRst()) {
            finish(c, "reset-by-peer");
            return;
        }
        boolean inOrder = r.seq == c.rcvNxt;
        int len = r.payloadLength;
        if (inOrder) {
            if (len > 0 && c.banner == null && (c.state == State.ESTABLISHING || c.state == State.WAIT_BANNER)) {
                c.banner = new byte[Math.min(len, bannerMax)];
                r.copyPayload(c.banner, c.banner.length);
            }
            c.rcvNxt = (c.rcvNxt + len + (r.isFin() ? 1 : 0)) & MASK32;
        }
        boolean news = len > 0 || r.isFin();
        switch (c.state) {
            case ESTABLISHING, WAIT_BANNER -> {
                if (!news) return;
                if (!banner) {
                    // closing already queued; the server's bytes are acknowledged by nothing more
                    return;
                }
                if (close == Close.RST && !wire.send(c, ACK, c.sndNxt(), c.rcvNxt, STEP_DATA_ACK)) {
                    finish(c, "no-room");
                    return;
                }
                closeNow(c, wire);
            }
            case FIN_WAIT -> {
                if (!news) return; // the ACK of our FIN
                if (r.isFin() && inOrder) {
                    if (!wire.send(c, ACK, (c.sndNxt() + 1) & MASK32, c.rcvNxt, STEP_LAST)) finish(c, "no-room");
                    else {
                        c.state = State.CLOSING;
                        c.close = "fin";
                    }
                } else {
                    wire.send(c, ACK, (c.sndNxt() + 1) & MASK32, c.rcvNxt, STEP_DATA_ACK);
                }
            }
            default -> {
            }
        }
    }

    /** The connection's deadline passed: no banner came, or the server did not finish the FIN exchange. */
    public void timeout(Connection c, Wire wire) {
        switch (c.state) {
            case ESTABLISHING, WAIT_BANNER -> closeNow(c, wire);
            case FIN_WAIT -> {
                // our FIN used one sequence number
                if (wire.send(c, RST, (c.sndNxt() + 1) & MASK32, 0, STEP_LAST)) {
                    c.state = State.CLOSING;
                    c.close = "fin-timeout";
                } else {
                    finish(c, "fin-timeout");
                }
            }
            case CLOSING -> finish(c, c.close);
            default -> {
            }
        }
    }

    /** The send result of one of the connection's packets: the ACK establishes it, the last one ends it. */
    public void sent(Connection c, int step, long timestampOrMinusErrno) {
        boolean ok = timestampOrMinusErrno >= 0;
        if (step == STEP_ACK) {
            if (ok) c.established = true;
            else finish(c, "ack-not-sent");
        } else if (step == STEP_LAST && c.state == State.CLOSING) {
            finish(c, ok ? c.close : c.close + "-not-sent");
        }
    }

    private void closeNow(Connection c, Wire wire) {
        if (close == Close.RST) {
            if (wire.send(c, RST, c.sndNxt(), 0, STEP_LAST)) {
                c.state = State.CLOSING;
                c.close = "rst";
            } else {
                finish(c, "no-room");
            }
        } else {
            if (wire.send(c, FIN | ACK, c.sndNxt(), c.rcvNxt, STEP_FIN)) c.state = State.FIN_WAIT;
            else finish(c, "no-room");
        }
    }

    private static void finish(Connection c, String how) {
        c.state = State.DONE;
        if (c.close == null || !c.close.equals(how)) c.close = how;
    }
}
