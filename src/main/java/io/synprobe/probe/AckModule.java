package io.synprobe.probe;

import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.packet.DecodedReply;
import io.synprobe.result.Reason;

/**
 * The ACK probe (nmap -sA): a bare ACK that no connection expects. Any host answers it with a RST whose sequence
 * number is our acknowledgment number, so a RST that echoes the cookie proves nothing filtered the port
 * (unfiltered); silence or an ICMP error means a firewall kept it (filtered). It maps which ports a stateful
 * firewall guards; it cannot tell open from closed.
 */
public final class AckModule implements ProbeModule {
    public static final AckModule INSTANCE = new AckModule();
    private static final int ACK = 0x10;
    private static final int WINDOW = 1024;

    private AckModule() {
    }

    @Override
    public String name() {
        return "ack";
    }

    @Override
    public int add(ProbeBatch batch, byte[] src, byte[] dst, int sport, int dport, int cookie, int ttl, int ipId) {
        return batch.add(src, dst, sport, dport, cookie, cookie, ACK, ttl, ipId, WINDOW, 0);
    }

    @Override
    public Reason classifyTcp(DecodedReply r, int cookie) {
        if (!r.isRst() || r.seq != (cookie & 0xffffffffL)) return null;
        return Reason.UNFILTERED_RESET;
    }
}
