package io.synprobe.runtime;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.ping.PingEngine;
import io.synprobe.ping.PingOptions;
import io.synprobe.result.Hop;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import io.synprobe.result.Reason;
import io.synprobe.result.TraceInfo;
import io.synprobe.result.TraceListener;
import io.synprobe.testutil.FakeLink;
import io.synprobe.testutil.FakeLink.Answer;
import io.synprobe.testutil.Packets;
import io.synprobe.trace.TraceEngine;
import io.synprobe.trace.TraceOptions;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ping and trace as schedules on the runtime, through a link that answers in memory: each reply is credited to
 * exactly the probe it acknowledges (REPLY, LATE, DUP, TIMEOUT), a reply echoing another probe's cookie is nobody's,
 * refused probes are send errors, and a trace assembles its hops from quoted ICMP errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimePingTraceTest {
    static ByteBuffer synAck(FakeLink.Probe p, long ack) {
        return Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(5).ack(ack).flags(SYN | ACK).build();
    }

    static final class Events implements PingListener {
        final List<PingEvent> events = new ArrayList<>();
        final List<PingSummary> summaries = new ArrayList<>();

        @Override
        public synchronized void event(PingEvent e) {
            events.add(e);
        }

        @Override
        public synchronized void summary(PingSummary s) {
            summaries.add(s);
        }

        synchronized Map<Long, List<PingEvent.Type>> bySeq() {
            Map<Long, List<PingEvent.Type>> m = new TreeMap<>();
            for (PingEvent e : events) m.computeIfAbsent(e.seq(), k -> new ArrayList<>()).add(e.type());
            return m;
        }
    }

    static PingOptions ping(int count) throws Exception {
        return new PingOptions(List.of(InetAddress.getByName("198.18.0.2")), 443, count, Duration.ofMillis(40),
                Duration.ofMillis(150), 64, null);
    }

    @Test
    void everyReplyIsCreditedToTheProbeItAcknowledges() throws Exception {
        // probe 0 answered; 1 answered twice (the target retransmitting); 2 answered after the timeout; 3 silent;
        // 4 answered with probe 3's acknowledgment on probe 4's port (a forgery or a confused middlebox); 5 answered
        List<FakeLink.Probe> seen = new ArrayList<>();
        FakeLink link = new FakeLink(p -> {
            seen.add(p);
            int k = seen.size() - 1;
            return switch (k) {
                case 1 -> Answer.of(synAck(p, p.seq() + 1), synAck(p, p.seq() + 1));
                case 2 -> Answer.after(TimeUnit.MILLISECONDS.toNanos(250), synAck(p, p.seq() + 1));
                case 3 -> Answer.none();
                case 4 -> Answer.of(synAck(p, seen.get(3).seq() + 1));
                default -> Answer.of(synAck(p, p.seq() + 1));
            };
        });
        Events ev = new Events();
        assertTrue(new PingEngine(ping(6)).run(link, ev));
        Map<Long, List<PingEvent.Type>> bySeq = ev.bySeq();
        assertEquals(List.of(PingEvent.Type.REPLY), bySeq.get(0L));
        assertEquals(List.of(PingEvent.Type.REPLY, PingEvent.Type.DUP), bySeq.get(1L));
        assertEquals(List.of(PingEvent.Type.TIMEOUT, PingEvent.Type.LATE), bySeq.get(2L));
        assertEquals(List.of(PingEvent.Type.TIMEOUT), bySeq.get(3L));
        assertEquals(List.of(PingEvent.Type.TIMEOUT), bySeq.get(4L), "a reply with another probe's acknowledgment is nobody's");
        assertEquals(List.of(PingEvent.Type.REPLY), bySeq.get(5L));
        PingSummary s = ev.summaries.get(0);
        assertEquals(6, s.sent());
        assertEquals(3, s.received());
        assertEquals(1, s.late());
        assertEquals(1, s.dup());
        for (PingEvent e : ev.events) {
            if (e.type() == PingEvent.Type.REPLY) assertTrue(e.rttUs() < 100_000, "only timely replies are samples: " + e);
        }
        // every probe left from its own source port
        assertEquals(6, seen.stream().map(FakeLink.Probe::sport).distinct().count());
    }

    @Test
    void aRefusedPingProbeIsASendErrorNeitherSentNorLost() throws Exception {
        FakeLink link = new FakeLink(p -> Answer.refused(1));
        Events ev = new Events();
        new PingEngine(ping(3)).run(link, ev);
        assertEquals(3, ev.events.size());
        assertTrue(ev.events.stream().allMatch(e -> e.type() == PingEvent.Type.SEND_ERROR && "EPERM".equals(e.flags())));
        PingSummary s = ev.summaries.get(0);
        assertEquals(0, s.sent());
        assertEquals(3, s.sendErrors());
    }

    @Test
    void aListenerThatThrowsStopsThePing() {
        FakeLink link = new FakeLink(p -> Answer.of(synAck(p, p.seq() + 1)));
        PingListener bad = new PingListener() {
            @Override
            public void event(PingEvent e) {
                throw new IllegalStateException("broken pipe");
            }

            @Override
            public void summary(PingSummary s) {
            }
        };
        RunFailure f = assertThrows(RunFailure.class, () -> new PingEngine(ping(0)).run(link, bad));
        assertTrue(f.getMessage().contains("broken pipe"));
    }

    @Test
    void aTraceIsAssembledFromQuotedTimeExceededErrorsAndTheTargetsAnswer() throws Exception {
        FakeLink link = new FakeLink(p -> {
            if (p.ttl() <= 2) {
                String router = "198.19.0." + p.ttl();
                ByteBuffer quoted = Packets.probe(p.src(), p.sport(), p.dst(), p.dport(), p.seq());
                // the second router also sends one error quoting a wrong sequence number: it must not count
                ByteBuffer good = Packets.icmp(11, 0).from(router).to(p.src()).quoting(quoted).build();
                return p.ttl() == 2
                        ? Answer.of(Packets.icmp(11, 0).from("198.19.9.9").to(p.src())
                            .quoting(Packets.probe(p.src(), p.sport(), p.dst(), p.dport(), p.seq() + 7)).build(), good)
                        : Answer.of(good);
            }
            return Answer.of(Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(9).ack(p.seq() + 1)
                    .flags(RST | ACK).build());
        });
        List<Hop> hops = new ArrayList<>();
        TraceListener l = new TraceListener() {
            @Override
            public void begin(TraceInfo info) {
            }

            @Override
            public void hop(Hop hop) {
                hops.add(hop);
            }
        };
        TraceOptions o = new TraceOptions(InetAddress.getByName("198.18.3.2"), 80, 8, 2, Duration.ofMillis(200), null);
        assertTrue(new TraceEngine(o).run(link, l));
        assertEquals(3, hops.size(), "ends at the target: " + hops);
        for (int ttl = 1; ttl <= 2; ttl++) {
            for (Hop.Reply r : hops.get(ttl - 1).replies()) {
                assertEquals(InetAddress.getByName("198.19.0." + ttl), r.from());
                assertEquals(Reason.TIME_EXCEEDED, r.reason());
            }
        }
        for (Hop.Reply r : hops.get(2).replies()) assertEquals(Reason.RESET, r.reason());
    }
}
