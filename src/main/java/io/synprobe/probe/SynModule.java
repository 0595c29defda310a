package io.synprobe.probe;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.Reason;

/**
 * The SYN probe (nmap -sS): a SYN-ACK proves the port open and a RST closed, each only when it acknowledges our
 * cookie + 1. A bare SYN (split handshake) carries no acknowledgment; the schedule decides whether to accept it.
 */
public final class SynModule implements ProbeModule {
    public static final SynModule INSTANCE = new SynModule();
    static final int WINDOW = 1024;
    static final int MSS = 1460;

    private SynModule() {
    }

    @Override
    public String name() {
        return "syn";
    }

    @Override
    public int add(ProbeBatch batch, byte[] src, byte[] dst, int sport, int dport, int cookie, int ttl, int ipId) {
        return batch.addSyn(src, dst, sport, dport, cookie, ttl, ipId, WINDOW, MSS);
    }

    @Override
    public Reason classifyTcp(DecodedReply r, int cookie) {
        if (!r.isSynAck() && !r.isRst()) return null;
        if (((r.ack - 1) & 0xffffffffL) != (cookie & 0xffffffffL)) return null;
        return r.isSynAck() ? Reason.SYN_ACK : Reason.RESET;
    }
}
