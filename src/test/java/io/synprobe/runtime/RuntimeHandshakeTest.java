package io.synprobe.runtime;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.FIN;
import static io.synprobe.testutil.Packets.PSH;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanEngine;
import io.synprobe.ping.PingEngine;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.result.Handshake;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.testutil.FakeLink;
import io.synprobe.testutil.FakeLink.Answer;
import io.synprobe.testutil.Packets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The full handshake on the real runtime through a link that plays the server: our ACK completes exactly the
 * connection whose SYN-ACK acknowledged our cookie, the banner is the genuine greeting and not a forged segment
 * that came first, the connection closes with our RST or a FIN exchange, and a forged SYN-ACK opens nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeHandshakeTest {
    static final long SERVER_ISN = 90_000;
    static final byte[] GREETING = "SSH-2.0-fake_1.0\r\n".getBytes(StandardCharsets.US_ASCII);

    static Packets.Tcp from(FakeLink.Probe p) {
        return Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport());
    }

    /** A greeting server on 22 (after a forged segment with a wrong ack), a closed 80, a forged SYN-ACK on 8080. */
    static Answer server(FakeLink.Probe p) {
        boolean syn = (p.flags() & SYN) != 0;
        return switch (p.dport()) {
            case 22 -> {
                if (syn) yield Answer.of(from(p).flags(SYN | ACK).seq(SERVER_ISN).ack(p.seq() + 1).build());
                if (p.flags() == ACK && p.ack() == SERVER_ISN + 1) {
                    ByteBuffer forged = from(p).flags(PSH | ACK).seq(SERVER_ISN + 1).ack(p.seq() + 7)
                            .payload("FORGED\r\n".getBytes(StandardCharsets.US_ASCII)).build();
                    ByteBuffer genuine = from(p).flags(PSH | ACK).seq(SERVER_ISN + 1).ack(p.seq()).payload(GREETING).build();
                    yield Answer.of(forged, genuine);
                }
                yield Answer.none();
            }
            case 80 -> syn ? Answer.of(from(p).flags(RST | ACK).seq(0).ack(p.seq() + 1).build()) : Answer.none();
            case 8080 -> syn ? Answer.of(from(p).flags(SYN | ACK).seq(SERVER_ISN).ack(p.seq() + 2).build()) : Answer.none();
            default -> Answer.none();
        };
    }

    static String describe(List<FakeLink.Probe> sent, int port) {
        return sent.stream().filter(p -> p.dport() == port)
                .map(p -> flags(p.flags()) + " seq=" + p.seq() + " ack=" + p.ack()).collect(Collectors.joining("; "));
    }

    static String flags(int f) {
        StringBuilder s = new StringBuilder();
        if ((f & SYN) != 0) s.append('S');
        if ((f & FIN) != 0) s.append('F');
        if ((f & RST) != 0) s.append('R');
        if ((f & PSH) != 0) s.append('P');
        if ((f & ACK) != 0) s.append('.');
        return s.toString();
    }

    @Test
    void aScanCompletesReadsTheGenuineBannerAndResets() throws Exception {
        FakeLink link = new FakeLink(RuntimeHandshakeTest::server);
        RuntimeScanTest.Collect c = new RuntimeScanTest.Collect();
        ScanEngine engine = new ScanEngine(RuntimeScanTest.options("22,80,8080").retries(0).build());
        engine.handshake(new HandshakeModule(HandshakeModule.Close.RST, true, 256), TimeUnit.MILLISECONDS.toNanos(300));
        engine.run(link, () -> c, RuntimeScanTest.info());

        List<FakeLink.Probe> sent = link.sent();
        for (String host : List.of("198.18.0.2", "198.18.0.3", "198.18.0.4")) {
            PortResult open = c.byPort.get(host + ":22");
            assertEquals(Reason.SYN_ACK, open.reason());
            assertEquals(new Handshake(true, "SSH-2.0-fake_1.0\\r\\n", "rst"), open.handshake(), "the genuine greeting");
            assertEquals(Handshake.NOT_ESTABLISHED, c.byPort.get(host + ":80").handshake());
            PortResult forged = c.byPort.get(host + ":8080");
            assertEquals(Reason.NO_RESPONSE, forged.reason(), "a SYN-ACK with a wrong ack is nobody's");
            assertFalse(forged.handshake().established());
        }
        for (FakeLink.Probe syn : sent.stream().filter(p -> p.flags() == SYN && p.dport() == 22).toList()) {
            long cookie = syn.seq();
            List<FakeLink.Probe> conn = sent.stream().filter(p -> p.dport() == 22 && p.sport() == syn.sport()
                    && java.util.Arrays.equals(p.dst(), syn.dst())).toList();
            String seen = conn.stream().map(p -> flags(p.flags()) + " " + p.seq() + " " + p.ack())
                    .collect(Collectors.joining(", "));
            assertEquals(String.join(", ", "S " + cookie + " 0", ". " + (cookie + 1) + " " + (SERVER_ISN + 1),
                    ". " + (cookie + 1) + " " + (SERVER_ISN + 1 + GREETING.length), "R " + (cookie + 1) + " 0"), seen,
                    "SYN, our ACK, the ACK of the greeting, our RST");
        }
        assertEquals("S", sent.stream().filter(p -> p.dport() == 8080 || p.dport() == 80).map(p -> flags(p.flags()))
                .distinct().collect(Collectors.joining()), "nothing but SYNs to the closed and forged ports: "
                + describe(sent, 8080));
        // the summary counts replies to probes, not the connections' segments
        assertEquals(6, c.summary.replies(), c.summary.toString());
        assertEquals(List.of(3L, 3L, 3L), List.of(c.summary.open(), c.summary.closed(), c.summary.filtered()));
    }

    @Test
    void thousandsOfConnectionsAtOnceAreEachCompletedAndClosed() throws Exception {
        FakeLink link = new FakeLink(p -> p.flags() == SYN
                ? Answer.of(from(p).flags(SYN | ACK).seq(SERVER_ISN).ack(p.seq() + 1).build()) : Answer.none());
        RuntimeScanTest.Collect c = new RuntimeScanTest.Collect();
        ScanEngine engine = new ScanEngine(RuntimeScanTest.options("1-1000").retries(0).build());
        engine.handshake(new HandshakeModule(HandshakeModule.Close.RST, false, 256), TimeUnit.MILLISECONDS.toNanos(300));
        engine.run(link, () -> c, RuntimeScanTest.info());
        assertEquals(3000, c.byPort.size());
        assertTrue(c.byPort.values().stream().allMatch(r -> new Handshake(true, null, "rst").equals(r.handshake())),
                c.byPort.values().stream().filter(r -> !r.handshake().established()).findFirst().toString());
        List<FakeLink.Probe> sent = link.sent();
        assertEquals(3000, sent.stream().filter(p -> p.flags() == ACK).count());
        assertEquals(3000, sent.stream().filter(p -> p.flags() == RST).count());
        assertEquals(9000, sent.size());
    }

    @Test
    void aPingClosesWithAFinExchange() throws Exception {
        FakeLink link = new FakeLink(p -> {
            if (p.flags() == SYN) return Answer.of(from(p).flags(SYN | ACK).seq(SERVER_ISN).ack(p.seq() + 1).build());
            if (p.flags() == (FIN | ACK)) {
                // the server acknowledges our FIN and closes its side in one segment
                return Answer.of(from(p).flags(FIN | ACK).seq(SERVER_ISN + 1).ack(p.seq() + 1).build());
            }
            return Answer.none();
        });
        RuntimePingTraceTest.Events ev = new RuntimePingTraceTest.Events();
        PingEngine engine = new PingEngine(RuntimePingTraceTest.ping(2));
        engine.handshake(new HandshakeModule(HandshakeModule.Close.FIN, false, 256));
        assertTrue(engine.run(link, ev));
        List<PingEvent> replies = ev.events.stream().filter(e -> e.type() == PingEvent.Type.REPLY).toList();
        assertEquals(2, replies.size(), ev.events.toString());
        for (PingEvent e : replies) {
            assertEquals(new Handshake(true, null, "fin"), e.handshake());
            assertTrue(e.rttUs() >= 0);
        }
        List<FakeLink.Probe> sent = link.sent();
        for (FakeLink.Probe syn : sent.stream().filter(p -> p.flags() == SYN).toList()) {
            long cookie = syn.seq();
            String seen = sent.stream().filter(p -> p.sport() == syn.sport())
                    .map(p -> flags(p.flags()) + " " + p.seq() + " " + p.ack()).collect(Collectors.joining(", "));
            assertEquals(String.join(", ", "S " + cookie + " 0", ". " + (cookie + 1) + " " + (SERVER_ISN + 1),
                    "F. " + (cookie + 1) + " " + (SERVER_ISN + 1), ". " + (cookie + 2) + " " + (SERVER_ISN + 2)), seen);
        }
    }

    @Test
    void aServerThatNeverClosesIsResetAtTheTimeout() throws Exception {
        FakeLink link = new FakeLink(p -> p.flags() == SYN
                ? Answer.of(from(p).flags(SYN | ACK).seq(SERVER_ISN).ack(p.seq() + 1).build()) : Answer.none());
        RuntimePingTraceTest.Events ev = new RuntimePingTraceTest.Events();
        PingEngine engine = new PingEngine(RuntimePingTraceTest.ping(1));
        engine.handshake(new HandshakeModule(HandshakeModule.Close.FIN, true, 256));
        engine.run(link, ev);
        PingEvent e = ev.events.get(0);
        assertEquals(PingEvent.Type.REPLY, e.type());
        assertTrue(e.handshake().established());
        assertNull(e.handshake().banner(), "no greeting came");
        assertEquals("fin-timeout", e.handshake().close());
        long cookie = link.sent().get(0).seq();
        assertEquals("S, ., F., R", link.sent().stream().map(p -> flags(p.flags())).collect(Collectors.joining(", ")));
        assertEquals(cookie + 2, link.sent().get(3).seq(), "the RST comes after our FIN's sequence number");
    }
}
