package io.synprobe.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's nftables script and argument checks; the kernel's side is LocalRstGuardLabTest. */
class LocalRstGuardTest {
    @Test
    void scriptMatchesOnlyUnmarkedRstsFromTheRunsPortsToItsTargets() throws Exception {
        String s = LocalRstGuard.ruleset("synprobe_42_00c0ffee", 40000, 40999,
                List.of(InetAddress.getByName("198.18.0.2"), InetAddress.getByName("2001:db8::2"),
                        InetAddress.getByName("198.18.0.3")), LocalRstGuard.DEFAULT_MARK);
        assertEquals("""
                table inet synprobe_42_00c0ffee {
                  set targets4 { type ipv4_addr; elements = { 198.18.0.2, 198.18.0.3 } }
                  set targets6 { type ipv6_addr; elements = { 2001:db8:0:0:0:0:0:2 } }
                  chain output {
                    type filter hook output priority filter; policy accept;
                    meta mark != 0x53594e50 tcp sport 40000-40999 tcp flags & rst == rst ip daddr @targets4 drop
                    meta mark != 0x53594e50 tcp sport 40000-40999 tcp flags & rst == rst ip6 daddr @targets6 drop
                  }
                }
                """, s);
        String v4only = LocalRstGuard.ruleset("t", 1, 2, List.of(InetAddress.getByName("127.0.0.1")), 7);
        assertFalse(v4only.contains("ip6"), "no empty IPv6 set or rule: " + v4only);
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsInstalled() {
        assertThrows(IllegalArgumentException.class, () -> LocalRstGuard.install(null, 0, 10, List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> LocalRstGuard.install(null, 20, 10, List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> LocalRstGuard.install(null, 1, 10, List.of(), 0));
    }
}
