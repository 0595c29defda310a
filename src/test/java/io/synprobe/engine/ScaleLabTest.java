package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.Shell;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.FakeLink;
import io.synprobe.testutil.FakeLink.Answer;
import io.synprobe.testutil.Packets;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scans at scale through an in-memory link (nothing is sent anywhere), with the route lookups in a namespace
 * whose only link is a veth pair inside it, holding 198.18.0.1/15 and 2001:db8::1/32 (no route out of the lab): a scan of
 * 2^32 probes resumed past 2^31, and sharded scans whose in-flight table follows their share.
 */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(120)
class ScaleLabTest {
    static String ns;

    @BeforeAll
    static void namespace() {
        Privileged.require("ip");
        ns = "spscale" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        Shell.check("ip", "netns", "add", ns);
        Shell.check("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        Shell.check("ip", "-n", ns, "link", "set", "d1", "up");
        Shell.check("ip", "-n", ns, "addr", "add", "198.18.0.1/15", "dev", "d0");
        Shell.check("ip", "-n", ns, "addr", "add", "2001:db8::1/32", "dev", "d0", "nodad");
        Shell.check("ip", "-n", ns, "link", "set", "d0", "up");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) Shell.run(List.of("ip", "netns", "del", ns), null, 30);
    }

    static ByteBuffer reset(FakeLink.Probe p) {
        return Packets.tcp().from(p.dst(), p.dport()).to(p.src(), p.sport()).seq(777).ack(p.seq() + 1)
                .flags(Packets.RST | Packets.ACK).build();
    }

    /** Keeps results by probe number; stops the engine once it has enough. */
    static final class Collect implements ResultSink {
        final Map<String, PortResult> seen = new ConcurrentHashMap<>();
        final AtomicInteger count = new AtomicInteger();
        volatile ScanEngine engine;
        final int stopAfter;

        Collect(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void accept(PortResult r) {
            assertNull(seen.put(r.ip().getHostAddress() + " " + r.port(), r), "reported twice: " + r);
            if (count.incrementAndGet() == stopAfter) {
                engine.requestStop();
                engine.requestStop();
            }
        }

        @Override
        public void close() {
        }
    }

    static ScanInfo info() {
        return new ScanInfo(List.of("test"), Instant.now(), 1, 1, "-", "syn", "test");
    }

    @Test
    void aScanOfTwoToThe32ProbesResumesPastTwoToThe31() throws Exception {
        byte[] base = InetAddress.getByName("2001:db8::").getAddress();
        TargetSet targets = TargetSet.of(List.of(new AddressRange(6, Ip.hi(base), Ip.lo(base), 1L << 30)));
        PortList ports = PortList.parse("80,443,8080,8443");
        ScanOptions opt = ScanOptions.builder(targets, ports).seed(11).retries(0).timeouts(20_000, 20_000, 20_000)
                .netns("/run/netns/" + ns).build();
        assertEquals(1L << 32, opt.probeCount());
        FakeLink link = new FakeLink(p -> p.dport() == 80 || p.dport() == 8443 ? Answer.of(reset(p)) : Answer.none());
        ScanEngine engine = new ScanEngine(opt);
        long last = (1L << 32) - 1, carried = 3_000_000_001L, position = (1L << 31) + 12_345;
        engine.resumeFrom(new ResumePoint(position, new long[] {last, carried}));
        Collect c = new Collect(20_000);
        c.engine = engine;
        io.synprobe.result.ScanSummary summary = engine.run(link, () -> c, info());
        long answering = c.seen.values().stream().filter(r -> r.reason() == Reason.RESET).map(PortResult::ip).distinct().count();
        assertEquals(answering, summary.hostsUp(), "hosts up counted exactly");

        assertTrue(c.count.get() >= 20_000, "results: " + c.count.get());
        PortResult lastResult = c.seen.get("2001:db8:0:0:0:0:3fff:ffff 8443");
        assertEquals(Reason.RESET, lastResult.reason(), "probe 2^32 - 1, carried over: the last host's last port");
        assertEquals(Reason.NO_RESPONSE, c.seen.get("2001:db8:0:0:0:0:2cb4:1780 443").reason(), "probe 3,000,000,001");
        ScanIndex index = new ScanIndex(targets, ports, 0, 0, p -> true);
        long above = 0;
        for (PortResult r : c.seen.values()) {
            byte[] a = r.ip().getAddress();
            long probe = index.probeOf(6, Ip.hi(a), Ip.lo(a), r.port(), 0);
            assertTrue(probe >= 0 && probe < 1L << 32, r.toString());
            if (probe > Integer.MAX_VALUE) above++;
            // the verdict is the one the link gave this very address and port
            assertEquals(r.port() == 80 || r.port() == 8443 ? Reason.RESET : Reason.NO_RESPONSE, r.reason(), r.toString());
        }
        assertTrue(above > 5_000, "probe numbers past 2^31 in use: " + above);
        ResumePoint stop = engine.stoppedAt();
        assertTrue(stop.position() > position, "the walk went on past its resume point: " + stop.position());
        assertEquals(MemoryBudget.MAX_IN_FLIGHT, engine.inFlightCapacity(),
                "the state is the in-flight table (12 MB), not 2^32 of anything");
    }

    @Test
    void hostsPastTwoToThe31AreCountedUp() throws Exception {
        byte[] base = InetAddress.getByName("2001:db8::").getAddress();
        TargetSet targets = TargetSet.of(List.of(new AddressRange(6, Ip.hi(base), Ip.lo(base), 1L << 32)));
        ScanOptions opt = ScanOptions.builder(targets, PortList.parse("80")).seed(3).retries(0)
                .timeouts(20_000, 20_000, 20_000).netns("/run/netns/" + ns).build();
        ScanEngine engine = new ScanEngine(opt);
        engine.resumeFrom(new ResumePoint((1L << 31) + 99, new long[0]));
        Collect c = new Collect(5_000);
        c.engine = engine;
        // every host answers: one probe per host, so hosts up = results with a reply
        io.synprobe.result.ScanSummary summary = engine.run(new FakeLink(p -> Answer.of(reset(p))), () -> c, info());
        long past = c.seen.values().stream().filter(r -> Ip.lo(r.ip().getAddress()) - Ip.lo(base) > Integer.MAX_VALUE).count();
        assertTrue(past > 1000, "hosts numbered past 2^31 answered: " + past);
        assertEquals(c.count.get(), summary.hostsUp(), "each of them counted up");
    }

    @Test
    void aShardAllocatesStateForItsShareOnly() throws Exception {
        TargetSet targets = TargetSet.of(List.of(new AddressRange(4, 0, Ip.lo(InetAddress.getByName("198.18.0.0").getAddress()), 4096)));
        PortList ports = PortList.parse("1-16");
        int wholeResults = 0;
        for (int shards : new int[] {1, 4, 16}) {
            int results = 0;
            for (int i = 0; i < shards; i++) {
                ScanOptions opt = ScanOptions.builder(targets, ports).seed(5).shard(i, shards).retries(0)
                        .timeouts(20_000, 20_000, 20_000).netns("/run/netns/" + ns).build();
                ScanEngine engine = new ScanEngine(opt);
                MemoryBudget.Plan plan = engine.memoryPlan();
                assertEquals(65_536 / shards, plan.shareProbes());
                assertEquals(Math.max(MemoryBudget.MIN_IN_FLIGHT, 65_536 / shards), plan.inFlightCapacity());
                Collect c = new Collect(-1);
                c.engine = engine;
                engine.run(new FakeLink(p -> Answer.of(reset(p))), () -> c, info());
                assertEquals(plan.inFlightCapacity(), engine.inFlightCapacity(), "the table allocated is the plan's");
                results += c.count.get();
                if (i == 0) System.out.printf("shard 1/%d: %d probes, table of %d entries (%d bytes)%n", shards,
                        c.count.get(), engine.inFlightCapacity(), engine.inFlightCapacity() * 24L);
            }
            assertEquals(65_536, results, shards + " shards cover the scan");
        }
    }
}
