package io.synprobe.trace;

import io.synprobe.result.Hop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.Reason;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceProbesTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long TIMEOUT = 1_000_000_000L;

    static TraceProbes sentAll(int hops, int perHop) {
        TraceProbes p = new TraceProbes(hops, perHop, TIMEOUT);
        for (int k = 0; k < p.count(); k++) p.sent(k, T0);
        return p;
    }

    static InetAddress router(int i) throws Exception {
        return InetAddress.getByName("198.18." + i + ".1");
    }

    @Test
    void hopsComeInOrderOnlyWhenCompleteAndStopAtTheLowestFinalAnswer() throws Exception {
        TraceProbes p = sentAll(5, 2);
        // the target's answers to TTL 3, 4 and 5 arrive before anything from the routers
        for (int k = 4; k < 10; k++) assertTrue(p.answer(k, router(3), T0 + 300_000, Reason.SYN_ACK));
        assertEquals(List.of(), p.completedHops(), "hop 1 is still pending");
        assertTrue(p.answer(0, router(1), T0 + 100_000, Reason.TIME_EXCEEDED));
        assertTrue(p.answer(1, router(1), T0 + 110_000, Reason.TIME_EXCEEDED));
        assertTrue(p.answer(2, router(2), T0 + 200_000, Reason.TIME_EXCEEDED));
        List<Hop> first = p.completedHops();
        assertEquals(1, first.size(), "hop 2 waits for its second probe");
        assertEquals(100, first.get(0).replies().get(0).rttUs());
        assertFalse(p.done());
        p.expire(T0 + TIMEOUT); // probe 3 never answered
        List<Hop> rest = p.completedHops();
        assertEquals(List.of(2, 3), rest.stream().map(Hop::ttl).toList(), "nothing after the first TTL that reached the target");
        assertNull(rest.get(0).replies().get(1));
        assertEquals(Reason.SYN_ACK, rest.get(1).end());
        assertTrue(p.done());
        assertEquals(List.of(), p.completedHops());
    }

    @Test
    void lateRepeatedAndUnsentAnswersAreIgnored() throws Exception {
        TraceProbes p = new TraceProbes(2, 1, TIMEOUT);
        assertFalse(p.answer(0, router(1), T0, Reason.TIME_EXCEEDED), "not sent yet");
        p.sent(0, T0);
        p.sent(1, -113); // EHOSTUNREACH: silent at once
        assertFalse(p.answer(0, router(1), T0 + TIMEOUT, Reason.TIME_EXCEEDED), "late");
        assertTrue(p.answer(0, router(1), T0 + 5_000, Reason.TIME_EXCEEDED));
        assertFalse(p.answer(0, router(2), T0 + 6_000, Reason.TIME_EXCEEDED), "repeated");
        assertFalse(p.answer(1, router(2), T0 + 6_000, Reason.SYN_ACK), "never sent");
        List<Hop> hops = p.completedHops();
        assertEquals(router(1), hops.get(0).addr());
        assertNull(hops.get(1).addr());
        assertTrue(p.done(), "no answer anywhere: the trace ends at the last TTL");
    }
}
