package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.Shell;
import io.synprobe.target.AddressRange;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.target.UsageException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a scan holds is worked out before it sends anything: the probes cost nothing each, the table of probes in
 * flight follows the run's share and rate, never the scan's size; a heap too small for it is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryBudgetTest {
    static final long GB = 1L << 30;

    static ScanOptions.Builder scan(String targets, String ports) {
        // all of IPv4 as one range (the parser refuses 0.0.0.0 and friends; the state does not care)
        TargetSet t = targets.equals("0.0.0.0/0") ? TargetSet.of(List.of(new AddressRange(4, 0, 0, 1L << 32)))
                : TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of(targets)));
        return ScanOptions.builder(t, PortList.parse(ports)).seed(7);
    }

    @Test
    void allOfIpv4OnOnePortCostsWhatItKeepsInFlightNotFourBytesAProbe() {
        MemoryBudget.Plan all = MemoryBudget.plan(scan("0.0.0.0/0", "80").build(), 0, GB);
        assertEquals(1L << 32, all.shareProbes());
        assertEquals(MemoryBudget.MAX_IN_FLIGHT, all.inFlightCapacity());
        assertEquals(12L << 20, all.stateBytes(), "2^19 entries of 24 bytes, where 4 bytes a probe were 16 GB");
        assertTrue(all.peakBytes() < 40L << 20, all.toString());
        // a /8 holds the same: the state does not grow with the scan
        MemoryBudget.Plan slash8 = MemoryBudget.plan(scan("10.0.0.0/8", "80").build(), 0, GB);
        assertEquals(all.stateBytes(), slash8.stateBytes());
    }

    @Test
    void aShardHoldsStateForItsOwnShareOnly() {
        // 198.18.0.0/16 x 4 ports = 262,144 probes: below the table's maximum, so the table follows the share
        ScanOptions whole = scan("198.18.0.0/16", "1-4").build();
        MemoryBudget.Plan w = MemoryBudget.plan(whole, 0, GB);
        assertEquals(262_144, w.shareProbes());
        assertEquals(262_144, w.inFlightCapacity());
        for (int n : new int[] {2, 8, 64}) {
            MemoryBudget.Plan s = MemoryBudget.plan(scan("198.18.0.0/16", "1-4").shard(n - 1, n).build(), 0, GB);
            assertEquals(262_144 / n, s.shareProbes(), "shard 1/" + n);
            assertEquals(Math.max(MemoryBudget.MIN_IN_FLIGHT, 262_144 / n), s.inFlightCapacity(), "shard 1/" + n);
            assertEquals(s.inFlightCapacity() * 24L, s.stateBytes());
        }
        // a resumed shard counts the probes it carries over
        assertEquals(262_144 / 8 + 1000, MemoryBudget.plan(scan("198.18.0.0/16", "1-4").shard(0, 8).build(), 1000, GB).shareProbes());
        // a shard of all of IPv4 on one port: 2^32 / 16384 = 2^18 probes, half the table's maximum
        MemoryBudget.Plan part = MemoryBudget.plan(scan("0.0.0.0/0", "80").shard(5, 16384).build(), 0, GB);
        assertEquals(1L << 18, part.shareProbes());
        assertEquals(1 << 18, part.inFlightCapacity());
    }

    @Test
    void aSetRateSizesTheTableByRateTimesTimeout() {
        // 10,000 pps x 10 s (the longest timeout) + a batch: 100,256 entries, rounded up to 131,072
        MemoryBudget.Plan p = MemoryBudget.plan(scan("0.0.0.0/0", "80").rate(10_000).build(), 0, GB);
        assertEquals(131_072, p.inFlightCapacity());
        MemoryBudget.Plan slow = MemoryBudget.plan(scan("0.0.0.0/0", "80").rate(100).timeouts(100_000, 2_000_000, 1_000_000).build(), 0, GB);
        assertEquals(512, slow.inFlightCapacity(), "100 pps x 2 s + a batch");
    }

    @Test
    void aSmallHeapShrinksTheTableAndTooSmallAHeapIsRefusedNamingTheSize() {
        MemoryBudget.Plan p = MemoryBudget.plan(scan("0.0.0.0/0", "80").build(), 0, 24L << 20);
        assertTrue(p.peakBytes() <= 24L << 20, p.toString());
        assertTrue(p.inFlightCapacity() >= MemoryBudget.MIN_IN_FLIGHT && p.inFlightCapacity() < MemoryBudget.MAX_IN_FLIGHT, p.toString());
        UsageException e = assertThrows(UsageException.class,
                () -> MemoryBudget.plan(scan("0.0.0.0/0", "80").build(), 0, 12L << 20));
        assertTrue(e.getMessage().contains("17 MB of heap") && e.getMessage().contains("12 MB heap")
                && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void moreProbesThanOneOrderHoldsIsAUsageError() {
        // 2001:db8::/64 x 2 ports: 2^65 probes overflow; /80 x 65535 ports: 2^48 x 65535, more than 2^48
        UsageException e = assertThrows(UsageException.class, () -> new ScanEngine(scan("2001:db8::/80", "1-65535").build()));
        assertTrue(e.getMessage().contains("2^48"), e.getMessage());
    }

    /** The real command in a tiny heap: exit 2 and one line, and no packet (the namespace has no way out anyway). */
    @Test
    void theCommandRefusesWithExitTwo() {
        Privileged.require("ip");
        String ns = "spmb" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        Shell.check("ip", "netns", "add", ns);
        try {
            Shell.Result r = Shell.run(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-Xmx12m",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main", "scan",
                    "2001:db8::/106", "-p", "1-8", "--netns", ns, "-q"), null, 60);
            assertEquals(2, r.exit(), r.out());
            assertEquals(1, r.out().strip().lines().count(), r.out());
            assertTrue(r.out().contains("MB of heap") && r.out().contains("-Xmx"), r.out());
        } finally {
            Shell.run(List.of("ip", "netns", "del", ns), null, 30);
        }
    }
}
