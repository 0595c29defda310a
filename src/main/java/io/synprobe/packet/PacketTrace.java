package io.synprobe.packet;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One packet of a {@code --packet-trace}, decoded field by field: the IP header (TTL / hop limit, ID, length, DF,
 * flow label), then either the TCP header (ports, sequence and acknowledgment numbers, data offset, control bits,
 * window, checksum and whether it verifies, urgent pointer, options) or an ICMP / ICMPv6 message (type, code and
 * the TCP probe it quotes). Renders one human line ({@link #appendLine}) and the same fields as a JSONL record
 * ({@link #writeJson}).
 *
 * <p>One instance is reused for every packet: {@link #decode} only fills primitive fields and preallocated
 * arrays, never throws, and allocates nothing; rendering allocates only what the output needs. The runtime calls
 * it only while tracing is on, so a run without {@code --packet-trace} never touches it.
 */
public final class PacketTrace {
    public enum Direction { SENT, RECEIVED }

    public enum Kind { TCP, ICMP, OTHER, INVALID }

    /**
     * VALID: the ones' complement sum verifies. PARTIAL: the field holds only the pseudo-header sum, what a sender
     * with checksum offload leaves before the device fills it in (seen on veth and loopback). BAD: anything else.
     * UNCHECKED: the packet was cut short, so the sum cannot be computed.
     */
    public enum ChecksumStatus { VALID, PARTIAL, BAD, UNCHECKED }

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    /** ACK last among the usual bits, as people say them: SYN|ACK, RST|ACK, FIN|PSH|ACK. */
    private static final int[] FLAG_ORDER = {SYN, FIN, RST, PSH, URG, ACK, ECE, CWR};
    private static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_ICMPV6 = 58;
    private static final int MAX_OPTIONS = 40;

    // what and when
    public Direction direction;
    public long nanosSinceStart;
    public Kind kind = Kind.INVALID;
    /** Why the packet could not be decoded (when kind is INVALID), or null. */
    public String invalidWhy;
    /** Fewer bytes were available than the IP header's length announces. */
    public boolean truncated;

    // IP header
    public int family;
    public final byte[] src = new byte[16], dst = new byte[16];
    /** Whole packet length from the IP header: IPv4 total length, IPv6 40 + payload length. */
    public int ipLength;
    /** TTL (IPv4) or hop limit (IPv6). */
    public int ttl;
    /** IPv4 identification; -1 for IPv6. */
    public int ipId;
    public boolean df, mf;
    public int fragmentOffset;
    /** IPv6 flow label; -1 for IPv4. */
    public int flowLabel;
    public int tos;
    public int protocol;

    // TCP header
    public int srcPort, dstPort;
    public long seq, ack;
    /** TCP header length in bytes (the data offset field times 4). */
    public int dataOffset;
    public int flags;
    public int window;
    public int checksum;
    public ChecksumStatus checksumStatus = ChecksumStatus.UNCHECKED;
    /** What the checksum field (TCP or ICMP) should hold, computed over the packet; -1 when UNCHECKED. */
    public int checksumCorrect = -1;
    public int urgent;
    public int payloadLength;
    // TCP options, in the order they appear: kind codes; values of the known ones below
    public final int[] optionKinds = new int[MAX_OPTIONS];
    public int optionCount;
    /** -1 when absent. */
    public int mss = -1, windowScale = -1;
    public boolean sackPermitted, timestamps;
    public long tsVal, tsEcr;
    /** Number of SACK blocks (option 5), 0 when absent. */
    public int sackBlocks;

    // ICMP / ICMPv6 message
    public int icmpType, icmpCode;
    /** The quoted probe of an error message: present only when it quotes a TCP segment. */
    public boolean quotedTcp;
    public int quotedFamily;
    public final byte[] quotedSrc = new byte[16], quotedDst = new byte[16];
    public int quotedSrcPort, quotedDstPort;
    public long quotedSeq;

    private ByteBuffer wrapped;

    /** Decodes an IP packet (header first) held in a byte array. */
    public PacketTrace decode(Direction direction, long nanosSinceStart, byte[] packet, int off, int len) {
        if (wrapped == null || wrapped.array() != packet) wrapped = ByteBuffer.wrap(packet);
        return decode(direction, nanosSinceStart, wrapped, off, len);
    }

    /**
     * Decodes the IP packet (header first) of {@code len} bytes at {@code off}, read with absolute big-endian gets
     * (the buffer's position and byte order are not used): a reply as in {@code ReplyBatch.packets()} at
     * {@code packetOffset(i)} / {@code packetLength(i)}, or a probe crafted by {@code ProbeBatch.craft}.
     */
    public PacketTrace decode(Direction direction, long nanosSinceStart, ByteBuffer b, int off, int len) {
        this.direction = direction;
        this.nanosSinceStart = nanosSinceStart;
        reset();
        if (off < 0 || len < 1 || len > b.limit() - off) return invalid("bounds");
        int version = u8(b, off) >>> 4;
        if (version == 4) decode4(b, off, len);
        else if (version == 6) decode6(b, off, len);
        else invalid("ip version");
        return this;
    }

    private void reset() {
        kind = Kind.INVALID;
        invalidWhy = null;
        truncated = false;
        family = 0;
        ipLength = ttl = tos = protocol = fragmentOffset = 0;
        ipId = flowLabel = -1;
        df = mf = false;
        srcPort = dstPort = dataOffset = flags = window = checksum = urgent = payloadLength = 0;
        seq = ack = 0;
        checksumStatus = ChecksumStatus.UNCHECKED;
        checksumCorrect = -1;
        optionCount = 0;
        mss = windowScale = -1;
        sackPermitted = timestamps = false;
        tsVal = tsEcr = 0;
        sackBlocks = 0;
        icmpType = icmpCode = 0;
        quotedTcp = false;
        quotedFamily = 0;
        quotedSrcPort = quotedDstPort = 0;
        quotedSeq = 0;
    }

    private void decode4(ByteBuffer b, int off, int len) {
        if (len < 20) {
            invalid("short ipv4 header");
            return;
        }
        int ihl = (u8(b, off) & 0x0f) * 4;
        if (ihl < 20 || ihl > len) {
            invalid("ipv4 header length");
            return;
        }
        family = 4;
        tos = u8(b, off + 1);
        ipLength = u16(b, off + 2);
        ipId = u16(b, off + 4);
        int frag = u16(b, off + 6);
        df = (frag & 0x4000) != 0;
        mf = (frag & 0x2000) != 0;
        fragmentOffset = (frag & 0x1fff) * 8;
        ttl = u8(b, off + 8);
        protocol = u8(b, off + 9);
        copy(b, off + 12, src, 4);
        copy(b, off + 16, dst, 4);
        if (ipLength < ihl) {
            invalid("ipv4 total length");
            return;
        }
        truncated = ipLength > len;
        int l4 = off + ihl;
        int l4Length = ipLength - ihl;
        int available = Math.min(ipLength, len) - ihl;
        if (fragmentOffset != 0 || mf) {
            kind = Kind.OTHER;
            return;
        }
        int pseudo = Checksums.sum(b, off + 12, 8, 0);
        if (protocol == PROTO_TCP) tcp(b, l4, l4Length, available, pseudo);
        else if (protocol == PROTO_ICMP) icmp(b, l4, l4Length, available, 0, false);
        else kind = Kind.OTHER;
    }

    private void decode6(ByteBuffer b, int off, int len) {
        if (len < 40) {
            invalid("short ipv6 header");
            return;
        }
        family = 6;
        int first = b.getInt(off);
        tos = (first >>> 20) & 0xff;
        flowLabel = first & 0xfffff;
        int payload = u16(b, off + 4);
        ipLength = 40 + payload;
        protocol = u8(b, off + 6);
        ttl = u8(b, off + 7);
        copy(b, off + 8, src, 16);
        copy(b, off + 24, dst, 16);
        truncated = ipLength > len;
        int available = Math.min(ipLength, len) - 40;
        int pseudo = Checksums.sum(b, off + 8, 32, 0);
        if (protocol == PROTO_TCP) tcp(b, off + 40, payload, available, pseudo);
        else if (protocol == PROTO_ICMPV6) icmp(b, off + 40, payload, available, pseudo, true);
        else kind = Kind.OTHER;
    }

    private void tcp(ByteBuffer b, int p, int segmentLength, int available, int pseudo) {
        if (available < 20 || segmentLength < 20) {
            invalid("short tcp header");
            return;
        }
        srcPort = u16(b, p);
        dstPort = u16(b, p + 2);
        seq = b.getInt(p + 4) & 0xffffffffL;
        ack = b.getInt(p + 8) & 0xffffffffL;
        dataOffset = (u8(b, p + 12) >>> 4) * 4;
        flags = u8(b, p + 13);
        window = u16(b, p + 14);
        checksum = u16(b, p + 16);
        urgent = u16(b, p + 18);
        kind = Kind.TCP;
        if (dataOffset < 20 || dataOffset > segmentLength) {
            invalid("tcp data offset");
            return;
        }
        payloadLength = segmentLength - dataOffset;
        options(b, p + 20, Math.min(dataOffset, available) - 20);
        if (available < segmentLength) return;
        int partial = pseudo + PROTO_TCP + segmentLength;
        checksumCorrect = correctSum(b, p, segmentLength, 16, partial);
        if (Checksums.fold(Checksums.sum(b, p, segmentLength, partial)) == 0) checksumStatus = ChecksumStatus.VALID;
        else if (checksum == (~Checksums.fold(partial) & 0xffff)) checksumStatus = ChecksumStatus.PARTIAL;
        else checksumStatus = ChecksumStatus.BAD;
    }

    /** The checksum over len bytes at p as if the 2-byte field at p + field were zero. */
    private static int correctSum(ByteBuffer b, int p, int len, int field, int initial) {
        int sum = Checksums.sum(b, p, field, initial);
        return Checksums.fold(Checksums.sum(b, p + field + 2, len - field - 2, sum));
    }

    private void options(ByteBuffer b, int p, int len) {
        int end = p + len;
        while (p < end && optionCount < MAX_OPTIONS) {
            int kindCode = u8(b, p);
            optionKinds[optionCount++] = kindCode;
            if (kindCode == 0) return;
            if (kindCode == 1) {
                p++;
                continue;
            }
            if (p + 1 >= end) return;
            int optLen = u8(b, p + 1);
            if (optLen < 2 || p + optLen > end) return;
            switch (kindCode) {
                case 2 -> {
                    if (optLen == 4) mss = u16(b, p + 2);
                }
                case 3 -> {
                    if (optLen == 3) windowScale = u8(b, p + 2);
                }
                case 4 -> sackPermitted = true;
                case 5 -> sackBlocks = (optLen - 2) / 8;
                case 8 -> {
                    if (optLen == 10) {
                        timestamps = true;
                        tsVal = b.getInt(p + 2) & 0xffffffffL;
                        tsEcr = b.getInt(p + 6) & 0xffffffffL;
                    }
                }
                default -> {
                }
            }
            p += optLen;
        }
    }

    private void icmp(ByteBuffer b, int p, int messageLength, int available, int pseudo, boolean v6) {
        if (available < 8 || messageLength < 8) {
            invalid(v6 ? "short icmpv6 header" : "short icmp header");
            return;
        }
        kind = Kind.ICMP;
        icmpType = u8(b, p);
        icmpCode = u8(b, p + 1);
        checksum = u16(b, p + 2);
        if (available >= messageLength) {
            int initial = v6 ? pseudo + PROTO_ICMPV6 + messageLength : 0;
            checksumCorrect = correctSum(b, p, messageLength, 2, initial);
            checksumStatus = Checksums.fold(Checksums.sum(b, p, messageLength, initial)) == 0
                    ? ChecksumStatus.VALID : ChecksumStatus.BAD;
        }
        if (isError()) quoted(b, p + 8, available - 8);
    }

    /** The first 8 bytes of the TCP header a probe carried, behind its quoted IP header. */
    private void quoted(ByteBuffer b, int q, int len) {
        if (len < 20) return;
        int version = u8(b, q) >>> 4;
        int tcpAt;
        if (version == 4) {
            int ihl = (u8(b, q) & 0x0f) * 4;
            if (ihl < 20 || u8(b, q + 9) != PROTO_TCP || ihl + 8 > len) return;
            copy(b, q + 12, quotedSrc, 4);
            copy(b, q + 16, quotedDst, 4);
            tcpAt = q + ihl;
        } else if (version == 6) {
            if (len < 48 || u8(b, q + 6) != PROTO_TCP) return;
            copy(b, q + 8, quotedSrc, 16);
            copy(b, q + 24, quotedDst, 16);
            tcpAt = q + 40;
        } else {
            return;
        }
        quotedTcp = true;
        quotedFamily = version;
        quotedSrcPort = u16(b, tcpAt);
        quotedDstPort = u16(b, tcpAt + 2);
        quotedSeq = b.getInt(tcpAt + 4) & 0xffffffffL;
    }

    /** An ICMP / ICMPv6 error (it quotes the packet that caused it). */
    public boolean isError() {
        if (kind != Kind.ICMP) return false;
        if (family == 4) return icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12;
        return icmpType >= 1 && icmpType <= 4;
    }

    private PacketTrace invalid(String why) {
        kind = Kind.INVALID;
        invalidWhy = why;
        return this;
    }

    // ------------------------------------------------------------------ names

    /** The ICMP message's name, e.g. "port-unreachable", "time-exceeded", "echo-request", or "type-N". */
    public String icmpName() {
        return IcmpNames.name(family, icmpType, icmpCode);
    }

    public String checksumLabel() {
        return switch (checksumStatus) {
            case VALID -> "valid";
            case PARTIAL -> "partial";
            case BAD -> "bad";
            case UNCHECKED -> "unchecked";
        };
    }

    // ------------------------------------------------------------------ the human line

    /** The trace line, without a newline. */
    public String line() {
        return appendLine(new StringBuilder(200)).toString();
    }

    /**
     * Appends e.g. {@code SENT 0.001234s TCP 198.18.0.1:40000 > 198.18.0.2:22 SYN seq=3735928559 ack=0 off=24
     * win=1024 cksum=0x1c46(valid) urg=0 opts=[mss 1460] data=0 ttl=64 id=4660 iplen=44 DF}.
     */
    public StringBuilder appendLine(StringBuilder s) {
        s.append(direction == Direction.SENT ? "SENT " : "RCVD ");
        seconds(s, nanosSinceStart).append("s ");
        switch (kind) {
            case TCP -> {
                s.append(family == 4 ? "TCP " : "TCP6 ");
                endpoint(s, family, src, srcPort).append(" > ");
                endpoint(s, family, dst, dstPort).append(' ');
                flagNames(s, flags, '|');
                s.append(" seq=").append(seq).append(" ack=").append(ack).append(" off=").append(dataOffset)
                        .append(" win=").append(window).append(" cksum=");
                checksum(s).append(" urg=").append(urgent);
                if (optionCount > 0) appendOptions(s.append(" opts=["), ',').append(']');
                s.append(" data=").append(payloadLength);
            }
            case ICMP -> {
                s.append(family == 4 ? "ICMP " : "ICMP6 ");
                Addresses.append(s, family, src).append(" > ");
                Addresses.append(s, family, dst).append(" type=").append(icmpType).append(" code=").append(icmpCode)
                        .append(' ').append(icmpName()).append(" cksum=");
                checksum(s);
                if (quotedTcp) {
                    s.append(" quoting TCP ");
                    endpoint(s, quotedFamily, quotedSrc, quotedSrcPort).append(" > ");
                    endpoint(s, quotedFamily, quotedDst, quotedDstPort).append(" seq=").append(quotedSeq);
                }
            }
            case OTHER -> {
                s.append("IP").append(family == 4 ? " " : "6 ");
                Addresses.append(s, family, src).append(" > ");
                Addresses.append(s, family, dst).append(" proto=").append(protocol);
                if (fragmentOffset != 0 || mf) s.append(" frag=").append(fragmentOffset).append(mf ? "+" : "");
            }
            case INVALID -> {
                s.append("invalid (").append(invalidWhy).append(')');
                if (family == 0) return s;
            }
            default -> throw new AssertionError(kind);
        }
        if (family == 4) {
            s.append(" ttl=").append(ttl).append(" id=").append(ipId).append(" iplen=").append(ipLength);
            if (df) s.append(" DF");
        } else {
            s.append(" hlim=").append(ttl).append(" flow=0x");
            hex(s, flowLabel, 5).append(" iplen=").append(ipLength);
        }
        if (truncated) s.append(" truncated");
        return s;
    }

    /** Appends the control bits set, by name, separated by sep ("none" when no bit is set). */
    public static StringBuilder flagNames(StringBuilder s, int flags, char sep) {
        boolean any = false;
        for (int bit : FLAG_ORDER) {
            if ((flags & bit) == 0) continue;
            if (any) s.append(sep);
            s.append(FLAG_NAMES[Integer.numberOfTrailingZeros(bit)]);
            any = true;
        }
        if (!any) s.append("none");
        return s;
    }

    private StringBuilder checksum(StringBuilder s) {
        hex4(s, checksum).append('(').append(checksumLabel());
        if (checksumStatus == ChecksumStatus.PARTIAL || checksumStatus == ChecksumStatus.BAD) {
            hex4(s.append(", should be "), checksumCorrect);
        }
        return s.append(')');
    }

    /** Options as tcpdump names them: mss 1460, sackOK, TS val 1 ecr 0, nop, wscale 7, sack 1, eol, opt-N. */
    public StringBuilder appendOptions(StringBuilder s, char sep) {
        for (int i = 0; i < optionCount; i++) {
            if (i > 0) s.append(sep);
            switch (optionKinds[i]) {
                case 0 -> s.append("eol");
                case 1 -> s.append("nop");
                case 2 -> s.append("mss ").append(mss);
                case 3 -> s.append("wscale ").append(windowScale);
                case 4 -> s.append("sackOK");
                case 5 -> s.append("sack ").append(sackBlocks);
                case 8 -> s.append("TS val ").append(tsVal).append(" ecr ").append(tsEcr);
                default -> s.append("opt-").append(optionKinds[i]);
            }
        }
        return s;
    }

    private static StringBuilder endpoint(StringBuilder s, int family, byte[] addr, int port) {
        if (family == 6) s.append('[');
        Addresses.append(s, family, addr);
        if (family == 6) s.append(']');
        return s.append(':').append(port);
    }

    private static StringBuilder seconds(StringBuilder s, long nanos) {
        if (nanos < 0) {
            s.append('-');
            nanos = -nanos;
        }
        long micros = nanos / 1000;
        s.append(micros / 1_000_000).append('.');
        long frac = micros % 1_000_000;
        for (long d = 100_000; d > 0; d /= 10) s.append((char) ('0' + (frac / d) % 10));
        return s;
    }

    private static StringBuilder hex4(StringBuilder s, int v) {
        return hex(s.append("0x"), v, 4);
    }

    private static StringBuilder hex(StringBuilder s, int v, int digits) {
        for (int i = digits - 1; i >= 0; i--) s.append(Character.forDigit((v >>> (4 * i)) & 0xf, 16));
        return s;
    }

    // ------------------------------------------------------------------ JSONL

    /**
     * Writes {@code {"type":"packet", ...}} with the same fields as the line (absent ones left out) as one object;
     * the caller owns the generator and its line separator.
     */
    public void writeJson(JsonGenerator g) throws IOException {
        StringBuilder s = new StringBuilder(48);
        g.writeStartObject();
        g.writeStringField("type", "packet");
        g.writeStringField("dir", direction == Direction.SENT ? "sent" : "received");
        g.writeNumberField("elapsed_us", nanosSinceStart / 1000);
        if (kind == Kind.INVALID) {
            g.writeStringField("proto", "invalid");
            g.writeStringField("invalid", invalidWhy);
        } else {
            g.writeStringField("proto", kind == Kind.TCP ? "tcp" : kind == Kind.ICMP ? (family == 4 ? "icmp" : "icmpv6") : "ip");
        }
        if (family != 0) {
            g.writeNumberField("family", family);
            g.writeStringField("src", address(s, family, src));
            g.writeStringField("dst", address(s, family, dst));
        }
        if (kind == Kind.TCP) {
            g.writeNumberField("sport", srcPort);
            g.writeNumberField("dport", dstPort);
            g.writeNumberField("seq", seq);
            g.writeNumberField("ack", ack);
            g.writeNumberField("data_offset", dataOffset);
            g.writeArrayFieldStart("flags");
            for (int bit : FLAG_ORDER) {
                if ((flags & bit) != 0) g.writeString(FLAG_NAMES[Integer.numberOfTrailingZeros(bit)]);
            }
            g.writeEndArray();
            g.writeNumberField("window", window);
            g.writeNumberField("checksum", checksum);
            g.writeStringField("checksum_status", checksumLabel());
            g.writeBooleanField("checksum_valid", checksumStatus == ChecksumStatus.VALID);
            if (checksumCorrect >= 0) g.writeNumberField("checksum_correct", checksumCorrect);
            g.writeNumberField("urgent", urgent);
            g.writeObjectFieldStart("options");
            if (mss >= 0) g.writeNumberField("mss", mss);
            if (windowScale >= 0) g.writeNumberField("wscale", windowScale);
            if (sackPermitted) g.writeBooleanField("sack_permitted", true);
            if (sackBlocks > 0) g.writeNumberField("sack_blocks", sackBlocks);
            if (timestamps) {
                g.writeNumberField("ts_val", tsVal);
                g.writeNumberField("ts_ecr", tsEcr);
            }
            g.writeEndObject();
            g.writeNumberField("payload_length", payloadLength);
        } else if (kind == Kind.ICMP) {
            g.writeNumberField("icmp_type", icmpType);
            g.writeNumberField("icmp_code", icmpCode);
            g.writeStringField("icmp_name", icmpName());
            g.writeNumberField("checksum", checksum);
            g.writeStringField("checksum_status", checksumLabel());
            g.writeBooleanField("checksum_valid", checksumStatus == ChecksumStatus.VALID);
            if (checksumCorrect >= 0) g.writeNumberField("checksum_correct", checksumCorrect);
            if (quotedTcp) {
                g.writeObjectFieldStart("quoted");
                g.writeStringField("src", address(s, quotedFamily, quotedSrc));
                g.writeStringField("dst", address(s, quotedFamily, quotedDst));
                g.writeNumberField("sport", quotedSrcPort);
                g.writeNumberField("dport", quotedDstPort);
                g.writeNumberField("seq", quotedSeq);
                g.writeEndObject();
            }
        } else if (kind == Kind.OTHER) {
            g.writeNumberField("ip_proto", protocol);
        }
        if (family == 4) {
            g.writeNumberField("ttl", ttl);
            g.writeNumberField("ip_id", ipId);
            g.writeNumberField("ip_length", ipLength);
            g.writeBooleanField("df", df);
        } else if (family == 6) {
            g.writeNumberField("hop_limit", ttl);
            g.writeNumberField("flow_label", flowLabel);
            g.writeNumberField("ip_length", ipLength);
        }
        if (truncated) g.writeBooleanField("truncated", true);
        g.writeEndObject();
    }

    private static String address(StringBuilder s, int family, byte[] addr) {
        s.setLength(0);
        return Addresses.append(s, family, addr).toString();
    }

    // ------------------------------------------------------------------ bytes

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    private static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    private static void copy(ByteBuffer b, int at, byte[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = b.get(at + i);
    }

    /** Names of ICMP and ICMPv6 messages, as kebab-case words close to tcpdump's. */
    static final class IcmpNames {
        private static final String[] UNREACH4 = {"net-unreachable", "host-unreachable", "protocol-unreachable",
                "port-unreachable", "fragmentation-needed", "source-route-failed", "net-unknown", "host-unknown",
                "source-host-isolated", "net-prohibited", "host-prohibited", "net-tos-unreachable",
                "host-tos-unreachable", "admin-prohibited", "host-precedence-violation", "precedence-cutoff"};
        private static final String[] UNREACH6 = {"no-route", "admin-prohibited", "beyond-scope",
                "address-unreachable", "port-unreachable", "source-policy-failed", "reject-route"};

        private IcmpNames() {
        }

        static String name(int family, int type, int code) {
            if (family == 4) {
                return switch (type) {
                    case 0 -> "echo-reply";
                    case 3 -> code < UNREACH4.length ? UNREACH4[code] : "unreachable";
                    case 4 -> "source-quench";
                    case 5 -> "redirect";
                    case 8 -> "echo-request";
                    case 11 -> code == 1 ? "reassembly-time-exceeded" : "time-exceeded";
                    case 12 -> "parameter-problem";
                    default -> "type-" + type;
                };
            }
            return switch (type) {
                case 1 -> code < UNREACH6.length ? UNREACH6[code] : "unreachable";
                case 2 -> "packet-too-big";
                case 3 -> code == 1 ? "reassembly-time-exceeded" : "time-exceeded";
                case 4 -> "parameter-problem";
                case 128 -> "echo-request";
                case 129 -> "echo-reply";
                case 133 -> "router-solicitation";
                case 134 -> "router-advertisement";
                case 135 -> "neighbor-solicitation";
                case 136 -> "neighbor-advertisement";
                default -> "type-" + type;
            };
        }
    }

    /** Address text without InetAddress: dotted quad, or RFC 5952 IPv6 (as inet_ntop and tcpdump print it). */
    static final class Addresses {
        private Addresses() {
        }

        static StringBuilder append(StringBuilder s, int family, byte[] a) {
            if (family == 4) {
                return s.append(a[0] & 0xff).append('.').append(a[1] & 0xff).append('.').append(a[2] & 0xff).append('.')
                        .append(a[3] & 0xff);
            }
            int bestStart = -1, bestLen = 0;
            for (int i = 0; i < 8; ) {
                if (group(a, i) != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && group(a, j) == 0) j++;
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            if (bestLen < 2) bestStart = -1;
            if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && group(a, 5) == 0xffff))) {
                // IPv4-compatible and IPv4-mapped addresses end in a dotted quad, as inet_ntop writes them
                s.append(bestLen == 5 ? "::ffff:" : "::");
                return s.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.').append(a[14] & 0xff)
                        .append('.').append(a[15] & 0xff);
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    s.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (i > 0 && i != bestStart + bestLen) s.append(':');
                s.append(Integer.toHexString(group(a, i)));
            }
            return s;
        }

        private static int group(byte[] a, int i) {
            return ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
    }
}
