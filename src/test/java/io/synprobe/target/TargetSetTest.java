package io.synprobe.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TargetSetTest {
    private static final TargetParser PARSER = new TargetParser(TargetParser.Preference.ANY);

    private static List<AddressRange> ranges(String... tokens) {
        return PARSER.parseAll(List.of(tokens));
    }

    private static TargetSet set(String... tokens) {
        return TargetSet.of(ranges(tokens));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only
    }

    private static long indexOf(TargetSet s, String literal) throws Exception {
        byte[] a = ip(literal).getAddress();
        return s.indexOf(a.length == 4 ? 4 : 6, Ip.hi(a), Ip.lo(a));
    }

    /** Every address of the set in index order, as text. */
    private static List<String> all(TargetSet s) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < s.size(); i++) out.add(s.addressAt(i).getHostAddress());
        return out;
    }

    /** addressAt(i) then indexOf gives i back, and the family agrees, for every index. */
    private static void assertRoundTrip(TargetSet s) {
        for (long i = 0; i < s.size(); i++) {
            byte[] a = s.addressAt(i).getAddress();
            int fam = a.length == 4 ? 4 : 6;
            assertEquals(fam, s.familyAt(i));
            assertEquals(Ip.hi(a), s.hiAt(i));
            assertEquals(Ip.lo(a), s.loAt(i));
            assertEquals(i, s.indexOf(fam, Ip.hi(a), Ip.lo(a)), "index " + i);
        }
    }

    @Test
    void singleAddresses() throws Exception {
        TargetSet s = set("198.18.0.2");
        assertEquals(1, s.size());
        assertEquals(ip("198.18.0.2"), s.addressAt(0));
        assertEquals(0, indexOf(s, "198.18.0.2"));
        assertEquals(-1, indexOf(s, "198.18.0.1"));
        assertEquals(-1, indexOf(s, "198.18.0.3"));
    }

    @Test
    void ipv4ComesBeforeIpv6AndAddressesAreSorted() {
        TargetSet s = set("2001:db8::2", "198.18.0.9", "2001:db8::1", "198.18.0.2-198.18.0.3", "10.0.0.1");
        assertEquals(List.of("10.0.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.9", "2001:db8:0:0:0:0:0:1",
                "2001:db8:0:0:0:0:0:2"), all(s));
        assertTrue(s.hasFamily(4));
        assertTrue(s.hasFamily(6));
        assertEquals(4, s.familyAt(3));
        assertEquals(6, s.familyAt(4));
        assertRoundTrip(s);
    }

    @Test
    void hasFamilyReportsOnlyFamiliesPresent() {
        assertFalse(set("198.18.0.2").hasFamily(6));
        assertFalse(set("2001:db8::2").hasFamily(4));
    }

    @Test
    void overlapsAndDuplicatesAreMerged() {
        TargetSet s = set("198.18.0.0/30", "198.18.0.2-198.18.0.10", "198.18.0.5", "198.18.0.3");
        assertEquals(11, s.size());
        assertEquals("198.18.0.0", s.addressAt(0).getHostAddress());
        assertEquals("198.18.0.10", s.addressAt(10).getHostAddress());
        assertRoundTrip(s);
        assertEquals(1, set("198.18.0.7", "198.18.0.7", "198.18.0.7/32").size());
        assertEquals(256, set("198.18.0.0/24", "198.18.0.0/25", "198.18.0.128-198.18.0.255").size());
    }

    @Test
    void adjacentRangesNumberContiguously() throws Exception {
        TargetSet s = set("198.18.0.6-198.18.0.9", "198.18.0.1-198.18.0.5");
        assertEquals(9, s.size());
        assertEquals(4, indexOf(s, "198.18.0.5"));
        assertEquals(5, indexOf(s, "198.18.0.6"));
        assertRoundTrip(s);
    }

    @Test
    void gapsBetweenRangesAreNotTargets() throws Exception {
        TargetSet s = set("198.18.0.1-198.18.0.3", "198.18.0.10-198.18.0.12", "198.18.1.0/30");
        assertEquals(10, s.size());
        assertEquals(2, indexOf(s, "198.18.0.3"));
        assertEquals(3, indexOf(s, "198.18.0.10"));
        assertEquals(6, indexOf(s, "198.18.1.0"));
        for (String no : new String[] {"198.18.0.0", "198.18.0.4", "198.18.0.9", "198.18.0.13", "198.18.0.255",
                "198.18.1.4", "1.1.1.1", "223.255.255.255"}) {
            assertEquals(-1, indexOf(s, no), no);
        }
        assertRoundTrip(s);
    }

    @Test
    void familiesAreNeverConfused() {
        // 198.18.0.2 and ::c612:2 have the same 128-bit value
        TargetSet v4 = set("198.18.0.2");
        assertEquals(-1, v4.indexOf(6, 0, 0xc6120002L));
        TargetSet v6 = TargetSet.of(List.of(new AddressRange(6, 0, 0xc6120002L, 1)));
        assertEquals(-1, v6.indexOf(4, 0, 0xc6120002L));
        assertEquals(0, v6.indexOf(6, 0, 0xc6120002L));
        TargetSet both = TargetSet.of(List.of(new AddressRange(6, 0, 0xc6120002L, 1), new AddressRange(4, 0, 0xc6120002L, 1)));
        assertEquals(2, both.size(), "same value, different families: two hosts");
        assertEquals(0, both.indexOf(4, 0, 0xc6120002L));
        assertEquals(1, both.indexOf(6, 0, 0xc6120002L));
    }

    @Test
    void exclusionsSplitRanges() {
        TargetSet s = TargetSet.of(ranges("198.18.0.0/28"), ranges("198.18.0.4-198.18.0.6"));
        assertEquals(13, s.size());
        assertEquals("198.18.0.3", s.addressAt(3).getHostAddress());
        assertEquals("198.18.0.7", s.addressAt(4).getHostAddress());
        assertEquals(-1, s.indexOf(4, 0, 0xc6120005L));
        assertRoundTrip(s);
    }

    @Test
    void exclusionsCutHeadsTailsAndWholeRanges() {
        TargetSet s = TargetSet.of(ranges("198.18.0.0/29", "198.18.1.0/29", "198.18.2.0/29", "2001:db8::/125"),
                ranges("198.18.0.0-198.18.0.2", "198.18.1.6-198.18.1.255", "198.18.2.0/24", "198.18.3.0/24", "2001:db8::7"));
        assertEquals(List.of("198.18.0.3", "198.18.0.4", "198.18.0.5", "198.18.0.6", "198.18.0.7",
                "198.18.1.0", "198.18.1.1", "198.18.1.2", "198.18.1.3", "198.18.1.4", "198.18.1.5",
                "2001:db8:0:0:0:0:0:0", "2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:2", "2001:db8:0:0:0:0:0:3",
                "2001:db8:0:0:0:0:0:4", "2001:db8:0:0:0:0:0:5", "2001:db8:0:0:0:0:0:6"), all(s));
        assertRoundTrip(s);
    }

    @Test
    void overlappingExclusionsAndExclusionsSpanningRanges() {
        TargetSet s = TargetSet.of(ranges("198.18.0.0-198.18.0.9", "198.18.0.20-198.18.0.29"),
                ranges("198.18.0.5-198.18.0.22", "198.18.0.8-198.18.0.11", "198.18.0.27"));
        assertEquals(List.of("198.18.0.0", "198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4", "198.18.0.23",
                "198.18.0.24", "198.18.0.25", "198.18.0.26", "198.18.0.28", "198.18.0.29"), all(s));
        assertRoundTrip(s);
    }

    @Test
    void exclusionsOfTheOtherFamilyOrOutsideChangeNothing() {
        TargetSet s = TargetSet.of(ranges("198.18.0.0/30"), List.of(new AddressRange(6, 0, 0xc6120000L, 4)));
        assertEquals(4, s.size());
        assertEquals(4, TargetSet.of(ranges("198.18.0.0/30"), ranges("198.18.0.4-198.18.0.8", "10.0.0.0/8")).size());
    }

    @Test
    void excludingEverythingLeavesAnEmptySet() {
        TargetSet s = TargetSet.of(ranges("198.18.0.0/30", "2001:db8::1"), ranges("198.18.0.0/24", "2001:db8::/120"));
        assertEquals(0, s.size());
        assertEquals(-1, s.indexOf(4, 0, 0xc6120000L));
        assertFalse(s.hasFamily(4));
        assertThrows(IndexOutOfBoundsException.class, () -> s.addressAt(0));
    }

    @Test
    void indexOutOfBoundsIsRefused() {
        TargetSet s = set("198.18.0.0/30");
        assertThrows(IndexOutOfBoundsException.class, () -> s.addressAt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.addressAt(4));
        assertThrows(IndexOutOfBoundsException.class, () -> s.familyAt(4));
        assertThrows(IndexOutOfBoundsException.class, () -> s.loAt(Long.MAX_VALUE));
    }

    @Test
    void rangesAcrossThe64BitBoundaryOfIpv6() throws Exception {
        TargetSet s = set("2001:db8::ffff:ffff:ffff:fffe-2001:db8:0:1::1");
        assertEquals(List.of("2001:db8:0:0:ffff:ffff:ffff:fffe", "2001:db8:0:0:ffff:ffff:ffff:ffff",
                "2001:db8:0:1:0:0:0:0", "2001:db8:0:1:0:0:0:1"), all(s));
        assertEquals(0x20010db800000000L, s.hiAt(1));
        assertEquals(0x20010db800000001L, s.hiAt(2));
        assertEquals(0L, s.loAt(2));
        assertEquals(2, indexOf(s, "2001:db8:0:1::"));
        assertEquals(3, indexOf(s, "2001:db8:0:1::1"));
        assertEquals(-1, indexOf(s, "2001:db8:0:1::2"));
        assertEquals(-1, indexOf(s, "2001:db8::ffff:ffff:ffff:fffd"));
        assertEquals(-1, indexOf(s, "2001:db8:0:2::"), "same low bits, high bits two apart");
        assertEquals(-1, indexOf(s, "2001:db8:0:1:ffff:ffff:ffff:fffe"), "same low bits as the first, next block");
        assertEquals(-1, indexOf(s, "2001:db8::"));
        assertRoundTrip(s);

        // an exclusion right on the boundary splits the range there
        TargetSet split = TargetSet.of(ranges("2001:db8::ffff:ffff:ffff:fff0-2001:db8:0:1::f"), ranges("2001:db8:0:1::"));
        assertEquals(31, split.size());
        assertEquals("2001:db8:0:0:ffff:ffff:ffff:ffff", split.addressAt(15).getHostAddress());
        assertEquals("2001:db8:0:1:0:0:0:1", split.addressAt(16).getHostAddress());
        assertEquals(-1, indexOf(split, "2001:db8:0:1::"));
        assertRoundTrip(split);

        // two ranges meeting at the boundary merge into one run
        TargetSet merged = set("2001:db8:0:1::-2001:db8:0:1::3", "2001:db8::ffff:ffff:ffff:fffc/126");
        assertEquals(8, merged.size());
        assertRoundTrip(merged);
        assertEquals(4, indexOf(merged, "2001:db8:0:1::"));
    }

    @Test
    void largeSetsAgreeWithBigIntegerArithmetic() throws Exception {
        TargetSet s = set("2001:db8::ff:0:0/88", "10.0.0.0/8", "198.18.0.0/15", "2001:db8:1::/96");
        long v4 = (1L << 24) + (1L << 17);
        assertEquals(v4 + (1L << 40) + (1L << 32), s.size());
        BigInteger base6a = new BigInteger(1, ip("2001:db8::").getAddress()); // the /88 masks away ff:0:0
        BigInteger base6b = new BigInteger(1, ip("2001:db8:1::").getAddress());
        Random random = new Random(42);
        List<Long> probes = new ArrayList<>(List.of(0L, (1L << 24) - 1, 1L << 24, v4 - 1, v4, v4 + (1L << 40) - 1,
                v4 + (1L << 40), s.size() - 1));
        for (int i = 0; i < 2000; i++) probes.add(Math.floorMod(random.nextLong(), s.size()));
        for (long i : probes) {
            BigInteger expected;
            if (i < (1L << 24)) expected = BigInteger.valueOf(0x0a000000L + i);
            else if (i < v4) expected = BigInteger.valueOf(0xc6120000L + i - (1L << 24));
            else if (i < v4 + (1L << 40)) expected = base6a.add(BigInteger.valueOf(i - v4));
            else expected = base6b.add(BigInteger.valueOf(i - v4 - (1L << 40)));
            byte[] a = s.addressAt(i).getAddress();
            assertEquals(expected, new BigInteger(1, a), "address of index " + i);
            assertEquals(i, s.indexOf(a.length == 4 ? 4 : 6, Ip.hi(a), Ip.lo(a)));
        }
        assertEquals(-1, indexOf(s, "2001:db8::100:0:0"), "just past the /88");
        assertEquals(-1, indexOf(s, "2001:db8:1::1:0:0"), "just past the /96");
        assertEquals(-1, indexOf(s, "198.20.0.0"));
        assertEquals(-1, indexOf(s, "9.255.255.255"));
    }
}
