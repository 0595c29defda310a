package io.synprobe.runtime;

import static io.synprobe.testutil.Packets.ACK;
import static io.synprobe.testutil.Packets.RST;
import static io.synprobe.testutil.Packets.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.FakeLink;
import io.synprobe.testutil.FakeLink.Answer;
import io.synprobe.testutil.Packets;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scan schedule on the runtime through a link that answers in memory: classification of genuine, forged and
 * duplicate replies, local send refusals, timeouts that must wait for replies already queued, and outputs that
 * fail. No privileges needed; the replies are real packets through the real decoder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeScanTest {
    static final String TARGETS = "198.18.0.2-198.18.0.4";

    static ScanOptions.Builder options(String ports) {
        TargetSet t = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of(TARGETS)));
        return ScanOptions.builder(t, PortList.parse(ports)).timeouts(20_000, 20_000, 20_000);
    }

    static ByteBuffer reply(FakeLink.Probe p, int flags, long ack) {
        return Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(777).ack(ack).flags(flags).build();
    }

    static ByteBuffer icmpUnreachable(FakeLink.Probe p, int code, long quotedSeq) {
        return Packets.icmp(3, code).from(p.dst()).to(p.src())
                .quoting(Packets.probe(p.src(), p.sport(), p.dst(), p.dport(), quotedSeq)).build();
    }

    static final class Collect implements ResultSink {
        final Map<String, PortResult> byPort = new ConcurrentHashMap<>();
        ScanSummary summary;

        @Override
        public void accept(PortResult r) {
            PortResult before = byPort.put(r.ip().getHostAddress() + ":" + r.port(), r);
            assertNull(before, "reported twice: " + r);
        }

        @Override
        public void end(ScanSummary s) {
            summary = s;
        }

        @Override
        public void close() {
        }
    }

    static ScanInfo info() {
        return new ScanInfo(List.of("test"), Instant.now(), 3, 1, "-", "syn", "test");
    }

    static Collect scan(ScanOptions o, FakeLink link) throws IOException {
        Collect c = new Collect();
        new ScanEngine(o).run(link, () -> c, info());
        return c;
    }

    @Test
    void genuineRepliesDecideAndForgedOnesAreIgnored() throws Exception {
        // 22 open, 80 closed, 443 ICMP port-unreachable, 8080 forged SYN-ACK (wrong ack), 8081 forged RST (ack = seq),
        // 8082 forged ICMP (wrong quoted sequence), 8443 open with a duplicate SYN-ACK, 9 silent
        Function<FakeLink.Probe, Answer> net = p -> switch (p.dport()) {
            case 22 -> Answer.of(reply(p, SYN | ACK, p.seq() + 1));
            case 80 -> Answer.of(reply(p, RST | ACK, p.seq() + 1));
            case 443 -> Answer.of(icmpUnreachable(p, 3, p.seq()));
            case 8080 -> Answer.of(reply(p, SYN | ACK, p.seq() + 2));
            case 8081 -> Answer.of(reply(p, RST | ACK, p.seq()));
            case 8082 -> Answer.of(icmpUnreachable(p, 3, p.seq() ^ 1));
            case 8443 -> Answer.of(reply(p, SYN | ACK, p.seq() + 1), reply(p, SYN | ACK, p.seq() + 1));
            default -> Answer.none();
        };
        FakeLink link = new FakeLink(net);
        Collect c = scan(options("22,80,443,8080,8081,8082,8443,9").retries(1).build(), link);
        assertEquals(24, c.byPort.size());
        for (String host : List.of("198.18.0.2", "198.18.0.3", "198.18.0.4")) {
            assertEquals(Reason.SYN_ACK, c.byPort.get(host + ":22").reason(), "the positive control: a genuine SYN-ACK");
            assertEquals(Reason.RESET, c.byPort.get(host + ":80").reason());
            assertEquals(Reason.PORT_UNREACH, c.byPort.get(host + ":443").reason());
            assertEquals(Reason.SYN_ACK, c.byPort.get(host + ":8443").reason());
            for (int forged : new int[] {8080, 8081, 8082, 9}) {
                assertEquals(Reason.NO_RESPONSE, c.byPort.get(host + ":" + forged).reason(), host + ":" + forged);
            }
        }
        // forged replies to both attempts of 3 ports on 3 hosts, and the 3 duplicate SYN-ACKs, proved nothing
        assertEquals(3 * 3 * 2 + 3, c.summary.ignored(), c.summary + " sent " + link.sent().size());
        assertEquals(3 * 4, c.summary.replies());
        assertEquals(24 + 3 * 4, c.summary.probesSent(), "every unanswered probe was sent twice");
    }

    @Test
    void aProbeTheLocalKernelRefusesIsASendErrorNotTheNetworksVerdict() throws Exception {
        FakeLink link = new FakeLink(p -> p.dport() == 7 ? Answer.refused(1) : Answer.of(reply(p, RST | ACK, p.seq() + 1)));
        Collect c = scan(options("7,8").retries(2).build(), link);
        for (String host : List.of("198.18.0.2", "198.18.0.3", "198.18.0.4")) {
            PortResult r = c.byPort.get(host + ":7");
            assertEquals(PortState.ERROR, r.state());
            assertEquals(Reason.SEND_ERROR, r.reason());
            assertEquals("EPERM", r.error());
            assertEquals(-1, r.rttUs(), "no RTT from a probe that never left");
            assertEquals(Reason.RESET, c.byPort.get(host + ":8").reason());
        }
        assertEquals(3, c.summary.sendErrors());
        assertEquals("EPERM", c.summary.firstSendError());
        assertEquals(3, c.summary.probesSent(), "refused probes are not counted as sent");
        assertEquals(0, c.summary.filtered());
        assertEquals(3, link.sent().stream().filter(p -> p.dport() == 7).count(), "a refusal is not retried");
    }

    @Test
    void aTimeoutWaitsForRepliesTheReceiverHasNotReadYet() throws Exception {
        // every port answers at once, but the receiver is held up for 300 ms (a slow output, a busy core): with a
        // 20 ms timeout and no retries, judging by the sender's clock alone would call every port filtered
        FakeLink link = new FakeLink(p -> Answer.of(reply(p, SYN | ACK, p.seq() + 1)));
        link.stallReceiverFor(TimeUnit.MILLISECONDS.toNanos(300));
        Collect c = scan(options("1-50").retries(0).build(), link);
        assertEquals(150, c.byPort.size());
        assertTrue(c.byPort.values().stream().allMatch(r -> r.reason() == Reason.SYN_ACK),
                "replies that arrived in time are never beaten by a timeout: " + c.summary);
    }

    @Test
    void anOutputThatThrowsStopsTheRunAndNothingHangs() {
        FakeLink link = new FakeLink(p -> Answer.of(reply(p, RST | ACK, p.seq() + 1)));
        ResultSink failing = new ResultSink() {
            @Override
            public void accept(PortResult r) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void close() {
            }
        };
        // 3 x 60000 results: far more than the result queue holds, so a dead output thread would block the
        // receiver forever if nothing noticed
        RunFailure e = assertThrows(RunFailure.class,
                () -> new ScanEngine(options("1-60000").retries(0).build()).run(link, () -> failing, info()));
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
    }

    @Test
    void anAckScanFindsUnfilteredPortsByTheRstThatEchoesItsAcknowledgment() throws Exception {
        // ACK probes: a RST whose sequence number is our acknowledgment proves the port unfiltered; 81 answers
        // with a RST carrying the wrong sequence number (forged), 82 is dropped
        FakeLink link = new FakeLink(p -> switch (p.dport()) {
            case 80 -> Answer.of(Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(p.ack()).flags(RST).build());
            case 81 -> Answer.of(Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(p.ack() + 1).flags(RST).build());
            default -> Answer.none();
        });
        Collect c = scan(options("80,81,82").retries(0).scanType("ack").build(), link);
        assertTrue(link.sent().stream().allMatch(p -> p.flags() == ACK), "ACK probes only");
        for (String host : List.of("198.18.0.2", "198.18.0.3", "198.18.0.4")) {
            assertEquals(PortState.UNFILTERED, c.byPort.get(host + ":80").state());
            assertEquals("reset", c.byPort.get(host + ":80").reason().label());
            assertEquals(PortState.FILTERED, c.byPort.get(host + ":81").state(), "a RST with the wrong sequence number");
            assertEquals(PortState.FILTERED, c.byPort.get(host + ":82").state());
        }
        assertEquals(3, c.summary.unfiltered(), "the summary counts unfiltered ports");
        assertEquals(6, c.summary.filtered());
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }
}
