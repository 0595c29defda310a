package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Probe numbers past 2^31: all of IPv4 on one port (2^32 probes) and 2^30 hosts x 4 ports, without sending. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScaleArithmeticTest {
    static final long TWO32 = 1L << 32;

    @Test
    void allOfIpv4OnOnePortNumbersEveryAddress() throws Exception {
        TargetSet all = TargetSet.of(List.of(new AddressRange(4, 0, 0, TWO32)));
        ScanOptions opt = ScanOptions.defaults(all, PortList.parse("80"));
        assertEquals(TWO32, opt.probeCount());
        ScanIndex index = new ScanIndex(all, opt.ports(), 40000, 2, p -> true);
        byte[] last = InetAddress.getByName("255.255.255.255").getAddress();
        assertEquals(TWO32 - 1, index.probeOf(4, Ip.hi(last), Ip.lo(last), 80, 40002));
        byte[] mid = InetAddress.getByName("128.0.0.1").getAddress();
        assertEquals((1L << 31) + 1, index.probeOf(4, Ip.hi(mid), Ip.lo(mid), 80, 40000));
        assertEquals(InetAddress.getByName("128.0.0.1"), all.addressAt((1L << 31) + 1));
        assertEquals(-1, index.probeOf(4, Ip.hi(mid), Ip.lo(mid), 80, 40003), "attempt past the retries");
    }

    @Test
    void twoToThe30HostsTimesFourPorts() throws Exception {
        TargetSet t = TargetSet.of(List.of(new AddressRange(6, Ip.hi(InetAddress.getByName("2001:db8::").getAddress()),
                Ip.lo(InetAddress.getByName("2001:db8::").getAddress()), 1L << 30)));
        PortList ports = PortList.parse("80,443,8080,8443");
        ScanOptions opt = ScanOptions.defaults(t, ports);
        assertEquals(TWO32, opt.probeCount());
        ScanIndex index = new ScanIndex(t, ports, 40000, 0, p -> true);
        byte[] last = InetAddress.getByName("2001:db8::3fff:ffff").getAddress();
        assertEquals(TWO32 - 1, index.probeOf(6, Ip.hi(last), Ip.lo(last), 8443, 40000));
        assertEquals(TWO32 - 4, index.probeOf(6, Ip.hi(last), Ip.lo(last), 80, 40000));
        long p = 3_000_000_001L; // host 750,000,000, port index 1
        assertEquals(InetAddress.getByName("2001:db8::2cb4:1780"), t.addressAt(p / 4));
        assertEquals(443, ports.port((int) (p % 4)));
    }

    @Test
    void thePermutationOfTwoToThe32ResumesPastTwoToThe31() {
        for (int shards : new int[] {1, 2}) {
            // one shard walks 2^32 + 14 steps (p = 2^32 + 15); each of two shards about 2^31 + 7
            long start = shards == 1 ? (1L << 31) + 12_345 : (1L << 31) - 6_000;
            int take = shards == 1 ? 5000 : 6007; // the second shard ends at step 2^31 + 7
            Permutation walked = new Permutation(TWO32, 99, shards - 1, shards);
            walked.seek(start);
            long[] first = new long[take];
            for (int i = 0; i < first.length; i++) first[i] = walked.next();
            if (shards == 2) {
                assertEquals((1L << 31) + 7, walked.position(), "the second shard walked to its end, past 2^31");
                assertEquals(-1, walked.next(), "and is exhausted there");
            }
            Set<Long> seen = new HashSet<>();
            for (long v : first) {
                if (v == -1 && shards == 2) continue; // the rare skipped step past n at the very end
                assertTrue(v >= 0 && v < TWO32, "in range: " + v);
                assertTrue(seen.add(v), "no index twice: " + v);
            }
            assertTrue(walked.position() >= start + first.length, "positions count on: " + walked.position());
            // seeking to any later position continues the same walk
            Permutation again = new Permutation(TWO32, 99, shards - 1, shards);
            again.seek(start);
            for (int i = 0; i < 1234; i++) again.next();
            assertTrue(again.position() > 1L << 31 || shards == 2, "" + again.position());
            long pos = again.position();
            Permutation jumped = new Permutation(TWO32, 99, shards - 1, shards);
            jumped.seek(pos);
            for (int i = 0; i < 100; i++) assertEquals(again.next(), jumped.next());
        }
    }
}
