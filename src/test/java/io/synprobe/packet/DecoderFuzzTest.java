package io.synprobe.packet;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static io.synprobe.testutil.Packets.hi;
import static io.synprobe.testutil.Packets.lo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.synprobe.probe.Cookies;
import io.synprobe.engine.ScanIndex;
import io.synprobe.probe.Classifier;
import io.synprobe.probe.SynModule;
import io.synprobe.packet.DecodedReply.Kind;
import io.synprobe.result.Reason;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.Packets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated packets at DecodedReply and ReplyMatcher the way the receive loop does: packets at
 * arbitrary offsets of a reused buffer full of other bytes. Nothing may escape as an exception, and a mutated
 * reply may only match while the fields that prove it answers our probe (addresses, ports, ack or quoted
 * sequence number) are intact. Seeded: a failure reproduces.
 */
class DecoderFuzzTest {
    private static final long K0 = 0x1122334455667788L, K1 = 0x99aabbccddeeff00L;
    private static final String US4 = "198.18.0.1", US6 = "2001:db8::1";
    private static final String[] HOSTS = {"198.18.0.2", "198.18.0.3", "198.18.0.4", "2001:db8::2"};
    private static final int[] PORTS = {22, 80, 443};
    private static final int[] UNREACH4 = {0, 1, 2, 3, 9, 10, 13};
    private static final int[] UNREACH6 = {0, 1, 3, 4};
    private static final int SPORT_BASE = 40000, ATTEMPTS = 3, BUFFER = 1024, ROUNDS = 50_000;

    private final Cookies cookies = new Cookies(K0, K1);
    private final Classifier matcher;
    private final DecodedReply reply = new DecodedReply();

    DecoderFuzzTest() {
        TargetParser parser = new TargetParser(TargetParser.Preference.ANY);
        TargetSet targets = TargetSet.of(parser.parseAll(List.of("198.18.0.2-198.18.0.4", "2001:db8::2")));
        // no probe counts as sent: a bare SYN carries no proof, so only authenticated replies can match
        matcher = new Classifier(SynModule.INSTANCE, new Cookies(K0, K1), new ScanIndex(targets, PortList.parse("22,80,443"), SPORT_BASE, ATTEMPTS - 1,
                probe -> false));
    }

    // ------------------------------------------------------------------ random bytes

    @Test
    void randomPacketsNeverThrowAndNeverMatch() {
        Random rnd = new Random(0x5eedf00dL);
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] junk = new byte[BUFFER];
            rnd.nextBytes(junk);
            buf.clear();
            buf.put(junk).clear();
            int length = rnd.nextInt(160);
            int off = rnd.nextInt(BUFFER - length);
            shapeLikeAPacket(buf, off, length, rnd);
            int len = pickLength(rnd, off, length);
            int wireLen = rnd.nextInt(4) == 0 ? rnd.nextInt(70000) - 10 : Math.max(len, length);
            Kind kind = decodeAndMatchSafely(buf, off, len, wireLen, i, false);
            kinds.merge(kind, 1, Integer::sum);
        }
        // the shaping must reach past the header checks, or this test proves little
        assertTrue(kinds.getOrDefault(Kind.TCP, 0) > 1000, kinds.toString());
        assertTrue(kinds.getOrDefault(Kind.ICMP_UNREACHABLE, 0) + kinds.getOrDefault(Kind.ICMP_TIME_EXCEEDED, 0) > 500,
                kinds.toString());
        assertTrue(kinds.getOrDefault(Kind.INVALID, 0) > 10_000, kinds.toString());
    }

    /** Random bytes, often given a plausible IPv4/IPv6 header and correct checksums so decoding goes deep. */
    private static void shapeLikeAPacket(ByteBuffer b, int off, int length, Random rnd) {
        if (length < 1 || rnd.nextInt(5) == 0) return; // pure noise
        boolean v4 = rnd.nextBoolean();
        if (v4 && length >= 20) {
            int ihlWords = rnd.nextInt(8) == 0 ? rnd.nextInt(16) : 5;
            b.put(off, (byte) (0x40 | ihlWords));
            b.putShort(off + 2, (short) (rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : length));
            if (rnd.nextInt(4) != 0) b.putShort(off + 6, (short) (rnd.nextBoolean() ? 0x4000 : 0));
            int[] protos = {6, 6, 1, 1, 17, rnd.nextInt(256)};
            b.put(off + 9, (byte) protos[rnd.nextInt(protos.length)]);
            int l4 = off + ihlWords * 4;
            if (b.get(off + 9) == 1 && l4 + 8 < off + length) {
                b.put(l4, (byte) (rnd.nextBoolean() ? 3 : 11));
                shapeQuote(b, l4 + 8, off + length - l4 - 8, true, rnd);
            } else if (b.get(off + 9) == 6 && l4 + 13 < off + length) {
                b.put(l4 + 12, (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0x50));
            }
        } else if (!v4 && length >= 40) {
            b.put(off, (byte) 0x60);
            b.putShort(off + 4, (short) (rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : length - 40));
            int[] next = {6, 6, 58, 58, 17, 0, rnd.nextInt(256)};
            b.put(off + 6, (byte) next[rnd.nextInt(next.length)]);
            if (b.get(off + 6) == 58 && length >= 48) {
                b.put(off + 40, (byte) (rnd.nextBoolean() ? 1 : 3));
                shapeQuote(b, off + 48, length - 48, false, rnd);
            } else if (b.get(off + 6) == 6 && length >= 53) {
                b.put(off + 52, (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0x50));
            }
        } else {
            b.put(off, (byte) (rnd.nextBoolean() ? 0x45 : 0x60));
        }
        if (rnd.nextInt(4) != 0) Packets.fixChecksums(b, off, length);
    }

    private static void shapeQuote(ByteBuffer b, int q, int room, boolean v4, Random rnd) {
        if (room < 1) return;
        b.put(q, (byte) (v4 ? 0x40 | (rnd.nextInt(8) == 0 ? rnd.nextInt(16) : 5) : 0x60));
        int protoAt = v4 ? 9 : 6;
        if (room > protoAt && rnd.nextInt(4) != 0) b.put(q + protoAt, (byte) 6);
    }

    private static int pickLength(Random rnd, int off, int length) {
        return switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt(length + 1);                // cut capture, maybe zero
            case 1 -> length + rnd.nextInt(BUFFER - off - length + 1); // trailing junk
            case 2 -> BUFFER - off + 1 + rnd.nextInt(100);    // past the buffer's end
            case 3 -> rnd.nextInt(10) == 0 ? Integer.MAX_VALUE - rnd.nextInt(100) : -rnd.nextInt(5);
            default -> length;
        };
    }

    // ------------------------------------------------------------------ mutated valid replies

    /** What a genuine reply looks like, decoded, before any mutation. */
    private record Original(ByteBuffer packet, boolean icmp, int family, long probe, int attempt, Reason reason,
                            long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort, long proof,
                            int[] sensitive, int[] harmless) {
    }

    private enum Mutation { FLIP_ANY, FLIP_ANY_FIXED, FLIP_PROOF_FIXED, FLIP_HARMLESS_FIXED, TRUNCATE, LENGTH_FIELD,
        OVERWRITE_FIXED }

    @Test
    void mutatedRepliesMatchOnlyWhileTheirProofIsIntact() {
        Random rnd = new Random(0xc0ffee11L);
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        byte[] junk = new byte[BUFFER];
        Map<Mutation, int[]> outcome = new EnumMap<>(Mutation.class); // [tried, decoded, matched]
        for (Mutation m : Mutation.values()) outcome.put(m, new int[3]);
        for (int i = 0; i < ROUNDS; i++) {
            Original o = genuine(rnd);
            Mutation m = Mutation.values()[rnd.nextInt(Mutation.values().length)];
            rnd.nextBytes(junk);
            buf.clear();
            buf.put(junk).clear();
            int length = o.packet().limit();
            int off = rnd.nextInt(BUFFER - length);
            buf.put(off, Packets.bytes(o.packet()));
            int len = length, wireLen = length;
            switch (m) {
                case FLIP_ANY, FLIP_ANY_FIXED -> {
                    int flips = 1 + rnd.nextInt(4);
                    for (int f = 0; f < flips; f++) Packets.flipBit(buf, off + rnd.nextInt(length), rnd.nextInt(8));
                    if (m == Mutation.FLIP_ANY_FIXED) Packets.fixChecksums(buf, off, length);
                }
                case FLIP_PROOF_FIXED -> {
                    int flips = 1 + rnd.nextInt(3);
                    for (int f = 0; f < flips; f++) {
                        int at = o.sensitive()[rnd.nextInt(o.sensitive().length)];
                        Packets.flipBit(buf, off + at, rnd.nextInt(8));
                    }
                    if (!proofChanged(o, buf, off)) { // two flips of the same bit cancelled out
                        Packets.flipBit(buf, off + o.sensitive()[rnd.nextInt(o.sensitive().length)], rnd.nextInt(8));
                    }
                    Packets.fixChecksums(buf, off, length);
                }
                case FLIP_HARMLESS_FIXED -> {
                    int at = o.harmless()[rnd.nextInt(o.harmless().length)];
                    Packets.flipBit(buf, off + at, rnd.nextInt(8));
                    Packets.fixChecksums(buf, off, length);
                }
                case TRUNCATE -> {
                    len = rnd.nextInt(length);
                    wireLen = rnd.nextBoolean() ? length : len;
                }
                case LENGTH_FIELD -> {
                    int[] fields = o.family() == 4 ? new int[] {0, 2, 3} : new int[] {4, 5};
                    int at = fields[rnd.nextInt(fields.length)];
                    buf.put(off + at, (byte) (at == 0 ? 0x40 | rnd.nextInt(16) : rnd.nextInt(256)));
                    if (rnd.nextBoolean()) Packets.fixChecksums(buf, off, length);
                    if (rnd.nextBoolean()) wireLen = rnd.nextInt(length + 40);
                }
                case OVERWRITE_FIXED -> {
                    buf.put(off + rnd.nextInt(length), (byte) rnd.nextInt(256));
                    Packets.fixChecksums(buf, off, length);
                }
                default -> throw new AssertionError(m);
            }
            boolean proofChanged = proofChanged(o, buf, off);
            int[] stats = outcome.get(m);
            stats[0]++;
            Kind kind = decodeAndMatchSafely(buf, off, len, wireLen, i, true);
            boolean matched = kind != Kind.INVALID && lastMatch;
            if (kind != Kind.INVALID) stats[1]++;
            if (matched) {
                stats[2]++;
                assertIntact(o, i, m, buf, off, length);
                assertTrue(!proofChanged, () -> "matched although the proof bytes changed: " + m);
            }
            if (m == Mutation.FLIP_PROOF_FIXED) {
                final int iteration = i;
                assertTrue(kind != Kind.INVALID, () -> "mutation must still decode, #" + iteration + ": " + reply.invalidWhy);
                assertTrue(!matched, () -> "forged proof matched, #" + iteration);
            }
            if (m == Mutation.FLIP_HARMLESS_FIXED) {
                final int iteration = i;
                assertTrue(matched, () -> "a harmless change broke the match, #" + iteration + " "
                        + HexFormat.of().formatHex(Packets.bytes(slice(buf, off, length))));
                assertEquals(o.reason(), matcher.reason);
            }
        }
        int[] proof = outcome.get(Mutation.FLIP_PROOF_FIXED);
        assertTrue(proof[0] > 5000 && proof[1] == proof[0] && proof[2] == 0, () -> "proof " + Arrays.toString(proof));
        int[] harmless = outcome.get(Mutation.FLIP_HARMLESS_FIXED);
        assertTrue(harmless[0] > 5000 && harmless[2] == harmless[0], () -> "harmless " + Arrays.toString(harmless));
        int[] any = outcome.get(Mutation.FLIP_ANY_FIXED);
        assertTrue(any[2] > 0 && any[2] < any[0], () -> "flip-any-fixed " + Arrays.toString(any));
    }

    /** Did any byte the proof depends on change (compared at the same place in the packet)? */
    private static boolean proofChanged(Original o, ByteBuffer buf, int off) {
        for (int at : o.sensitive()) if (buf.get(off + at) != o.packet().get(at)) return true;
        return false;
    }

    private void assertIntact(Original o, int i, Mutation m, ByteBuffer buf, int off, int length) {
        String where = "#" + i + " " + m + " " + HexFormat.of().formatHex(Packets.bytes(slice(buf, off, length)));
        assertEquals(o.probe(), matcher.probe, where);
        assertEquals(o.attempt(), (matcher.localPort - SPORT_BASE), where);
        assertEquals(o.family(), reply.family, where);
        if (reply.kind == Kind.TCP) {
            assertTrue(!o.icmp(), where);
            assertEquals(o.srcHi(), reply.srcHi, where);
            assertEquals(o.srcLo(), reply.srcLo, where);
            assertEquals(o.dstHi(), reply.dstHi, where);
            assertEquals(o.dstLo(), reply.dstLo, where);
            assertEquals(o.srcPort(), reply.srcPort, where);
            assertEquals(o.dstPort(), reply.dstPort, where);
            assertEquals(o.proof(), reply.ack, where);
        } else {
            assertTrue(o.icmp(), where);
            assertEquals(o.srcHi(), reply.quotedSrcHi, where);
            assertEquals(o.srcLo(), reply.quotedSrcLo, where);
            assertEquals(o.dstHi(), reply.quotedDstHi, where);
            assertEquals(o.dstLo(), reply.quotedDstLo, where);
            assertEquals(o.srcPort(), reply.quotedSrcPort, where);
            assertEquals(o.dstPort(), reply.quotedDstPort, where);
            assertEquals(o.proof(), reply.quotedSeq, where);
        }
    }

    /** A reply to one of our probes, chosen at random, with the offsets of its proof and of harmless fields. */
    private Original genuine(Random rnd) {
        int h = rnd.nextInt(HOSTS.length), p = rnd.nextInt(PORTS.length), a = rnd.nextInt(ATTEMPTS);
        String host = HOSTS[h];
        boolean v6 = host.contains(":");
        String us = v6 ? US6 : US4;
        int sport = SPORT_BASE + a, dport = PORTS[p];
        long cookie = cookies.compute(hi(us), lo(us), hi(host), lo(host), sport, dport, 0) & 0xffffffffL;
        long probe = (long) h * PORTS.length + p;
        int shape = rnd.nextInt(5);
        if (shape <= 1) {
            boolean synAck = shape == 0;
            Packets.Tcp t = Packets.tcp().from(host, dport).to(us, sport).flags(synAck ? SYN | ACK : RST | ACK)
                    .seq(rnd.nextInt()).ack(cookie + 1).window(rnd.nextInt(65536)).ttl(1 + rnd.nextInt(255));
            if (rnd.nextBoolean()) t.tcpOptions(new byte[] {2, 4, 0x05, (byte) 0xb4});
            if (!v6 && rnd.nextInt(4) == 0) t.ipOptions(new byte[] {1, 1, 1, 1});
            if (rnd.nextInt(8) == 0) t.tcpChecksum(Packets.TcpChecksum.OFFLOADED);
            ByteBuffer pkt = t.build();
            int l4 = v6 ? 40 : (pkt.get(0) & 0x0f) * 4;
            int[] sensitive = v6 ? concat(range(8, 40), range(l4, l4 + 4), range(l4 + 8, l4 + 12))
                    : concat(range(12, 20), range(l4, l4 + 4), range(l4 + 8, l4 + 12));
            // seq, window, urgent pointer, TTL, IPv4 id and TOS; FIN/PSH/URG/ECE/CWR flags (not SYN, RST, ACK)
            int[] harmless = v6 ? concat(range(l4 + 4, l4 + 8), range(l4 + 14, l4 + 16), range(l4 + 18, l4 + 20), new int[] {7})
                    : concat(range(l4 + 4, l4 + 8), range(l4 + 14, l4 + 16), range(l4 + 18, l4 + 20), new int[] {1, 4, 5, 8});
            Original o = new Original(pkt, false, v6 ? 6 : 4, probe, a, synAck ? Reason.SYN_ACK : Reason.RESET,
                    hi(host), lo(host), hi(us), lo(us), dport, sport, (cookie + 1) & 0xffffffffL, sensitive, harmless);
            return checkBaseline(o);
        }
        boolean timeExceeded = shape == 4;
        int type = v6 ? (timeExceeded ? 3 : 1) : (timeExceeded ? 11 : 3);
        int[] codes = v6 ? UNREACH6 : UNREACH4;
        int code = timeExceeded ? rnd.nextInt(2) : codes[rnd.nextInt(codes.length)];
        ByteBuffer probePkt = Packets.probe(us, sport, host, dport, cookie);
        String sender = rnd.nextBoolean() ? host : (v6 ? "2001:db8:ffff::" + Integer.toHexString(1 + rnd.nextInt(65535))
                : "198.19.2." + (1 + rnd.nextInt(254)));
        Packets.Icmp icmp = Packets.icmp(type, code).from(sender).to(us).ttl(1 + rnd.nextInt(255)).rest(rnd.nextInt());
        if (rnd.nextBoolean()) icmp.quoteBytes(probePkt.limit()); // the whole probe
        ByteBuffer pkt = icmp.quoting(probePkt).build();
        int q = v6 ? 48 : 28;
        int qt = v6 ? q + 40 : q + 20; // quoted TCP header
        int[] sensitive = v6 ? concat(range(q + 8, q + 40), range(qt, qt + 8)) : concat(range(q + 12, q + 20), range(qt, qt + 8));
        // outer TTL and source (any router may answer), the 32 unused bits, quoted TTL/id/checksum
        int[] harmless = v6 ? concat(new int[] {7}, range(8, 24), range(44, 48), new int[] {q + 7})
                : concat(new int[] {1, 4, 5, 8}, range(12, 16), range(24, 28), new int[] {q + 4, q + 5, q + 8, q + 10, q + 11});
        Reason reason = IcmpReasons.of(v6 ? 6 : 4, type, code);
        return checkBaseline(new Original(pkt, true, v6 ? 6 : 4, probe, a, reason, hi(us), lo(us), hi(host), lo(host),
                sport, dport, cookie, sensitive, harmless));
    }

    private Original checkBaseline(Original o) {
        ByteBuffer p = o.packet();
        Kind kind = reply.decode(p, 0, p.limit(), p.limit());
        assertTrue(kind != Kind.INVALID, () -> "baseline must decode: " + reply.invalidWhy);
        assertTrue(matcher.classify(reply), "baseline must match");
        assertEquals(o.probe(), matcher.probe);
        assertEquals(o.attempt(), (matcher.localPort - SPORT_BASE));
        assertEquals(o.reason(), matcher.reason);
        return o;
    }

    // ------------------------------------------------------------------ helpers

    private boolean lastMatch;

    /** Decodes and matches, failing with the packet bytes if anything throws. */
    private Kind decodeAndMatchSafely(ByteBuffer buf, int off, int len, int wireLen, int iteration, boolean allowMatch) {
        Kind kind;
        try {
            kind = reply.decode(buf, off, len, wireLen);
            assertEquals(kind, reply.kind);
            assertEquals(kind == Kind.INVALID, reply.invalidWhy != null, "invalidWhy set exactly for INVALID");
            lastMatch = matcher.classify(reply);
        } catch (RuntimeException e) {
            int end = (int) Math.min((long) off + Math.max(0, Math.min(len, 200)), buf.limit());
            String bytes = off >= 0 && off < end ? HexFormat.of().formatHex(Packets.bytes(slice(buf, off, end - off))) : "";
            throw new AssertionError("#" + iteration + " off=" + off + " len=" + len + " wire=" + wireLen + " " + bytes, e);
        }
        if (lastMatch && !allowMatch) fail("random bytes matched a probe, #" + iteration);
        if (kind == Kind.INVALID && lastMatch) fail("INVALID reply matched, #" + iteration);
        return kind;
    }

    private static ByteBuffer slice(ByteBuffer b, int off, int len) {
        ByteBuffer d = b.duplicate();
        d.position(off).limit(off + len);
        return d.slice();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
