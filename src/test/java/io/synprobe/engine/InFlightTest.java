package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The table of probes in flight against a plain model (a queue in send order and a map of live probes), through
 * random sends, answers, duplicate answers, give-ups and retransmissions, with growth: the first answer wins,
 * a probe not in flight is never found, and the index always leads to the probe's latest attempt, also when the
 * table is full and an insert reuses the very slot its retransmitted probe was popped from.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InFlightTest {
    @Test
    void firstAnswerWinsAndRetransmissionsKeepTheirProbe() {
        InFlight t = new InFlight(1024);
        long big = (1L << 32) - 1; // past 2^31: probe numbers are longs
        t.insert(big, 0, 100, 1);
        t.insert(7, 0, 200, 1);
        assertTrue(t.isLive(big));
        long a = t.answer(big);
        assertEquals(0, (int) (a >>> 32));
        assertEquals(100, (int) a);
        assertEquals(-1, t.answer(big), "a duplicate finds nothing in flight");
        assertFalse(t.isLive(big));
        assertEquals(-1, t.answer(8), "never sent");
        // retransmit 7: popped (after the answered head), then its next attempt inserted
        t.popAndForget(); // the answered head
        assertEquals(7, InFlight.probe(t.key(t.headSlot())));
        t.popKeepIndex();
        assertTrue(t.isLive(7), "still answerable between the pop and the next attempt's insert");
        t.insert(7, 1, 300, 2);
        long b = t.answer(7);
        assertEquals(1, (int) (b >>> 32), "the answer finds the latest attempt");
        assertEquals(300, (int) b);
        // answered between pop and insert: the next attempt is not live either
        t.insert(9, 0, 400, 3);
        t.popAndForget(); // 7's answered entry
        t.popKeepIndex(); // 9 goes for a retransmission
        assertTrue(t.answer(9) >= 0);
        t.insert(9, 1, 500, 4);
        assertEquals(-1, t.answer(9), "the retransmission of an answered probe cannot be answered again");
    }

    @Test
    void randomOperationsAgreeWithAModel() {
        SplittableRandom rnd = new SplittableRandom(42);
        InFlight t = new InFlight(1 << 10);
        ArrayDeque<long[]> ring = new ArrayDeque<>(); // {probe, attempt}
        Map<Long, Integer> live = new HashMap<>(); // probe -> attempt
        Map<Long, Integer> latest = new HashMap<>(); // probe -> attempt of its latest entry
        long next = 0;
        for (int step = 0; step < 400_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 4) { // send a batch of new probes
                int n = 1 + rnd.nextInt(20);
                int room = t.room();
                for (int i = 0; i < Math.min(n, room); i++) {
                    long p = (next++ * 0x9E3779B9L) & InFlight.PROBE_MASK; // scattered probe numbers
                    t.insert(p, 0, (int) p, step);
                    ring.add(new long[] {p, 0});
                    live.put(p, 0);
                    latest.put(p, 0);
                }
            } else if (op < 7 && !latest.isEmpty()) { // a reply, maybe a duplicate, maybe to a probe long gone
                long p = rnd.nextInt(3) == 0 ? ring.isEmpty() ? 0 : ring.peekLast()[0] : (rnd.nextLong(Math.max(1, next)) * 0x9E3779B9L) & InFlight.PROBE_MASK;
                long got = t.answer(p);
                Integer want = live.remove(p);
                assertEquals(want == null ? -1 : (long) want, got < 0 ? -1 : got >>> 32, "answer " + p);
            } else if (!ring.isEmpty()) { // the head: popped, given up or retransmitted
                long[] head = ring.poll();
                long p = head[0];
                assertEquals(p, InFlight.probe(t.key(t.headSlot())));
                assertTrue(t.owns(t.headSlot()));
                boolean isLive = live.containsKey(p);
                assertEquals(isLive, InFlight.live(t.key(t.headSlot())));
                if (isLive && head[1] < 3 && rnd.nextBoolean()) {
                    t.popKeepIndex();
                    int room = t.capacity() - t.size();
                    assertTrue(room >= 1);
                    t.insert(p, (int) head[1] + 1, 0, step);
                    ring.add(new long[] {p, head[1] + 1});
                    live.put(p, (int) head[1] + 1);
                    latest.put(p, (int) head[1] + 1);
                } else {
                    if (isLive) assertTrue(t.finishSlot(t.headSlot()));
                    t.popAndForget();
                    live.remove(p);
                    latest.remove(p);
                    assertEquals(-1, t.find(p), "gone from the index");
                }
            }
            assertEquals(ring.size(), t.size());
        }
        assertEquals(1 << 10, t.capacity(), "the table never grows");
        for (Map.Entry<Long, Integer> e : live.entrySet()) assertTrue(t.isLive(e.getKey()));
    }
}
