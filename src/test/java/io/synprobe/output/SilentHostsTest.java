package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilentHostsTest {
    static InetAddress ip(Random rnd, boolean v6) throws Exception {
        byte[] b = new byte[v6 ? 16 : 4];
        rnd.nextBytes(b);
        // a small address space, so keys collide, repeat and get removed and re-added
        for (int i = 0; i < b.length - 1; i++) b[i] = (byte) (b[i] & 1);
        return InetAddress.getByAddress(b);
    }

    @Test
    void countsAndRemovalsAgreeWithAHashMapUnderRandomUse() throws Exception {
        Random rnd = new Random(42);
        SilentHosts table = new SilentHosts();
        Map<InetAddress, Integer> truth = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            InetAddress ip = ip(rnd, rnd.nextBoolean());
            if (rnd.nextInt(4) == 0) {
                assertEquals(truth.getOrDefault(ip, 0), table.remove(ip), "remove " + ip + " at step " + step);
                truth.remove(ip);
            } else {
                int n = truth.merge(ip, 1, Integer::sum);
                assertEquals(n, table.increment(ip), "increment " + ip + " at step " + step);
            }
            assertEquals(truth.size(), table.size());
        }
        assertTrue(table.capacity() >= 2 * table.size(), "at most half full");
        InetAddress[] left = table.drain();
        assertArrayEquals(truth.keySet().stream().sorted(Addresses.ORDER).toArray(), left, "drained in address order");
        assertEquals(0, table.size());
    }

    @Test
    void anIpv4AddressAndItsLookAlikeIpv6AddressAreDifferentHosts() throws Exception {
        SilentHosts table = new SilentHosts();
        InetAddress v4 = InetAddress.getByName("198.18.0.1");
        InetAddress v6 = InetAddress.getByName("::1:c612:1"); // ::1:198.18.0.1
        assertEquals(1, table.increment(v4));
        assertEquals(1, table.increment(v6));
        assertEquals(2, table.increment(v4));
        assertEquals(2, table.remove(v4));
        assertEquals(1, table.remove(v6));
    }
}
