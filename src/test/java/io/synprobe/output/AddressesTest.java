package io.synprobe.output;

import static io.synprobe.output.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void ipv6TextFollowsRfc5952() {
        assertEquals("::1", Addresses.text(ip("0:0:0:0:0:0:0:1")));
        assertEquals("::", Addresses.text(ip("0:0:0:0:0:0:0:0")));
        assertEquals("2001:db8::1", Addresses.text(ip("2001:0DB8:0:0:0:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.text(ip("2001:db8:0:1:1:1:1:1")), "one zero group stays");
        assertEquals("2001:0:0:1::1", Addresses.text(ip("2001:0:0:1:0:0:0:1")), "the longest run is compressed");
        assertEquals("2001:db8::1:0:0:1", Addresses.text(ip("2001:db8:0:0:1:0:0:1")), "the first of equal runs");
        assertEquals("fe80::", Addresses.text(ip("fe80:0:0:0:0:0:0:0")));
        assertEquals("198.18.0.2", Addresses.text(ip("198.18.0.2")));
        assertEquals("ipv6", Addresses.family(ip("::1")));
        assertEquals("ipv4", Addresses.family(ip("127.0.0.1")));
    }

    @Test
    void ordersNumericallyIpv4First() {
        List<String> sorted = new ArrayList<>(List.of("::1", "200.0.0.1", "10.0.0.10", "10.0.0.9", "fe80::1", "2001:db8::"));
        sorted.sort((a, b) -> Addresses.ORDER.compare(ip(a), ip(b)));
        assertEquals(List.of("10.0.0.9", "10.0.0.10", "200.0.0.1", "::1", "2001:db8::", "fe80::1"), sorted);
    }

    @Test
    void compactsPortRanges() {
        List<Integer> ports = IntStream.concat(IntStream.concat(IntStream.rangeClosed(1, 21),
                IntStream.rangeClosed(23, 79)), IntStream.of(81, 100)).boxed().toList();
        assertEquals("1-21,23-79,81,100", PortRanges.compact(ports));
        assertEquals("", PortRanges.compact(List.of()));
        assertEquals("65535", PortRanges.compact(List.of(65535)));
    }
}
