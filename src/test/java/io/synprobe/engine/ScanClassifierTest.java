package io.synprobe.engine;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static io.synprobe.testutil.Packets.hi;
import static io.synprobe.testutil.Packets.lo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.packet.DecodedReply;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.Cookies;
import io.synprobe.probe.SynModule;
import io.synprobe.engine.ScanIndex;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.Packets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reply goes through the real decoder, as in the receive loop: build the packet, decode it, match it.
 * Targets 198.18.0.2-198.18.0.4 and 2001:db8::2 (host indices 0..3, IPv4 first), ports 22, 80, 443 (indices
 * 0..2), source ports 40000-40002 (attempts 0..2), our addresses 198.18.0.1 and 2001:db8::1.
 */
class ScanClassifierTest {
    static final long K0 = 0x0706050403020100L, K1 = 0x0f0e0d0c0b0a0908L;
    static final String US4 = "198.18.0.1", US6 = "2001:db8::1";
    static final String ROUTER4 = "198.19.255.1", ROUTER6 = "2001:db8:ffff::1";
    static final String[] HOSTS = {"198.18.0.2", "198.18.0.3", "198.18.0.4", "2001:db8::2"};
    static final int[] PORTS = {22, 80, 443};
    static final int SPORT_BASE = 40000, ATTEMPTS = 3;

    static final Map<Integer, Reason> UNREACH4 = new LinkedHashMap<>();
    static final Map<Integer, Reason> UNREACH6 = new LinkedHashMap<>();

    static {
        UNREACH4.put(0, Reason.NET_UNREACH);
        UNREACH4.put(1, Reason.HOST_UNREACH);
        UNREACH4.put(2, Reason.PROTO_UNREACH);
        UNREACH4.put(3, Reason.PORT_UNREACH);
        UNREACH4.put(9, Reason.NET_PROHIBITED);
        UNREACH4.put(10, Reason.HOST_PROHIBITED);
        UNREACH4.put(13, Reason.ADMIN_PROHIBITED);
        UNREACH6.put(0, Reason.NET_UNREACH);
        UNREACH6.put(1, Reason.ADMIN_PROHIBITED);
        UNREACH6.put(3, Reason.HOST_UNREACH);
        UNREACH6.put(4, Reason.PORT_UNREACH);
    }

    /** One probe: target host (index h), port (index p), attempt a. */
    record Row(int h, int p, int a) {
        String host() {
            return HOSTS[h];
        }

        int port() {
            return PORTS[p];
        }

        int sport() {
            return SPORT_BASE + a;
        }

        boolean v6() {
            return host().contains(":");
        }

        String us() {
            return v6() ? US6 : US4;
        }

        String router() {
            return v6() ? ROUTER6 : ROUTER4;
        }

        long probe() {
            return (long) h * PORTS.length + p;
        }

        @Override
        public String toString() {
            return (v6() ? "[" + host() + "]" : host()) + ":" + port() + " attempt " + a;
        }
    }

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (int h = 0; h < HOSTS.length; h++) {
            for (int p = 0; p < PORTS.length; p++) {
                for (int a = 0; a < ATTEMPTS; a++) out.add(Arguments.of(new Row(h, p, a)));
            }
        }
        return out.stream();
    }

    private final Cookies cookies = new Cookies(K0, K1);
    private final Set<Long> sent = new HashSet<>();
    private final List<Long> askedAbout = new ArrayList<>();
    private final DecodedReply reply = new DecodedReply();
    private Classifier matcher;

    @BeforeEach
    void setUp() {
        TargetParser parser = new TargetParser(TargetParser.Preference.ANY);
        TargetSet targets = TargetSet.of(parser.parseAll(List.of("2001:db8::2", "198.18.0.2-198.18.0.4")));
        PortList ports = PortList.parse("443,22,80");
        // the matcher gets its own instance sharing the key, as the engine's receive thread does
        matcher = new Classifier(SynModule.INSTANCE, new Cookies(K0, K1), new ScanIndex(targets, ports, SPORT_BASE, ATTEMPTS - 1, probe -> {
            askedAbout.add(probe);
            return sent.contains(probe);
        }));
    }

    /** The cookie exactly as ScanEngine.addProbe computes it for the probe (src, sport) to (dst, dport). */
    long cookie(String src, int sport, String dst, int dport) {
        return cookies.compute(hi(src), lo(src), hi(dst), lo(dst), sport, dport, 0) & 0xffffffffL;
    }

    long cookie(Row r) {
        return cookie(r.us(), r.sport(), r.host(), r.port());
    }

    ByteBuffer probePacket(Row r) {
        return Packets.probe(r.us(), r.sport(), r.host(), r.port(), cookie(r));
    }

    /** A TCP reply from the row's target port to our source port. */
    Packets.Tcp replyTo(Row r) {
        return Packets.tcp().from(r.host(), r.port()).to(r.us(), r.sport()).seq(0x13572468L).window(64240).ttl(61);
    }

    boolean match(ByteBuffer packet) {
        DecodedReply.Kind kind = reply.decode(packet, 0, packet.limit(), packet.limit());
        assertNotEquals(DecodedReply.Kind.INVALID, kind, () -> "test packet must decode: " + reply.invalidWhy);
        return matcher.classify(reply);
    }

    void assertMatch(ByteBuffer packet, Row r, Reason reason) {
        assertTrue(match(packet), () -> "should match " + r);
        assertEquals(r.probe(), matcher.probe, "probe index");
        assertEquals(r.a(), (matcher.localPort - SPORT_BASE), "attempt");
        assertEquals(reason, matcher.reason, "reason");
    }

    void assertNoMatch(ByteBuffer packet, String what) {
        assertFalse(match(packet), what);
    }

    // ------------------------------------------------------------------ genuine replies

    @ParameterizedTest
    @MethodSource("rows")
    void synAckAcknowledgingTheCookieMeansOpen(Row r) {
        assertMatch(replyTo(r).flags(SYN | ACK).ack(cookie(r) + 1).build(), r, Reason.SYN_ACK);
        assertEquals(PortState.OPEN, matcher.reason.state());
    }

    @ParameterizedTest
    @MethodSource("rows")
    void resetAcknowledgingTheCookieMeansClosed(Row r) {
        assertMatch(replyTo(r).flags(RST | ACK).ack(cookie(r) + 1).build(), r, Reason.RESET);
        assertEquals(PortState.CLOSED, matcher.reason.state());
    }

    @ParameterizedTest
    @MethodSource("rows")
    void bareSynMatchesOnlyAProbeThatLeft(Row r) {
        ByteBuffer syn = replyTo(r).flags(SYN).seq(0x0badcafeL).ack(0).build();
        assertNoMatch(syn, "SYN for a probe never sent");
        sent.add(r.probe());
        assertMatch(syn, r, Reason.SPLIT_HANDSHAKE_SYN);
        assertEquals(r.probe(), askedAbout.get(askedAbout.size() - 1), "asked about the probe it answers");
        sent.clear();
        sent.add(r.probe() + 1);
        sent.add(r.probe() - 1);
        assertNoMatch(syn, "a neighbouring probe having been sent is not enough");
    }

    @ParameterizedTest
    @MethodSource("rows")
    void ourOwnProbeSeenOnTheWayOutIsNotAReply(Row r) {
        for (long p = 0; p < HOSTS.length * PORTS.length; p++) sent.add(p);
        assertNoMatch(probePacket(r), "own probe " + r);
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpUnreachableQuotingTheProbeMeansFiltered(Row r) {
        Map<Integer, Reason> codes = r.v6() ? UNREACH6 : UNREACH4;
        int type = r.v6() ? 1 : 3;
        for (Map.Entry<Integer, Reason> e : codes.entrySet()) {
            for (String sender : new String[] {r.host(), r.router()}) {
                ByteBuffer icmp = Packets.icmp(type, e.getKey()).from(sender).to(r.us()).quoting(probePacket(r)).build();
                assertMatch(icmp, r, e.getValue());
                assertEquals(PortState.FILTERED, matcher.reason.state());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void timeExceededQuotingTheProbe(Row r) {
        int type = r.v6() ? 3 : 11;
        for (int code : new int[] {0, 1}) {
            ByteBuffer icmp = Packets.icmp(type, code).from(r.router()).to(r.us()).quoting(probePacket(r)).build();
            assertMatch(icmp, r, Reason.TIME_EXCEEDED);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpQuotingTheWholeProbeMatchesToo(Row r) {
        ByteBuffer icmp = Packets.icmp(r.v6() ? 1 : 3, r.v6() ? 4 : 3).from(r.host()).to(r.us())
                .quoting(probePacket(r)).quoteBytes(probePacket(r).limit()).build();
        assertMatch(icmp, r, Reason.PORT_UNREACH);
    }

    // ------------------------------------------------------------------ forged and stray replies

    @ParameterizedTest
    @MethodSource("rows")
    void synAckWithAnyOtherAckIsIgnored(Row r) {
        long c = cookie(r);
        Random random = new Random(r.probe() * 31 + r.a());
        List<Long> wrong = new ArrayList<>(List.of(c, c + 2, c - 1, 0L, 1L, 0xffffffffL, (c + 1) ^ 0x80000000L,
                (c + 1) ^ 1L, c + 1 + 65536, random.nextInt() & 0xffffffffL));
        for (int bit = 0; bit < 32; bit++) wrong.add((c + 1) ^ (1L << bit));
        for (long ack : wrong) {
            if (((ack - c - 1) & 0xffffffffL) == 0) continue; // the random pick could be right
            assertNoMatch(replyTo(r).flags(SYN | ACK).ack(ack).build(), "SYN-ACK ack " + Long.toHexString(ack));
            assertNoMatch(replyTo(r).flags(RST | ACK).ack(ack).build(), "RST ack " + Long.toHexString(ack));
            assertNoMatch(replyTo(r).flags(RST).ack(ack).build(), "RST without ACK flag, ack " + Long.toHexString(ack));
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void replyFromAnAddressNotTargetedIsIgnoredEvenWithItsOwnCookie(Row r) {
        String[] strangers = r.v6() ? new String[] {"2001:db8::3", "2001:db8::1", "2001:db9::2", "2001:db8:0:1::2"}
                : new String[] {"198.18.0.5", "198.18.0.1", "198.18.1.2", "199.18.0.2"};
        for (String stranger : strangers) {
            long c = cookie(r.us(), r.sport(), stranger, r.port());
            assertNoMatch(Packets.tcp().from(stranger, r.port()).to(r.us(), r.sport()).flags(SYN | ACK).ack(c + 1).build(),
                    "SYN-ACK from " + stranger);
            assertNoMatch(Packets.tcp().from(stranger, r.port()).to(r.us(), r.sport()).flags(RST | ACK).ack(c + 1).build(),
                    "RST from " + stranger);
            // and the cookie of the real target does not help either
            assertNoMatch(Packets.tcp().from(stranger, r.port()).to(r.us(), r.sport()).flags(SYN | ACK)
                    .ack(cookie(r) + 1).build(), "SYN-ACK from " + stranger + " with the target's cookie");
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void replyFromAPortNotScannedIsIgnoredEvenWithItsOwnCookie(Row r) {
        for (int port : new int[] {21, 23, 79, 81, 442, 444, 8080, 1, 65535}) {
            long c = cookie(r.us(), r.sport(), r.host(), port);
            assertNoMatch(Packets.tcp().from(r.host(), port).to(r.us(), r.sport()).flags(SYN | ACK).ack(c + 1).build(),
                    "SYN-ACK from port " + port);
            assertNoMatch(Packets.tcp().from(r.host(), port).to(r.us(), r.sport()).flags(RST | ACK).ack(c + 1).build(),
                    "RST from port " + port);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void replyToASourcePortOutsideOurRangeIsIgnoredEvenWithItsOwnCookie(Row r) {
        for (int sport : new int[] {39999, 40003, 40004, 0, 1, 65535, 22}) {
            long c = cookie(r.us(), sport, r.host(), r.port());
            assertNoMatch(Packets.tcp().from(r.host(), r.port()).to(r.us(), sport).flags(SYN | ACK).ack(c + 1).build(),
                    "SYN-ACK to port " + sport);
            assertNoMatch(Packets.tcp().from(r.host(), r.port()).to(r.us(), sport).flags(RST | ACK).ack(c + 1).build(),
                    "RST to port " + sport);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void cookieOfAnotherProbeDoesNotMatch(Row r) {
        // the ack of port 22 attempt 0 on this host, replayed as if from each other port / to each other attempt
        for (int p = 0; p < PORTS.length; p++) {
            for (int a = 0; a < ATTEMPTS; a++) {
                Row other = new Row(r.h(), p, a);
                if (other.equals(r)) continue;
                assertNoMatch(replyTo(r).flags(SYN | ACK).ack(cookie(other) + 1).build(), "ack of " + other);
            }
        }
        // the same probe to another of our addresses
        String otherUs = r.v6() ? "2001:db8::9" : "198.18.0.9";
        assertNoMatch(Packets.tcp().from(r.host(), r.port()).to(otherUs, r.sport()).flags(SYN | ACK)
                .ack(cookie(r) + 1).build(), "SYN-ACK to another address of ours");
    }

    @ParameterizedTest
    @MethodSource("rows")
    void nonSynNonRstSegmentsAreIgnored(Row r) {
        sent.add(r.probe());
        for (int flags : new int[] {ACK, 0, Packets.FIN | ACK, Packets.PSH | ACK}) {
            assertNoMatch(replyTo(r).flags(flags).ack(cookie(r) + 1).build(), "flags " + flags);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpQuotingAWrongSequenceNumberIsIgnored(Row r) {
        long c = cookie(r);
        int type = r.v6() ? 1 : 3;
        for (long seq : new long[] {c + 1, c - 1, c ^ 1, c ^ 0x80000000L, 0, 0xffffffffL}) {
            ByteBuffer probe = Packets.probe(r.us(), r.sport(), r.host(), r.port(), seq);
            assertNoMatch(Packets.icmp(type, 3).from(r.router()).to(r.us()).quoting(probe).build(),
                    "quoted seq " + Long.toHexString(seq));
            assertNoMatch(Packets.icmp(r.v6() ? 3 : 11, 0).from(r.router()).to(r.us()).quoting(probe).build(),
                    "time exceeded quoting seq " + Long.toHexString(seq));
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpQuotingAnotherDestinationIsIgnored(Row r) {
        int type = r.v6() ? 1 : 3;
        String stranger = r.v6() ? "2001:db8::3" : "198.18.0.5";
        // not a target, with the cookie it would have had
        ByteBuffer p1 = Packets.probe(r.us(), r.sport(), stranger, r.port(), cookie(r.us(), r.sport(), stranger, r.port()));
        assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p1).build(), "quoting a non-target");
        // not a target, with the real probe's cookie
        ByteBuffer p2 = Packets.probe(r.us(), r.sport(), stranger, r.port(), cookie(r));
        assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p2).build(), "non-target, our cookie");
        // another target, with this probe's cookie
        String otherTarget = r.v6() ? null : HOSTS[(r.h() + 1) % 3];
        if (otherTarget != null) {
            ByteBuffer p3 = Packets.probe(r.us(), r.sport(), otherTarget, r.port(), cookie(r));
            assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p3).build(), "another target");
        }
        // another port, not scanned, with its own cookie; and a scanned one with this probe's cookie
        ByteBuffer p4 = Packets.probe(r.us(), r.sport(), r.host(), 8080, cookie(r.us(), r.sport(), r.host(), 8080));
        assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p4).build(), "port not scanned");
        int otherPort = PORTS[(r.p() + 1) % PORTS.length];
        ByteBuffer p5 = Packets.probe(r.us(), r.sport(), r.host(), otherPort, cookie(r));
        assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p5).build(), "another scanned port");
        // a source port outside our range, with its own cookie
        for (int sport : new int[] {39999, 40003}) {
            ByteBuffer p6 = Packets.probe(r.us(), sport, r.host(), r.port(), cookie(r.us(), sport, r.host(), r.port()));
            assertNoMatch(Packets.icmp(type, 0).from(r.router()).to(r.us()).quoting(p6).build(), "sport " + sport);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpQuotingOurProbeAsIfSentFromAnotherAddressIsIgnored(Row r) {
        int type = r.v6() ? 1 : 3;
        String notUs = r.v6() ? "2001:db8::77" : "198.18.0.77";
        // right target, ports and sequence number, but the quoted source is not the address the cookie was made for
        ByteBuffer forged = Packets.probe(notUs, r.sport(), r.host(), r.port(), cookie(r));
        assertNoMatch(Packets.icmp(type, 3).from(r.router()).to(r.us()).quoting(forged).build(), "quoted source " + notUs);
        assertNoMatch(Packets.icmp(type, 3).from(r.host()).to(notUs).quoting(forged).build(), "sent to " + notUs);
    }

    @ParameterizedTest
    @MethodSource("rows")
    void icmpErrorsThatSayNothingAboutThePortAreIgnored(Row r) {
        // the decoder refuses non-error types; the matcher must not be fooled if one slips through
        ByteBuffer echo = Packets.icmp(r.v6() ? 128 : 8, 0).from(r.host()).to(r.us()).quoting(probePacket(r)).build();
        assertEquals(DecodedReply.Kind.INVALID, reply.decode(echo, 0, echo.limit(), echo.limit()));
        assertFalse(matcher.classify(reply));
    }

    // ------------------------------------------------------------------ loopback self-scan

    @Test
    void selfScanDoesNotMistakeItsOwnProbeForASplitHandshakeSyn() {
        // scanning ports 40000-40002 of 127.0.0.1 from 127.0.0.1 with source ports 40000-40002: every probe we
        // send is also delivered to our raw socket, and looks like a SYN from a scanned port to one of ours
        TargetSet self = TargetSet.of(List.of(new TargetParser(TargetParser.Preference.ANY).parse("127.0.0.1")));
        Classifier m = new Classifier(SynModule.INSTANCE, new Cookies(K0, K1), new ScanIndex(self, PortList.parse("40000-40002"), 40000, 3 - 1, p -> true));
        String lo = "127.0.0.1";
        for (int sport = 40000; sport <= 40002; sport++) {
            for (int dport = 40000; dport <= 40002; dport++) {
                long c = cookie(lo, sport, lo, dport);
                ByteBuffer own = Packets.probe(lo, sport, lo, dport, c);
                assertEquals(DecodedReply.Kind.TCP, reply.decode(own, 0, own.limit(), own.limit()));
                assertFalse(m.classify(reply), "own probe " + sport + " -> " + dport);
                // a SYN with any other sequence number is a genuine split handshake from port sport
                ByteBuffer genuine = Packets.probe(lo, sport, lo, dport, c ^ 0x10);
                reply.decode(genuine, 0, genuine.limit(), genuine.limit());
                assertTrue(m.classify(reply), "genuine SYN " + sport + " -> " + dport);
                assertEquals(Reason.SPLIT_HANDSHAKE_SYN, m.reason);
                assertEquals(sport - 40000, m.probe, "probe of target port " + sport);
                assertEquals(dport - 40000, (m.localPort - 40000));
                // and the answer to our probe (SYN-ACK from dport to sport) matches normally
                ByteBuffer synAck = Packets.tcp().from(lo, dport).to(lo, sport).flags(SYN | ACK).ack(c + 1).build();
                reply.decode(synAck, 0, synAck.limit(), synAck.limit());
                assertTrue(m.classify(reply));
                assertEquals(Reason.SYN_ACK, m.reason);
                assertEquals(dport - 40000, m.probe);
                assertEquals(sport - 40000, (m.localPort - 40000));
            }
        }
    }

    // ------------------------------------------------------------------ properties

    @Test
    void randomAcksNeverMatch() {
        Random random = new Random(0x5eed);
        List<Row> all = rows().map(a -> (Row) a.get()[0]).toList();
        int checked = 0;
        for (int i = 0; i < 10_000; i++) {
            Row r = all.get(random.nextInt(all.size()));
            long ack = random.nextInt() & 0xffffffffL;
            if (ack == ((cookie(r) + 1) & 0xffffffffL)) continue;
            int flags = random.nextBoolean() ? SYN | ACK : RST | ACK;
            assertNoMatch(replyTo(r).flags(flags).seq(random.nextInt()).ack(ack).build(), r + " ack " + ack);
            checked++;
        }
        assertTrue(checked > 9_990);
    }

    @Test
    void everyProbeHasItsOwnCookie() {
        // sanity of the fixture: the 36 probes have distinct cookies, so the tests above distinguish them
        Set<Long> seen = new HashSet<>();
        rows().forEach(a -> seen.add(cookie((Row) a.get()[0])));
        assertEquals(HOSTS.length * PORTS.length * ATTEMPTS, seen.size());
    }

    @Test
    void theCookieDependsOnTheKey() {
        Row r = new Row(0, 0, 0);
        ByteBuffer signedByOtherKey = replyTo(r).flags(SYN | ACK)
                .ack((new Cookies(K0 ^ 1, K1).compute(hi(US4), lo(US4), hi(r.host()), lo(r.host()), r.sport(), r.port(), 0)
                        & 0xffffffffL) + 1).build();
        assertNoMatch(signedByOtherKey, "cookie under another key");
        assertMatch(replyTo(r).flags(SYN | ACK).ack(cookie(r) + 1).build(), r, Reason.SYN_ACK);
    }
}
