package io.synprobe.packet;

import java.nio.ByteBuffer;

/**
 * One received packet, decoded in place. A single instance is reused for every packet of the receive loop, so
 * decoding allocates nothing; {@link #decode} never throws, whatever the bytes. Addresses are (hi, lo) pairs as
 * in {@link io.synprobe.target.Ip}.
 */
public final class DecodedReply {
    public enum Kind { INVALID, TCP, ICMP_UNREACHABLE, ICMP_TIME_EXCEEDED }

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    private static final int PROTO_TCP = 6, PROTO_ICMP = 1, PROTO_ICMPV6 = 58;

    public Kind kind = Kind.INVALID;
    public int family;
    public long srcHi, srcLo, dstHi, dstLo;
    public int ttl;
    // TCP reply
    public int srcPort, dstPort, flags, window;
    public long seq, ack;
    /** The TCP payload (a banner): where it starts in {@link #buffer} and how many bytes it has (0: none). */
    public int payloadOffset, payloadLength;
    /** The buffer the last packet was decoded from (not copied). */
    public ByteBuffer buffer;
    // ICMP error: type/code as sent, and the TCP probe it quotes
    public int icmpType, icmpCode;
    public long quotedSrcHi, quotedSrcLo, quotedDstHi, quotedDstLo;
    public int quotedSrcPort, quotedDstPort;
    public long quotedSeq;
    /** Why the last packet was INVALID, for counters and tests. */
    public String invalidWhy;

    /**
     * @param off  where the IP header starts
     * @param len  bytes available from off
     * @param wireLen the packet's length on the wire (more than len when the capture was cut)
     */
    public Kind decode(ByteBuffer b, int off, int len, int wireLen) {
        kind = Kind.INVALID;
        invalidWhy = null;
        buffer = b;
        payloadOffset = 0;
        payloadLength = 0;
        if (off < 0 || len < 1 || len > b.limit() - off) return invalid("bounds"); // no int overflow
        int version = (b.get(off) & 0xff) >>> 4;
        if (version == 4) return decode4(b, off, len, wireLen);
        if (version == 6) return decode6(b, off, len, wireLen);
        return invalid("ip version");
    }

    private Kind decode4(ByteBuffer b, int off, int len, int wireLen) {
        if (len < 20) return invalid("short ipv4");
        int ihl = (b.get(off) & 0x0f) * 4;
        int total = b.getShort(off + 2) & 0xffff;
        if (ihl < 20 || ihl > len) return invalid("ihl");
        if (total < ihl || total > wireLen) return invalid("ipv4 total length");
        if ((b.getShort(off + 6) & 0x3fff) != 0) return invalid("fragment"); // MF or an offset
        if (Checksums.ipv4Header(b, off, ihl) != 0) return invalid("ipv4 checksum");
        family = 4;
        ttl = b.get(off + 8) & 0xff;
        srcHi = 0;
        srcLo = b.getInt(off + 12) & 0xffffffffL;
        dstHi = 0;
        dstLo = b.getInt(off + 16) & 0xffffffffL;
        int proto = b.get(off + 9) & 0xff;
        int l4 = off + ihl;
        int l4len = Math.min(total, len) - ihl;
        boolean complete = total <= len;
        if (proto == PROTO_TCP) {
            if (!complete) return invalid("truncated tcp");
            if (!tcp(b, l4, total - ihl)) return kind;
            if (Checksums.tcpIpv4(b, off) != 0 && !offloaded(b, off + 12, 4, l4, total - ihl)) return invalid("tcp checksum");
            return kind = Kind.TCP;
        }
        if (proto == PROTO_ICMP) {
            if (l4len < 8) return invalid("short icmp");
            if (complete && Checksums.fold(Checksums.sum(b, l4, total - ihl, 0)) != 0) return invalid("icmp checksum");
            int type = b.get(l4) & 0xff;
            icmpType = type;
            icmpCode = b.get(l4 + 1) & 0xff;
            if (type != 3 && type != 11) return invalid("icmp type");
            if (!quoted4(b, l4 + 8, l4len - 8)) return kind;
            return kind = type == 3 ? Kind.ICMP_UNREACHABLE : Kind.ICMP_TIME_EXCEEDED;
        }
        return invalid("protocol");
    }

    private Kind decode6(ByteBuffer b, int off, int len, int wireLen) {
        if (len < 40) return invalid("short ipv6");
        int payload = b.getShort(off + 4) & 0xffff;
        if (40 + payload > wireLen) return invalid("ipv6 payload length");
        family = 6;
        ttl = b.get(off + 7) & 0xff;
        srcHi = b.getLong(off + 8);
        srcLo = b.getLong(off + 16);
        dstHi = b.getLong(off + 24);
        dstLo = b.getLong(off + 32);
        int next = b.get(off + 6) & 0xff;
        int l4 = off + 40;
        int l4len = Math.min(40 + payload, len) - 40;
        boolean complete = 40 + payload <= len;
        if (next == PROTO_TCP) {
            if (!complete) return invalid("truncated tcp");
            if (!tcp(b, l4, payload)) return kind;
            if (Checksums.tcpIpv6(b, off) != 0 && !offloaded(b, off + 8, 16, l4, payload)) return invalid("tcp checksum");
            return kind = Kind.TCP;
        }
        if (next == PROTO_ICMPV6) {
            // the kernel verifies ICMPv6 checksums before raw delivery
            if (l4len < 8) return invalid("short icmpv6");
            int type = b.get(l4) & 0xff;
            icmpType = type;
            icmpCode = b.get(l4 + 1) & 0xff;
            if (type != 1 && type != 3) return invalid("icmpv6 type");
            if (!quoted6(b, l4 + 8, l4len - 8)) return kind;
            return kind = type == 1 ? Kind.ICMP_UNREACHABLE : Kind.ICMP_TIME_EXCEEDED;
        }
        return invalid("next header");
    }

    /**
     * Segments sent over loopback or veth with checksum offload reach raw sockets before any checksum is
     * computed: the field then holds only the pseudo-header sum. Accept exactly that, nothing else.
     */
    private static boolean offloaded(ByteBuffer b, int addrOff, int addrLen, int tcpOff, int tcpLen) {
        int pseudo = Checksums.sum(b, addrOff, 2 * addrLen, PROTO_TCP + tcpLen);
        int partial = ~Checksums.fold(pseudo) & 0xffff;
        return (b.getShort(tcpOff + 16) & 0xffff) == partial;
    }

    private boolean tcp(ByteBuffer b, int p, int len) {
        if (len < 20) {
            invalid("short tcp");
            return false;
        }
        int dataOff = ((b.get(p + 12) & 0xff) >>> 4) * 4;
        if (dataOff < 20 || dataOff > len) {
            invalid("tcp data offset");
            return false;
        }
        srcPort = b.getShort(p) & 0xffff;
        dstPort = b.getShort(p + 2) & 0xffff;
        seq = b.getInt(p + 4) & 0xffffffffL;
        ack = b.getInt(p + 8) & 0xffffffffL;
        flags = b.get(p + 13) & 0xff;
        window = b.getShort(p + 14) & 0xffff;
        payloadOffset = p + dataOff;
        payloadLength = len - dataOff;
        return true;
    }

    /** The IPv4 header and first 8 bytes of the TCP probe an ICMP error quotes. */
    private boolean quoted4(ByteBuffer b, int q, int len) {
        if (len < 20) return quoteInvalid("short quote");
        if (((b.get(q) & 0xff) >>> 4) != 4) return quoteInvalid("quoted version");
        int ihl = (b.get(q) & 0x0f) * 4;
        if (ihl < 20 || ihl + 8 > len) return quoteInvalid("short quote");
        if ((b.get(q + 9) & 0xff) != PROTO_TCP) return quoteInvalid("quoted protocol");
        quotedSrcHi = 0;
        quotedSrcLo = b.getInt(q + 12) & 0xffffffffL;
        quotedDstHi = 0;
        quotedDstLo = b.getInt(q + 16) & 0xffffffffL;
        quotedSrcPort = b.getShort(q + ihl) & 0xffff;
        quotedDstPort = b.getShort(q + ihl + 2) & 0xffff;
        quotedSeq = b.getInt(q + ihl + 4) & 0xffffffffL;
        return true;
    }

    private boolean quoted6(ByteBuffer b, int q, int len) {
        if (len < 48) return quoteInvalid("short quote");
        if (((b.get(q) & 0xff) >>> 4) != 6) return quoteInvalid("quoted version");
        // synprobe sends no extension headers, so the quoted next header must be TCP itself
        if ((b.get(q + 6) & 0xff) != PROTO_TCP) return quoteInvalid("quoted protocol");
        quotedSrcHi = b.getLong(q + 8);
        quotedSrcLo = b.getLong(q + 16);
        quotedDstHi = b.getLong(q + 24);
        quotedDstLo = b.getLong(q + 32);
        quotedSrcPort = b.getShort(q + 40) & 0xffff;
        quotedDstPort = b.getShort(q + 42) & 0xffff;
        quotedSeq = b.getInt(q + 44) & 0xffffffffL;
        return true;
    }

    private boolean quoteInvalid(String why) {
        invalid(why);
        return false;
    }

    private Kind invalid(String why) {
        invalidWhy = why;
        return kind = Kind.INVALID;
    }

    public boolean isSynAck() {
        return (flags & (SYN | ACK | RST)) == (SYN | ACK);
    }

    public boolean isRst() {
        return (flags & RST) != 0;
    }

    public boolean isFin() {
        return (flags & FIN) != 0;
    }

    /** Copies up to max bytes of the TCP payload into out; returns how many. */
    public int copyPayload(byte[] out, int max) {
        int n = Math.min(Math.min(payloadLength, max), out.length);
        if (n > 0) buffer.get(payloadOffset, out, 0, n);
        return n;
    }

    public boolean isBareSyn() {
        return (flags & (SYN | ACK | RST)) == SYN;
    }
}
