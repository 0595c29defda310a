package io.synprobe.testutil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Builds reply packets the way they reach the decoder: an IP header first (for IPv6 the fixed header the native
 * shim rebuilds in front of the payload), network byte order, correct checksums unless a corruption is asked for.
 * The checksum code here is deliberately independent of {@code io.synprobe.packet.Checksums}, so tests of the
 * decoder do not check the production checksum against itself.
 *
 * <pre>
 * ByteBuffer synAck = Packets.tcp().from("198.18.0.2", 22).to("198.18.0.1", 40000)
 *         .flags(Packets.SYN | Packets.ACK).seq(7).ack(cookie + 1).build();
 * ByteBuffer probe = Packets.probe("198.18.0.1", 40000, "198.18.0.2", 22, cookie);
 * ByteBuffer unreach = Packets.icmp(3, 13).from("198.19.255.1").to("198.18.0.1").quoting(probe).build();
 * </pre>
 */
public final class Packets {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    public static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_ICMPV6 = 58;
    /** IPv4 flags/fragment-offset word: don't fragment, more fragments, offset mask. */
    public static final int DF = 0x4000, MF = 0x2000;

    /** What to put in the TCP checksum field. */
    public enum TcpChecksum {
        /** The correct ones' complement checksum. */
        CORRECT,
        /** The correct checksum with one bit changed (never an equivalent ones' complement value). */
        BAD,
        /** Only the folded, non-complemented pseudo-header sum: what checksum offload leaves for raw sockets. */
        OFFLOADED,
        /** All zero. */
        ZERO
    }

    private Packets() {
    }

    // ------------------------------------------------------------------ addresses

    /** Parses a numeric IPv4 or IPv6 literal (never a host name: no DNS). */
    public static byte[] addr(String literal) {
        if (literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] p = literal.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(p[i]);
                if (v > 255) throw new IllegalArgumentException(literal);
                b[i] = (byte) v;
            }
            return b;
        }
        if (!literal.contains(":") || !literal.matches("[0-9A-Fa-f:]+")) throw new IllegalArgumentException(literal);
        // expand "::" by hand so nothing can ever be looked up
        String[] halves = literal.split("::", -1);
        if (halves.length > 2) throw new IllegalArgumentException(literal);
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length == 1 || halves[1].isEmpty() ? new String[0] : halves[1].split(":");
        if (halves.length == 1 && head.length != 8) throw new IllegalArgumentException(literal);
        if (head.length + tail.length > (halves.length == 1 ? 8 : 7)) throw new IllegalArgumentException(literal);
        byte[] b = new byte[16];
        for (int i = 0; i < head.length; i++) putGroup(b, i, head[i], literal);
        for (int i = 0; i < tail.length; i++) putGroup(b, 8 - tail.length + i, tail[i], literal);
        return b;
    }

    private static void putGroup(byte[] b, int index, String group, String literal) {
        if (group.isEmpty() || group.length() > 4) throw new IllegalArgumentException(literal);
        int v = Integer.parseInt(group, 16);
        b[2 * index] = (byte) (v >>> 8);
        b[2 * index + 1] = (byte) v;
    }

    public static long hi(byte[] a) {
        return a.length == 4 ? 0 : readLong(a, 0);
    }

    public static long lo(byte[] a) {
        return a.length == 4 ? readLong4(a) : readLong(a, 8);
    }

    public static long hi(String literal) {
        return hi(addr(literal));
    }

    public static long lo(String literal) {
        return lo(addr(literal));
    }

    private static long readLong4(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    private static long readLong(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (a[off + i] & 0xffL);
        return v;
    }

    // ------------------------------------------------------------------ entry points

    public static Tcp tcp() {
        return new Tcp();
    }

    /** An ICMP (IPv4) or ICMPv6 error; the family follows the addresses given to from/to. */
    public static Icmp icmp(int type, int code) {
        return new Icmp(type, code);
    }

    /**
     * The SYN probe synprobe sends: from us (src, sport) to the target, sequence number = cookie, an MSS option,
     * TTL 64, correct checksums.
     */
    public static ByteBuffer probe(String src, int sport, String dst, int dport, long seq) {
        return probe(addr(src), sport, addr(dst), dport, seq);
    }

    public static ByteBuffer probe(byte[] src, int sport, byte[] dst, int dport, long seq) {
        return tcp().from(src, sport).to(dst, dport).seq(seq).ack(0).flags(SYN).window(64240).ttl(64)
                .tcpOptions(new byte[] {2, 4, 0x05, (byte) 0xb4}).build();
    }

    // ------------------------------------------------------------------ TCP segments

    public static final class Tcp {
        private byte[] src = addr("198.18.0.2"), dst = addr("198.18.0.1");
        private int sport = 80, dport = 40000;
        private long seq, ack;
        private int flags = SYN | ACK, window = 65535, ttl = 64, ipId = 0x1234, frag = DF;
        private byte[] tcpOptions = new byte[0], ipOptions = new byte[0], payload = new byte[0];
        private Integer versionField, ihlField, lengthField, dataOffsetField, protocolField;
        private boolean badIpChecksum;
        private TcpChecksum tcpChecksum = TcpChecksum.CORRECT;
        private int truncateTo = -1;

        public Tcp from(String address, int port) {
            return from(addr(address), port);
        }

        public Tcp from(byte[] address, int port) {
            src = address.clone();
            sport = port;
            return this;
        }

        public Tcp to(String address, int port) {
            return to(addr(address), port);
        }

        public Tcp to(byte[] address, int port) {
            dst = address.clone();
            dport = port;
            return this;
        }

        public Tcp seq(long v) {
            seq = v & 0xffffffffL;
            return this;
        }

        public Tcp ack(long v) {
            ack = v & 0xffffffffL;
            return this;
        }

        public Tcp flags(int v) {
            flags = v;
            return this;
        }

        public Tcp window(int v) {
            window = v;
            return this;
        }

        /** TTL (IPv4) or hop limit (IPv6). */
        public Tcp ttl(int v) {
            ttl = v;
            return this;
        }

        public Tcp ipId(int v) {
            ipId = v;
            return this;
        }

        /** TCP options, zero padded to a multiple of 4 bytes; the data offset covers them. */
        public Tcp tcpOptions(byte[] v) {
            tcpOptions = pad4(v);
            return this;
        }

        /** IPv4 options, zero padded to a multiple of 4 bytes; the IHL covers them. */
        public Tcp ipOptions(byte[] v) {
            ipOptions = pad4(v);
            return this;
        }

        public Tcp payload(byte[] v) {
            payload = v.clone();
            return this;
        }

        /** The IPv4 flags + fragment offset word (default DF). */
        public Tcp fragmentWord(int v) {
            frag = v;
            return this;
        }

        // corruptions

        /** Overrides the version nibble (checksums are still computed over the header as written). */
        public Tcp versionField(int v) {
            versionField = v;
            return this;
        }

        /** Overrides the IHL nibble (in 32-bit words) without changing the header actually written. */
        public Tcp ihlField(int words) {
            ihlField = words;
            return this;
        }

        /** Overrides the IPv4 total length or IPv6 payload length field. */
        public Tcp lengthField(int v) {
            lengthField = v;
            return this;
        }

        /** Overrides the TCP data offset nibble (in 32-bit words). */
        public Tcp dataOffsetField(int words) {
            dataOffsetField = words;
            return this;
        }

        /** Overrides the IPv4 protocol or IPv6 next header (the segment is still TCP). */
        public Tcp protocolField(int v) {
            protocolField = v;
            return this;
        }

        public Tcp badIpChecksum() {
            badIpChecksum = true;
            return this;
        }

        public Tcp tcpChecksum(TcpChecksum mode) {
            tcpChecksum = mode;
            return this;
        }

        /** Keeps only the first n bytes of the finished packet, as a cut capture would. */
        public Tcp truncateTo(int n) {
            truncateTo = n;
            return this;
        }

        public ByteBuffer build() {
            if (src.length != dst.length) throw new IllegalArgumentException("mixed address families");
            boolean v4 = src.length == 4;
            int optLen = tcpOptions.length;
            int tcpLen = 20 + optLen + payload.length;
            byte[] seg = new byte[tcpLen];
            ByteBuffer t = ByteBuffer.wrap(seg);
            t.putShort(0, (short) sport);
            t.putShort(2, (short) dport);
            t.putInt(4, (int) seq);
            t.putInt(8, (int) ack);
            int dataOff = dataOffsetField != null ? dataOffsetField : (20 + optLen) / 4;
            seg[12] = (byte) ((dataOff & 0xf) << 4);
            seg[13] = (byte) flags;
            t.putShort(14, (short) window);
            System.arraycopy(tcpOptions, 0, seg, 20, optLen);
            System.arraycopy(payload, 0, seg, 20 + optLen, payload.length);
            long pseudo = sum(src, 0, src.length, 0);
            pseudo = sum(dst, 0, dst.length, pseudo);
            pseudo += PROTO_TCP + tcpLen;
            int field;
            switch (tcpChecksum) {
                case CORRECT -> field = complementFold(sum(seg, 0, tcpLen, pseudo));
                case BAD -> field = complementFold(sum(seg, 0, tcpLen, pseudo)) ^ 0x0100;
                case OFFLOADED -> field = ~complementFold(pseudo) & 0xffff;
                default -> field = 0;
            }
            t.putShort(16, (short) field);

            byte[] pkt;
            if (v4) {
                int ihlBytes = 20 + ipOptions.length;
                pkt = new byte[ihlBytes + tcpLen];
                ByteBuffer p = ByteBuffer.wrap(pkt);
                int version = versionField != null ? versionField : 4;
                int ihl = ihlField != null ? ihlField : ihlBytes / 4;
                pkt[0] = (byte) (((version & 0xf) << 4) | (ihl & 0xf));
                p.putShort(2, (short) (lengthField != null ? lengthField : ihlBytes + tcpLen));
                p.putShort(4, (short) ipId);
                p.putShort(6, (short) frag);
                pkt[8] = (byte) ttl;
                pkt[9] = (byte) (protocolField != null ? protocolField : PROTO_TCP);
                System.arraycopy(src, 0, pkt, 12, 4);
                System.arraycopy(dst, 0, pkt, 16, 4);
                System.arraycopy(ipOptions, 0, pkt, 20, ipOptions.length);
                int ck = complementFold(sum(pkt, 0, ihlBytes, 0));
                if (badIpChecksum) ck ^= 0x0100;
                p.putShort(10, (short) ck);
                System.arraycopy(seg, 0, pkt, ihlBytes, tcpLen);
            } else {
                pkt = new byte[40 + tcpLen];
                ipv6Header(pkt, versionField != null ? versionField : 6,
                        lengthField != null ? lengthField : tcpLen,
                        protocolField != null ? protocolField : PROTO_TCP, ttl, src, dst);
                System.arraycopy(seg, 0, pkt, 40, tcpLen);
            }
            if (truncateTo >= 0) pkt = Arrays.copyOf(pkt, truncateTo);
            return wrap(pkt);
        }
    }

    // ------------------------------------------------------------------ ICMP errors

    public static final class Icmp {
        private final int type, code;
        private byte[] src = addr("198.18.0.2"), dst = addr("198.18.0.1");
        private int ttl = 64, rest;
        private byte[] quoted = new byte[0];
        private int quoteBytes = -1;
        private Integer quotedVersion, quotedIhl, quotedProtocol, protocolField, lengthField;
        private boolean badChecksum;
        private int truncateTo = -1;

        Icmp(int type, int code) {
            this.type = type;
            this.code = code;
        }

        /** Who sends the error: the target itself or any router on the way. */
        public Icmp from(String address) {
            return from(addr(address));
        }

        public Icmp from(byte[] address) {
            src = address.clone();
            return this;
        }

        /** Where the error goes: us. */
        public Icmp to(String address) {
            return to(addr(address));
        }

        public Icmp to(byte[] address) {
            dst = address.clone();
            return this;
        }

        public Icmp ttl(int v) {
            ttl = v;
            return this;
        }

        /** The 32 bits after the checksum (unused, or next-hop MTU / pointer). */
        public Icmp rest(int v) {
            rest = v;
            return this;
        }

        /** The probe packet (IP header first) the error quotes. */
        public Icmp quoting(ByteBuffer probe) {
            quoted = new byte[probe.remaining()];
            probe.duplicate().get(quoted);
            return this;
        }

        /**
         * How many bytes of the probe to quote. Default: for ICMPv4 the quoted IP header plus 8 bytes (RFC 792's
         * minimum), for ICMPv6 the whole probe (RFC 4443 quotes as much as fits). More than the probe has is
         * padded with zeros.
         */
        public Icmp quoteBytes(int n) {
            quoteBytes = n;
            return this;
        }

        public Icmp quotedVersion(int v) {
            quotedVersion = v;
            return this;
        }

        public Icmp quotedIhl(int words) {
            quotedIhl = words;
            return this;
        }

        /** Overrides the quoted IPv4 protocol / IPv6 next header. */
        public Icmp quotedProtocol(int v) {
            quotedProtocol = v;
            return this;
        }

        /** Overrides the outer IPv4 protocol / IPv6 next header. */
        public Icmp protocolField(int v) {
            protocolField = v;
            return this;
        }

        /** Overrides the outer IPv4 total length / IPv6 payload length. */
        public Icmp lengthField(int v) {
            lengthField = v;
            return this;
        }

        public Icmp badChecksum() {
            badChecksum = true;
            return this;
        }

        public Icmp truncateTo(int n) {
            truncateTo = n;
            return this;
        }

        public ByteBuffer build() {
            if (src.length != dst.length) throw new IllegalArgumentException("mixed address families");
            boolean v4 = src.length == 4;
            int n = quoteBytes;
            if (n < 0) n = v4 && quoted.length > 0 ? (quoted[0] & 0x0f) * 4 + 8 : quoted.length;
            byte[] quote = Arrays.copyOf(quoted, n);
            if (quote.length > 0 && quotedVersion != null) quote[0] = (byte) ((quote[0] & 0x0f) | (quotedVersion << 4));
            if (quote.length > 0 && quotedIhl != null) quote[0] = (byte) ((quote[0] & 0xf0) | (quotedIhl & 0x0f));
            if (quotedProtocol != null) {
                int at = v4 ? 9 : 6;
                if (quote.length > at) quote[at] = (byte) (int) quotedProtocol;
            }
            byte[] icmp = new byte[8 + quote.length];
            icmp[0] = (byte) type;
            icmp[1] = (byte) code;
            ByteBuffer.wrap(icmp).putInt(4, rest);
            System.arraycopy(quote, 0, icmp, 8, quote.length);
            byte[] pkt;
            if (v4) {
                int ck = complementFold(sum(icmp, 0, icmp.length, 0));
                if (badChecksum) ck ^= 0x0100;
                ByteBuffer.wrap(icmp).putShort(2, (short) ck);
                pkt = new byte[20 + icmp.length];
                ByteBuffer p = ByteBuffer.wrap(pkt);
                pkt[0] = 0x45;
                p.putShort(2, (short) (lengthField != null ? lengthField : 20 + icmp.length));
                p.putShort(4, (short) 0x4321);
                pkt[8] = (byte) ttl;
                pkt[9] = (byte) (protocolField != null ? protocolField : PROTO_ICMP);
                System.arraycopy(src, 0, pkt, 12, 4);
                System.arraycopy(dst, 0, pkt, 16, 4);
                p.putShort(10, (short) complementFold(sum(pkt, 0, 20, 0)));
                System.arraycopy(icmp, 0, pkt, 20, icmp.length);
            } else {
                long pseudo = sum(src, 0, 16, 0);
                pseudo = sum(dst, 0, 16, pseudo);
                pseudo += icmp.length + PROTO_ICMPV6;
                int ck = complementFold(sum(icmp, 0, icmp.length, pseudo));
                if (badChecksum) ck ^= 0x0100;
                ByteBuffer.wrap(icmp).putShort(2, (short) ck);
                pkt = new byte[40 + icmp.length];
                ipv6Header(pkt, 6, lengthField != null ? lengthField : icmp.length,
                        protocolField != null ? protocolField : PROTO_ICMPV6, ttl, src, dst);
                System.arraycopy(icmp, 0, pkt, 40, icmp.length);
            }
            if (truncateTo >= 0) pkt = Arrays.copyOf(pkt, truncateTo);
            return wrap(pkt);
        }
    }

    // ------------------------------------------------------------------ helpers for tests

    /** As the native shim rebuilds it: version 6, traffic class and flow label 0. */
    private static void ipv6Header(byte[] pkt, int version, int payloadLength, int next, int hopLimit, byte[] src,
                                   byte[] dst) {
        ByteBuffer p = ByteBuffer.wrap(pkt);
        p.putInt(0, (version & 0xf) << 28);
        p.putShort(4, (short) payloadLength);
        pkt[6] = (byte) next;
        pkt[7] = (byte) hopLimit;
        System.arraycopy(src, 0, pkt, 8, 16);
        System.arraycopy(dst, 0, pkt, 24, 16);
    }

    private static byte[] pad4(byte[] v) {
        return Arrays.copyOf(v, (v.length + 3) & ~3);
    }

    private static ByteBuffer wrap(byte[] pkt) {
        return ByteBuffer.wrap(pkt).order(ByteOrder.BIG_ENDIAN);
    }

    /** The packet's bytes (position to limit). */
    public static byte[] bytes(ByteBuffer pkt) {
        byte[] b = new byte[pkt.remaining()];
        pkt.duplicate().get(b);
        return b;
    }

    /**
     * Copies the packet into a bigger big-endian buffer of {@code capacity} bytes at {@code offset}; every other
     * byte is random junk from {@code junk}, so a decoder reading outside the packet sees garbage.
     */
    public static ByteBuffer embed(ByteBuffer pkt, int offset, int capacity, Random junk) {
        byte[] all = new byte[capacity];
        junk.nextBytes(all);
        byte[] p = bytes(pkt);
        System.arraycopy(p, 0, all, offset, p.length);
        return wrap(all);
    }

    /**
     * Recomputes every checksum the decoder verifies (IPv4 header, TCP with pseudo-header, ICMPv4) and the
     * ICMPv6 checksum of the packet at {@code off} in place, trusting whatever length fields it holds as long as
     * they stay inside {@code len}. Lets tests change a field and still present a packet that passes the checksums.
     */
    public static void fixChecksums(ByteBuffer b, int off, int len) {
        if (len < 1) return;
        int version = (b.get(off) & 0xff) >>> 4;
        if (version == 4) {
            if (len < 20) return;
            int ihl = (b.get(off) & 0x0f) * 4;
            if (ihl < 20 || ihl > len) return;
            b.putShort(off + 10, (short) 0);
            b.putShort(off + 10, (short) complementFold(sum(b, off, ihl, 0)));
            int total = b.getShort(off + 2) & 0xffff;
            if (total < ihl || total > len) return;
            int proto = b.get(off + 9) & 0xff;
            int l4 = off + ihl, l4len = total - ihl;
            if (proto == PROTO_TCP && l4len >= 20) {
                b.putShort(l4 + 16, (short) 0);
                long pseudo = sum(b, off + 12, 8, 0) + PROTO_TCP + l4len;
                b.putShort(l4 + 16, (short) complementFold(sum(b, l4, l4len, pseudo)));
            } else if (proto == PROTO_ICMP && l4len >= 4) {
                b.putShort(l4 + 2, (short) 0);
                b.putShort(l4 + 2, (short) complementFold(sum(b, l4, l4len, 0)));
            }
        } else if (version == 6) {
            if (len < 40) return;
            int payload = b.getShort(off + 4) & 0xffff;
            if (40 + payload > len) return;
            int next = b.get(off + 6) & 0xff;
            int l4 = off + 40;
            int at = next == PROTO_TCP ? 16 : next == PROTO_ICMPV6 ? 2 : -1;
            if (at < 0 || payload < at + 2) return;
            b.putShort(l4 + at, (short) 0);
            long pseudo = sum(b, off + 8, 32, 0) + next + payload;
            b.putShort(l4 + at, (short) complementFold(sum(b, l4, payload, pseudo)));
        }
    }

    /** Recomputes only the IPv4 header checksum of the packet at offset 0 (after a header field was changed). */
    public static void fixChecksumsIpHeaderOnly(ByteBuffer b) {
        int ihl = (b.get(0) & 0x0f) * 4;
        b.putShort(10, (short) 0);
        b.putShort(10, (short) complementFold(sum(b, 0, ihl, 0)));
    }

    /** Flips one bit: bit 0 is the most significant bit of byte {@code byteOffset}. */
    public static void flipBit(ByteBuffer b, int byteOffset, int bit) {
        b.put(byteOffset, (byte) (b.get(byteOffset) ^ (0x80 >>> bit)));
    }

    // ------------------------------------------------------------------ RFC 1071, independent implementation

    /** Sum of big-endian 16-bit words (odd last byte padded), not folded. */
    public static long sum(byte[] b, int off, int len, long initial) {
        long acc = initial;
        for (int i = 0; i < len; i += 2) {
            int hiByte = b[off + i] & 0xff;
            int loByte = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            acc += (hiByte << 8) | loByte;
        }
        return acc;
    }

    public static long sum(ByteBuffer b, int off, int len, long initial) {
        long acc = initial;
        for (int i = 0; i < len; i += 2) {
            int hiByte = b.get(off + i) & 0xff;
            int loByte = i + 1 < len ? b.get(off + i + 1) & 0xff : 0;
            acc += (hiByte << 8) | loByte;
        }
        return acc;
    }

    /** Folds to 16 bits with end-around carry and complements: the value for a checksum field. */
    public static int complementFold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }
}
