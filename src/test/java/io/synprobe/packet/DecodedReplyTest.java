package io.synprobe.packet;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.FIN;
import static io.synprobe.testutil.Packets.MF;
import static io.synprobe.testutil.Packets.PSH;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static io.synprobe.testutil.Packets.hi;
import static io.synprobe.testutil.Packets.lo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.packet.DecodedReply.Kind;
import io.synprobe.testutil.Packets;
import io.synprobe.testutil.Packets.TcpChecksum;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DecodedReplyTest {
    private static final String US4 = "198.18.0.1", TARGET4 = "198.18.0.2", ROUTER4 = "198.19.255.254";
    private static final String US6 = "2001:db8::1", TARGET6 = "2001:db8::2", ROUTER6 = "2001:db8:ffff::fe";

    private final DecodedReply r = new DecodedReply();

    private Kind decode(ByteBuffer p) {
        return r.decode(p, 0, p.limit(), p.limit());
    }

    private void assertInvalid(ByteBuffer p, String why) {
        assertInvalid(p, p.limit(), p.limit(), why);
    }

    private void assertInvalid(ByteBuffer p, int len, int wireLen, String why) {
        Kind k = r.decode(p, 0, len, wireLen);
        assertAll(() -> assertEquals(Kind.INVALID, k, "kind"), () -> assertEquals(Kind.INVALID, r.kind),
                () -> assertEquals(why, r.invalidWhy, "invalidWhy"));
    }

    private static Packets.Tcp synAck4() {
        return Packets.tcp().from(TARGET4, 443).to(US4, 40001).flags(SYN | ACK).seq(0x89abcdefL).ack(0xfedcba99L)
                .window(29200).ttl(57).tcpOptions(new byte[] {2, 4, 0x05, (byte) 0xb4, 4, 2, 1, 1});
    }

    private static Packets.Tcp synAck6() {
        return Packets.tcp().from(TARGET6, 22).to(US6, 40002).flags(SYN | ACK).seq(0xffffffffL).ack(0x80000000L)
                .window(65535).ttl(63);
    }

    private static ByteBuffer probe4() {
        return Packets.probe(US4, 40000, TARGET4, 80, 0xdeadbeefL);
    }

    private static ByteBuffer probe6() {
        return Packets.probe(US6, 40001, TARGET6, 443, 0xcafef00dL);
    }

    // ------------------------------------------------------------------ accepted TCP

    @Test
    void decodesIpv4SynAck() {
        assertEquals(Kind.TCP, decode(synAck4().build()));
        assertAll(
                () -> assertNull(r.invalidWhy),
                () -> assertEquals(4, r.family),
                () -> assertEquals(0, r.srcHi),
                () -> assertEquals(lo(TARGET4), r.srcLo),
                () -> assertEquals(0, r.dstHi),
                () -> assertEquals(lo(US4), r.dstLo),
                () -> assertEquals(443, r.srcPort),
                () -> assertEquals(40001, r.dstPort),
                () -> assertEquals(0x89abcdefL, r.seq),
                () -> assertEquals(0xfedcba99L, r.ack),
                () -> assertEquals(SYN | ACK, r.flags),
                () -> assertEquals(29200, r.window),
                () -> assertEquals(57, r.ttl),
                () -> assertTrue(r.isSynAck()),
                () -> assertFalse(r.isRst()),
                () -> assertFalse(r.isBareSyn()));
    }

    @Test
    void decodesIpv6SynAckWithRebuiltHeader() {
        assertEquals(Kind.TCP, decode(synAck6().build()));
        assertAll(
                () -> assertEquals(6, r.family),
                () -> assertEquals(hi(TARGET6), r.srcHi),
                () -> assertEquals(lo(TARGET6), r.srcLo),
                () -> assertEquals(hi(US6), r.dstHi),
                () -> assertEquals(lo(US6), r.dstLo),
                () -> assertEquals(22, r.srcPort),
                () -> assertEquals(40002, r.dstPort),
                () -> assertEquals(0xffffffffL, r.seq, "sequence numbers are unsigned"),
                () -> assertEquals(0x80000000L, r.ack, "acks are unsigned"),
                () -> assertEquals(65535, r.window),
                () -> assertEquals(63, r.ttl, "hop limit"),
                () -> assertTrue(r.isSynAck()));
    }

    @Test
    void highAddressBitsAreNotSignExtended() {
        ByteBuffer p = Packets.tcp().from("203.0.113.200", 65535).to("250.1.2.3", 65534).build();
        assertEquals(Kind.TCP, decode(p));
        assertEquals(0xcb0071c8L, r.srcLo);
        assertEquals(0xfa010203L, r.dstLo);
        assertEquals(65535, r.srcPort);
        assertEquals(65534, r.dstPort);
        ByteBuffer p6 = Packets.tcp().from("ffff:ffff::ffff", 1).to("8000::1", 2).build();
        assertEquals(Kind.TCP, decode(p6));
        assertEquals(0xffffffff00000000L, r.srcHi);
        assertEquals(0xffffL, r.srcLo);
        assertEquals(0x8000000000000000L, r.dstHi);
    }

    @Test
    void decodesResets() {
        assertEquals(Kind.TCP, decode(synAck4().flags(RST | ACK).build()));
        assertTrue(r.isRst());
        assertFalse(r.isSynAck());
        assertFalse(r.isBareSyn());
        assertEquals(RST | ACK, r.flags);

        assertEquals(Kind.TCP, decode(synAck6().flags(RST).ack(0).build()));
        assertTrue(r.isRst());
        assertFalse(r.isSynAck());
        assertEquals(0, r.ack);

        // SYN|ACK|RST is a reset, not a SYN-ACK
        assertEquals(Kind.TCP, decode(synAck4().flags(SYN | ACK | RST).build()));
        assertTrue(r.isRst());
        assertFalse(r.isSynAck());
        assertFalse(r.isBareSyn());
    }

    @Test
    void decodesBareSyn() {
        assertEquals(Kind.TCP, decode(synAck4().flags(SYN).ack(0).build()));
        assertTrue(r.isBareSyn());
        assertFalse(r.isSynAck());
        assertFalse(r.isRst());
        assertEquals(Kind.TCP, decode(synAck6().flags(SYN | PSH | FIN).build()));
        assertTrue(r.isBareSyn(), "only SYN, ACK and RST decide the kind of segment");
    }

    @Test
    void ipv4OptionsMoveTheTcpHeader() {
        ByteBuffer p = synAck4().ipOptions(new byte[] {7, 7, 4, 0, 0, 0, 0, 1}).build(); // record route
        assertEquals(0x47, p.get(0));
        assertEquals(Kind.TCP, decode(p));
        assertEquals(443, r.srcPort);
        assertEquals(40001, r.dstPort);
        assertEquals(0xfedcba99L, r.ack);
    }

    @Test
    void payloadAndTrailingPaddingAreAccepted() {
        ByteBuffer p = synAck4().payload("hello".getBytes()).build();
        ByteBuffer padded = ByteBuffer.allocate(p.limit() + 6);
        padded.put(p.duplicate()).put(new byte[] {1, 2, 3, 4, 5, 6}).flip();
        padded.limit(padded.capacity());
        // an Ethernet trailer after the IP total length is not part of the segment
        assertEquals(Kind.TCP, r.decode(padded, 0, padded.limit(), padded.limit()));
        assertEquals(0xfedcba99L, r.ack);
    }

    @Test
    void decodesAtAnOffsetInsideABiggerBufferWithoutTouchingItsState() {
        Random junk = new Random(1);
        ByteBuffer pkt = synAck6().build();
        ByteBuffer big = Packets.embed(pkt, 333, 2048, junk);
        big.position(17).limit(2000);
        assertEquals(Kind.TCP, r.decode(big, 333, pkt.limit(), pkt.limit()));
        assertEquals(22, r.srcPort);
        assertEquals(0x80000000L, r.ack);
        assertEquals(17, big.position());
        assertEquals(2000, big.limit());
        // a packet must not extend past the buffer's limit
        assertEquals(Kind.INVALID, r.decode(big, 333, 2000 - 333 + 1, 4000));
        assertEquals("bounds", r.invalidWhy);
        assertEquals(Kind.INVALID, r.decode(big, 1990, pkt.limit(), pkt.limit()));
        assertEquals("bounds", r.invalidWhy);
    }

    @Test
    void acceptsOffloadedChecksumExactly() {
        assertEquals(Kind.TCP, decode(synAck4().tcpChecksum(TcpChecksum.OFFLOADED).build()));
        assertEquals(Kind.TCP, decode(synAck6().tcpChecksum(TcpChecksum.OFFLOADED).build()));
        assertEquals(Kind.TCP, decode(synAck4().payload(new byte[] {1, 2, 3}).tcpChecksum(TcpChecksum.OFFLOADED).build()));

        // the offloaded form depends on the addresses and the length: one bit off is refused
        for (Packets.Tcp t : new Packets.Tcp[] {synAck4(), synAck6()}) {
            ByteBuffer p = t.tcpChecksum(TcpChecksum.OFFLOADED).build();
            int at = (p.get(0) >>> 4) == 4 ? 20 + 16 : 40 + 16;
            for (int delta : new int[] {1, -1, 0x100}) {
                ByteBuffer q = ByteBuffer.wrap(Packets.bytes(p));
                q.putShort(at, (short) (q.getShort(at) + delta));
                assertInvalid(q, "tcp checksum");
            }
            // the partial sum of another source address is not accepted either
            ByteBuffer q = ByteBuffer.wrap(Packets.bytes(p));
            Packets.flipBit(q, (p.get(0) >>> 4) == 4 ? 12 : 8, 7);
            if ((p.get(0) >>> 4) == 4) Packets.fixChecksumsIpHeaderOnly(q);
            assertInvalid(q, "tcp checksum");
        }
    }

    @Test
    void decodesIcmpv4UnreachableFromARouter() {
        ByteBuffer p = Packets.icmp(3, 13).from(ROUTER4).to(US4).ttl(250).quoting(probe4()).build();
        assertEquals(20 + 8 + 20 + 8, p.limit(), "default quote: IP header + 8 bytes");
        assertEquals(Kind.ICMP_UNREACHABLE, decode(p));
        assertAll(
                () -> assertEquals(4, r.family),
                () -> assertEquals(lo(ROUTER4), r.srcLo),
                () -> assertEquals(lo(US4), r.dstLo),
                () -> assertEquals(250, r.ttl),
                () -> assertEquals(3, r.icmpType),
                () -> assertEquals(13, r.icmpCode),
                () -> assertEquals(0, r.quotedSrcHi),
                () -> assertEquals(lo(US4), r.quotedSrcLo),
                () -> assertEquals(0, r.quotedDstHi),
                () -> assertEquals(lo(TARGET4), r.quotedDstLo),
                () -> assertEquals(40000, r.quotedSrcPort),
                () -> assertEquals(80, r.quotedDstPort),
                () -> assertEquals(0xdeadbeefL, r.quotedSeq));
    }

    @Test
    void decodesIcmpv4TimeExceededWithALongQuote() {
        ByteBuffer p = Packets.icmp(11, 0).from(ROUTER4).to(US4).quoting(probe4()).quoteBytes(44).build();
        assertEquals(Kind.ICMP_TIME_EXCEEDED, decode(p));
        assertEquals(11, r.icmpType);
        assertEquals(0, r.icmpCode);
        assertEquals(0xdeadbeefL, r.quotedSeq);
        assertEquals(80, r.quotedDstPort);
    }

    @Test
    void quotedIpv4OptionsMoveTheQuotedTcpHeader() {
        ByteBuffer probe = Packets.tcp().from(US4, 40002).to(TARGET4, 22).flags(SYN).seq(0x01020304L)
                .ipOptions(new byte[] {1, 1, 1, 1}).build();
        ByteBuffer p = Packets.icmp(3, 1).from(TARGET4).to(US4).quoting(probe).build();
        assertEquals(Kind.ICMP_UNREACHABLE, decode(p));
        assertEquals(40002, r.quotedSrcPort);
        assertEquals(22, r.quotedDstPort);
        assertEquals(0x01020304L, r.quotedSeq);
    }

    @Test
    void icmpv4WhoseCaptureWasCutStillDecodesItsQuote() {
        // the router quoted the whole probe; we kept only part of it (the checksum cannot be verified then)
        ByteBuffer full = Packets.icmp(3, 3).from(TARGET4).to(US4).quoting(probe4()).quoteBytes(44).build();
        int kept = 20 + 8 + 28;
        assertEquals(Kind.ICMP_UNREACHABLE, r.decode(full, 0, kept, full.limit()));
        assertEquals(0xdeadbeefL, r.quotedSeq);
        // but never with less than the quoted IP header and 8 bytes
        assertInvalid(full, kept - 1, full.limit(), "short quote");
    }

    @Test
    void decodesIcmpv6UnreachableAndTimeExceeded() {
        ByteBuffer p = Packets.icmp(1, 4).from(ROUTER6).to(US6).ttl(61).quoting(probe6()).build();
        assertEquals(Kind.ICMP_UNREACHABLE, decode(p));
        assertAll(
                () -> assertEquals(6, r.family),
                () -> assertEquals(hi(ROUTER6), r.srcHi),
                () -> assertEquals(lo(ROUTER6), r.srcLo),
                () -> assertEquals(61, r.ttl),
                () -> assertEquals(1, r.icmpType),
                () -> assertEquals(4, r.icmpCode),
                () -> assertEquals(hi(US6), r.quotedSrcHi),
                () -> assertEquals(lo(US6), r.quotedSrcLo),
                () -> assertEquals(hi(TARGET6), r.quotedDstHi),
                () -> assertEquals(lo(TARGET6), r.quotedDstLo),
                () -> assertEquals(40001, r.quotedSrcPort),
                () -> assertEquals(443, r.quotedDstPort),
                () -> assertEquals(0xcafef00dL, r.quotedSeq));

        assertEquals(Kind.ICMP_TIME_EXCEEDED, decode(Packets.icmp(3, 0).from(ROUTER6).to(US6).quoting(probe6()).build()));
        assertEquals(0xcafef00dL, r.quotedSeq);
        // exactly IPv6 header + 8 bytes is enough
        assertEquals(Kind.ICMP_UNREACHABLE,
                decode(Packets.icmp(1, 0).from(ROUTER6).to(US6).quoting(probe6()).quoteBytes(48).build()));
        assertEquals(0xcafef00dL, r.quotedSeq);
    }

    @Test
    void aValidPacketAfterAnInvalidOneIsDecodedAndViceVersa() {
        assertInvalid(synAck4().badIpChecksum().build(), "ipv4 checksum");
        assertEquals(Kind.TCP, decode(synAck4().build()));
        assertNull(r.invalidWhy);
        assertInvalid(synAck4().tcpChecksum(TcpChecksum.BAD).build(), "tcp checksum");
        assertEquals(Kind.INVALID, r.kind);
    }

    // ------------------------------------------------------------------ malformed: never an exception, always INVALID

    @Test
    void refusesEmptyAndOutOfBoundsArguments() {
        ByteBuffer p = synAck4().build();
        assertInvalid(p, 0, 0, "bounds");
        assertEquals(Kind.INVALID, r.decode(p, -1, 10, 10));
        assertEquals("bounds", r.invalidWhy);
        assertInvalid(p, p.limit() + 1, p.limit() + 1, "bounds");
        assertEquals(Kind.INVALID, r.decode(p, p.limit(), 1, 1));
        assertEquals(Kind.INVALID, r.decode(ByteBuffer.allocate(0), 0, 0, 0));
    }

    @Test
    void hugeLengthsDoNotOverflowTheBoundsCheck() {
        // off + len overflows int: must still be refused, not read past the buffer
        ByteBuffer p = Packets.embed(synAck4().lengthField(60000).build(), 100, 512, new Random(3));
        assertEquals(Kind.INVALID, r.decode(p, 100, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals("bounds", r.invalidWhy);
        ByteBuffer q = Packets.embed(Packets.icmp(3, 3).from(TARGET4).to(US4).quoting(probe4()).lengthField(65535)
                .build(), 1, 512, new Random(4));
        assertEquals(Kind.INVALID, r.decode(q, 1, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void refusesShortPackets() {
        ByteBuffer p4 = synAck4().build();
        for (int len = 1; len < 20; len++) assertInvalid(p4, len, len, "short ipv4");
        ByteBuffer p6 = synAck6().build();
        for (int len = 1; len < 40; len++) assertInvalid(p6, len, len, "short ipv6");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 5, 7, 15})
    void refusesOtherIpVersions(int version) {
        assertInvalid(synAck4().versionField(version).build(), "ip version");
        assertInvalid(synAck6().versionField(version).build(), "ip version");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void refusesIhlBelowFive(int ihl) {
        assertInvalid(synAck4().ihlField(ihl).build(), "ihl");
    }

    @Test
    void refusesIhlBeyondThePacket() {
        ByteBuffer p = Packets.tcp().from(TARGET4, 80).to(US4, 40000).ihlField(15).build(); // 60 > 40 bytes
        assertEquals(40, p.limit());
        assertInvalid(p, "ihl");
        // a header longer than what was captured, even if the wire packet was longer
        ByteBuffer q = synAck4().ipOptions(new byte[8]).build();
        assertInvalid(q, 24, q.limit(), "ihl");
    }

    @Test
    void refusesTotalLengthBeyondTheWireOrBelowTheHeader() {
        ByteBuffer p = synAck4().build();
        assertInvalid(synAck4().lengthField(p.limit() + 1).build(), "ipv4 total length");
        assertInvalid(synAck4().lengthField(19).build(), "ipv4 total length");
        assertInvalid(synAck4().lengthField(0).build(), "ipv4 total length");
        assertInvalid(synAck4().lengthField(65535).build(), "ipv4 total length");
        // the caller's wire length bounds the total length, not only the bytes present
        assertInvalid(p, p.limit(), p.limit() - 1, "ipv4 total length");
    }

    @Test
    void refusesTcpCutByTheCapture() {
        ByteBuffer p = synAck4().payload(new byte[100]).build();
        assertInvalid(p, p.limit() - 1, p.limit(), "truncated tcp");
        assertInvalid(p, 40, p.limit(), "truncated tcp");
        ByteBuffer p6 = synAck6().build();
        assertInvalid(p6, p6.limit() - 1, p6.limit(), "truncated tcp");
    }

    @Test
    void refusesTotalLengthThatLeavesNoRoomForTcp() {
        assertInvalid(Packets.tcp().from(TARGET4, 80).to(US4, 40000).lengthField(39).build(), "short tcp");
        assertInvalid(Packets.tcp().from(TARGET4, 80).to(US4, 40000).lengthField(20).build(), "short tcp");
        assertInvalid(synAck6().lengthField(19).build(), "short tcp");
    }

    @Test
    void refusesIpv6PayloadLengthBeyondTheWire() {
        ByteBuffer p = synAck6().build();
        assertInvalid(synAck6().lengthField(p.limit() - 40 + 1).build(), "ipv6 payload length");
        assertInvalid(synAck6().lengthField(65535).build(), "ipv6 payload length");
        assertInvalid(p, p.limit(), p.limit() - 1, "ipv6 payload length");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 0x1fff, MF | 1, 0x4000 | 0x0100})
    void refusesFragmentsWithAnOffset(int fragmentWord) {
        assertInvalid(synAck4().fragmentWord(fragmentWord).build(), "fragment");
    }

    @Test
    void refusesFirstFragments() {
        // more-fragments set, offset 0: only part of the segment; checksums computed over what is there
        assertInvalid(synAck4().fragmentWord(MF).build(), "fragment");
        assertInvalid(synAck4().fragmentWord(MF | Packets.DF).build(), "fragment");
    }

    @Test
    void acceptsDontFragmentAndNoFlags() {
        assertEquals(Kind.TCP, decode(synAck4().fragmentWord(0x4000).build()));
        assertEquals(Kind.TCP, decode(synAck4().fragmentWord(0).build()));
    }

    @Test
    void refusesBadIpv4HeaderChecksum() {
        assertInvalid(synAck4().badIpChecksum().build(), "ipv4 checksum");
        // any single changed bit in the fields no earlier check looks at: TOS, id, TTL, protocol, checksum,
        // addresses
        ByteBuffer p = synAck4().build();
        for (int bit = 8; bit < 160; bit++) {
            if (bit < 16 || (bit >= 32 && bit < 48) || bit >= 64) {
                ByteBuffer q = ByteBuffer.wrap(Packets.bytes(p));
                Packets.flipBit(q, bit / 8, bit % 8);
                assertInvalid(q, "ipv4 checksum");
            }
        }
    }

    @Test
    void refusesBadTcpChecksums() {
        assertInvalid(synAck4().tcpChecksum(TcpChecksum.BAD).build(), "tcp checksum");
        assertInvalid(synAck6().tcpChecksum(TcpChecksum.BAD).build(), "tcp checksum");
        assertInvalid(synAck4().tcpChecksum(TcpChecksum.ZERO).build(), "tcp checksum");
        assertInvalid(synAck6().tcpChecksum(TcpChecksum.ZERO).build(), "tcp checksum");
        // the checksum covers the payload and the IPv6 pseudo-header addresses
        ByteBuffer p = synAck4().payload(new byte[] {9, 9, 9}).build();
        Packets.flipBit(p, p.limit() - 1, 3);
        assertInvalid(p, "tcp checksum");
        ByteBuffer q = synAck6().build();
        Packets.flipBit(q, 24 + 15, 7); // destination address: only the pseudo-header protects it
        assertInvalid(q, "tcp checksum");
        ByteBuffer ack = synAck6().build();
        Packets.flipBit(ack, 40 + 8, 0);
        assertInvalid(ack, "tcp checksum");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void refusesDataOffsetBelowFive(int words) {
        assertInvalid(synAck4().dataOffsetField(words).build(), "tcp data offset");
        assertInvalid(synAck6().dataOffsetField(words).build(), "tcp data offset");
    }

    @Test
    void refusesDataOffsetBeyondTheSegment() {
        assertInvalid(synAck4().dataOffsetField(8).build(), "tcp data offset"); // 32 > 28 bytes of TCP
        assertInvalid(synAck6().dataOffsetField(15).build(), "tcp data offset");
        assertEquals(Kind.TCP, decode(synAck4().dataOffsetField(7).build()), "exactly the segment length is fine");
    }

    @Test
    void refusesNonTcpNonIcmpProtocols() {
        assertInvalid(synAck4().protocolField(Packets.PROTO_UDP).build(), "protocol");
        assertInvalid(synAck4().protocolField(0).build(), "protocol");
        assertInvalid(synAck6().protocolField(Packets.PROTO_UDP).build(), "next header");
        assertInvalid(synAck6().protocolField(0).build(), "next header"); // hop-by-hop options
        assertInvalid(synAck6().protocolField(44).build(), "next header"); // fragment header
        // ICMPv4 inside IPv6 and ICMPv6 inside IPv4 are not errors we know
        assertInvalid(Packets.icmp(3, 3).from(ROUTER6).to(US6).quoting(probe6()).protocolField(Packets.PROTO_ICMP)
                .build(), "next header");
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).protocolField(Packets.PROTO_ICMPV6)
                .build(), "protocol");
    }

    @Test
    void refusesIcmpv4TooShortForItsHeader() {
        ByteBuffer p = Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quoteBytes(0).build();
        assertEquals(28, p.limit());
        assertEquals(Kind.INVALID, r.decode(p, 0, 27, 27));
        assertEquals("ipv4 total length", r.invalidWhy);
        assertInvalid(p, 27, 28, "short icmp");
        assertInvalid(p, "short quote");
    }

    @Test
    void refusesBadIcmpv4Checksum() {
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).badChecksum().build(), "icmp checksum");
        ByteBuffer p = Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).build();
        Packets.flipBit(p, p.limit() - 1, 0); // last quoted byte: the sequence number
        assertInvalid(p, "icmp checksum");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 5, 8, 9, 10, 12, 13, 14, 255})
    void refusesIcmpv4TypesOtherThanUnreachableAndTimeExceeded(int type) {
        assertInvalid(Packets.icmp(type, 0).from(ROUTER4).to(US4).quoting(probe4()).build(), "icmp type");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 127, 128, 129, 133, 134, 135, 136, 137, 255})
    void refusesIcmpv6TypesOtherThanUnreachableAndTimeExceeded(int type) {
        assertInvalid(Packets.icmp(type, 0).from(ROUTER6).to(US6).quoting(probe6()).build(), "icmpv6 type");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 19, 20, 27})
    void refusesIcmpv4QuoteShorterThanIpHeaderPlusEight(int quoteBytes) {
        ByteBuffer p = Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quoteBytes(quoteBytes).build();
        assertInvalid(p, "short quote");
        ByteBuffer t = Packets.icmp(11, 0).from(ROUTER4).to(US4).quoting(probe4()).quoteBytes(quoteBytes).build();
        assertInvalid(t, "short quote");
    }

    @Test
    void quotedIpv4OptionsNeedTheirEightBytesToo() {
        ByteBuffer probe = Packets.tcp().from(US4, 40002).to(TARGET4, 22).flags(SYN).ipOptions(new byte[4]).build();
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe).quoteBytes(24 + 7).build(), "short quote");
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quotedIhl(15).quoteBytes(40).build(),
                "short quote");
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quotedIhl(4).build(), "short quote");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 5, 7, 15})
    void refusesQuotedIpVersionMismatch(int version) {
        if (version != 4) {
            assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quotedVersion(version).build(),
                    "quoted version");
        }
        assertInvalid(Packets.icmp(1, 4).from(ROUTER6).to(US6).quoting(probe6()).quotedVersion(version).build(),
                "quoted version");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 44, 58, 132})
    void refusesQuotesOfOtherProtocols(int proto) {
        assertInvalid(Packets.icmp(3, 3).from(ROUTER4).to(US4).quoting(probe4()).quotedProtocol(proto).build(),
                "quoted protocol");
        assertInvalid(Packets.icmp(1, 4).from(ROUTER6).to(US6).quoting(probe6()).quotedProtocol(proto).build(),
                "quoted protocol");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 39, 40, 47})
    void refusesIcmpv6QuoteShorterThanIpv6HeaderPlusEight(int quoteBytes) {
        assertInvalid(Packets.icmp(1, 4).from(ROUTER6).to(US6).quoting(probe6()).quoteBytes(quoteBytes).build(),
                "short quote");
        assertInvalid(Packets.icmp(3, 0).from(ROUTER6).to(US6).quoting(probe6()).quoteBytes(quoteBytes).build(),
                "short quote");
    }

    @Test
    void refusesIcmpv6TooShortForItsHeader() {
        ByteBuffer p = Packets.icmp(1, 4).from(ROUTER6).to(US6).quoting(probe6()).build();
        assertInvalid(p, 47, p.limit(), "short icmpv6");
        assertInvalid(p, 40, p.limit(), "short icmpv6");
    }
}
