package io.synprobe.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {
    private final TargetParser parser = new TargetParser(TargetParser.Preference.ANY);

    /** Asserts the token parses to the run of addresses from {@code first}, {@code count} long. */
    private void assertRange(String token, int family, String first, long count) throws Exception {
        AddressRange r = parser.parse(token);
        byte[] a = InetAddress.getByName(first).getAddress(); // literals only: no lookup
        assertEquals(family, r.family(), token + " family");
        assertEquals(Ip.hi(a), r.hi(), token + " first address (high bits)");
        assertEquals(Ip.lo(a), r.lo(), token + " first address");
        assertEquals(count, r.count(), token + " count");
    }

    private UsageException refused(String token) {
        return assertThrows(UsageException.class, () -> parser.parse(token), token);
    }

    // ------------------------------------------------------------------ accepted

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "198.18.0.2,                  4, 198.18.0.2,  1",
            "  198.18.0.2  ,              4, 198.18.0.2,  1",
            "1.1.1.1,                     4, 1.1.1.1,     1",
            "223.255.255.255,             4, 223.255.255.255, 1",
            "198.18.0.0/24,               4, 198.18.0.0,  256",
            "198.18.0.77/24,              4, 198.18.0.0,  256",
            "198.18.0.7/30,               4, 198.18.0.4,  4",
            "198.18.0.9/32,               4, 198.18.0.9,  1",
            "198.18.0.9/31,               4, 198.18.0.8,  2",
            "10.1.2.3/8,                  4, 10.0.0.0,    16777216",
            "64.0.0.0/2,                  4, 64.0.0.0,    1073741824",
            "198.18.0.2-198.18.0.254,     4, 198.18.0.2,  253",
            "198.18.0.2-254,              4, 198.18.0.2,  253",
            "198.18.0.2-2,                4, 198.18.0.2,  1",
            "198.18.0.0-255,              4, 198.18.0.0,  256",
            "198.18.0.250-198.18.1.5,     4, 198.18.0.250, 12",
            "198.18.0.5-198.18.0.5,       4, 198.18.0.5,  1",
            "1.0.0.0-223.255.255.255,     4, 1.0.0.0,     3741319168",
            "2001:db8::2,                 6, 2001:db8::2, 1",
            "2001:DB8::A,                 6, 2001:db8::a, 1",
            "::1,                         6, ::1,         1",
            "2001:db8::/120,              6, 2001:db8::,  256",
            "2001:db8::1234/120,          6, 2001:db8::1200, 256",
            "2001:db8::1/128,             6, 2001:db8::1, 1",
            "2001:db8::/88,               6, 2001:db8::,  1099511627776",
            "2001:db8::1-2001:db8::ff,    6, 2001:db8::1, 255",
            "2001:db8::ffff:ffff:ffff:fffe-2001:db8:0:1::1, 6, 2001:db8::ffff:ffff:ffff:fffe, 4",
            "fe80::1,                     6, fe80::1,     1",
            "feff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120, 6, feff:ffff:ffff:ffff:ffff:ffff:ffff:ff00, 256",
    })
    void acceptsEveryForm(String token, int family, String first, long count) throws Exception {
        assertRange(token, family, first, count);
    }

    @Test
    void largestRangesAccepted() throws Exception {
        // 2^40 addresses is the limit, for CIDR and explicit ranges alike
        assertRange("2001:db8::/88", 6, "2001:db8::", 1L << 40);
        assertRange("2001:db8::-2001:db8::ff:ffff:ffff", 6, "2001:db8::", 1L << 40);
    }

    @Test
    void rangeEndsCarryIntoTheHigh64Bits() {
        AddressRange r = parser.parse("2001:db8::ffff:ffff:ffff:fffe-2001:db8:0:1::1");
        assertEquals(0x20010db800000000L, r.hi());
        assertEquals(0xfffffffffffffffeL, r.lo());
        assertEquals(0x20010db800000001L, r.lastHi());
        assertEquals(1L, r.lastLo());
        assertTrue(r.contains(6, 0x20010db800000001L, 0));
        assertTrue(!r.contains(6, 0x20010db800000001L, 2));
        assertTrue(!r.contains(4, 0, 0xfffffffffffffffeL));
    }

    @Test
    void parsesSeveralTokensInOrder() {
        List<AddressRange> all = parser.parseAll(List.of("198.18.0.2", "2001:db8::/126", "198.18.1.0/30"));
        assertEquals(3, all.size());
        assertEquals(1, all.get(0).count());
        assertEquals(6, all.get(1).family());
        assertEquals(4, all.get(1).count());
        assertEquals(4, all.get(2).family());
        assertEquals(0xc6120100L, all.get(2).lo());
    }

    @Test
    void ipv4MappedIpv6LiteralIsTreatedAsIpv4() throws Exception {
        // and so is refused like its IPv4 address would be
        assertRange("::ffff:198.18.0.2", 4, "198.18.0.2", 1);
        assertTrue(refused("::ffff:224.0.0.1").getMessage().contains("multicast"));
    }

    @Test
    void localhostResolvesWithoutDns() {
        // the only host name tests may resolve: /etc/hosts answers it
        AddressRange r = new TargetParser(TargetParser.Preference.IPV4).parse("localhost");
        assertEquals(4, r.family());
        assertEquals(127, r.lo() >>> 24, "a loopback address");
        assertEquals(1, r.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo_bar", "-foo", "a..b", "bad host", "host-", "x/y/z", "[::1]", "fe80::1%eth0", "١.٢.٣.٤"})
    void malformedHostNamesAreRefusedWithoutALookup(String token) {
        UsageException e = refused(token);
        assertTrue(e.getMessage().contains("'" + token + "'"), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid"), e.getMessage());
    }

    // ------------------------------------------------------------------ refused, naming the token

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "198.18.0.999                   | invalid IPv4 address '198.18.0.999'",
            "256.1.1.1                      | invalid IPv4 address '256.1.1.1'",
            "/33                            | '/33'",
            "198.18.0.0/33                  | invalid prefix length '/33' in '198.18.0.0/33'",
            "198.18.0.0/-1                  | invalid prefix length '/-1' in '198.18.0.0/-1'",
            "198.18.0.0/x                   | invalid prefix length '/x' in '198.18.0.0/x'",
            "198.18.0.0/                    | in '198.18.0.0/'",
            "198.18.0.0/24/8                | in '198.18.0.0/24/8'",
            "2001:db8::/129                 | invalid prefix length '/129' in '2001:db8::/129'",
            "1.2.3                          | invalid address '1.2.3'",
            "1.2.3.4.5                      | '1.2.3.4.5'",
            "1.2.3.                         | '1.2.3.'",
            "999999                         | invalid address '999999'",
            "198.18.0.5-198.18.0.1          | range '198.18.0.5-198.18.0.1' ends before it starts",
            "198.18.0.10-5                  | range '198.18.0.10-5' ends before it starts",
            "198.18.0.1-300                 | invalid address range end '300' in '198.18.0.1-300'",
            "198.18.0.1-                    | in '198.18.0.1-'",
            "198.18.0.1-198.18.0.x          | '198.18.0.x' in '198.18.0.1-198.18.0.x'",
            "198.18.0.1-2001:db8::1         | range '198.18.0.1-2001:db8::1' mixes IPv4 and IPv6",
            "2001:db8::ff-2001:db8::1       | range '2001:db8::ff-2001:db8::1' ends before it starts",
            "::g                            | '::g'",
            "1::2::3                        | invalid IPv6 address '1::2::3'",
            "12345::1                       | invalid IPv6 address '12345::1'",
            "1.2.3.4:80                     | '1.2.3.4:80'",
    })
    void badFormsNameTheBadToken(String token, String expected) {
        UsageException e = refused(token);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks " + expected);
    }

    @Test
    void emptyTokenIsRefused() {
        assertEquals("empty target", refused("").getMessage());
        assertEquals("empty target", refused("   ").getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "224.0.0.1          | multicast",
            "239.255.255.250    | multicast",
            "239.1.2.3/24       | multicast",
            "223.255.255.255-224.0.0.0 | multicast",
            "128.0.0.0/1        | multicast",
            "0.0.0.0            | 0.0.0.0/8",
            "0.1.2.3            | 0.0.0.0/8",
            "0.0.0.0/0          | 0.0.0.0/8",
            "1.2.3.4/7          | 0.0.0.0/8",
            "240.0.0.1          | reserved",
            "255.255.255.254    | reserved",
            "255.255.255.255    | broadcast",
            "255.255.255.0/24   | 240.0.0.0/4",
            "ff02::1            | multicast",
            "ff00::/120         | multicast",
            "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-ff00::1 | multicast",
            "::                 | :: is not a destination",
            "0::0               | :: is not a destination",
            "::/127             | :: is not a destination",
            "::-::5             | :: is not a destination",
    })
    void unprobeableTargetsAreRefused(String token, String why) {
        UsageException e = refused(token);
        assertTrue(e.getMessage().startsWith("refusing target '" + token + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::/0", "2001:db8::/64", "2001:db8::/87", "2000::/3",
            "2001:db8::-2001:db8::100:0:0", "2001:db8::-2001:db8::1:0:0:0"})
    void tooLargeRangesAreRefused(String token) {
        UsageException e = refused(token);
        assertTrue(e.getMessage().contains("'" + token + "' has too many addresses"), e.getMessage());
    }

    @Test
    void aRangeOneAddressOverTheLimitIsRefused() {
        // 2^40 + 1 addresses
        BigInteger first = new BigInteger("20010db8000000000000000000000000", 16);
        String last = hex6(first.add(BigInteger.ONE.shiftLeft(40)));
        assertTrue(refused("2001:db8::-" + last).getMessage().contains("too many addresses"));
        String lastOk = hex6(first.add(BigInteger.ONE.shiftLeft(40)).subtract(BigInteger.ONE));
        assertEquals(1L << 40, parser.parse("2001:db8::-" + lastOk).count());
    }

    private static String hex6(BigInteger v) {
        String h = String.format("%032x", v);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) sb.append(i == 0 ? "" : ":").append(h, 4 * i, 4 * i + 4);
        return sb.toString();
    }
}
