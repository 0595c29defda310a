package io.synprobe.target;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The distinct hosts of a run, sorted (IPv4 before IPv6) and numbered 0..size-1 without materialising them:
 * index to address and address to index are binary searches over merged ranges.
 */
public final class TargetSet {
    private final int[] family;
    private final long[] hi;
    private final long[] lo;
    private final long[] count;
    private final long[] firstIndex;
    private final long size;

    private TargetSet(List<AddressRange> merged) {
        int n = merged.size();
        family = new int[n];
        hi = new long[n];
        lo = new long[n];
        count = new long[n];
        firstIndex = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            AddressRange r = merged.get(i);
            family[i] = r.family();
            hi[i] = r.hi();
            lo[i] = r.lo();
            count[i] = r.count();
            firstIndex[i] = total;
            total = Math.addExact(total, r.count());
        }
        size = total;
    }

    /** Sorts, merges overlaps and removes every excluded address. */
    public static TargetSet of(List<AddressRange> include, List<AddressRange> exclude) {
        List<AddressRange> merged = merge(include);
        for (AddressRange ex : merge(exclude)) merged = subtract(merged, ex);
        return new TargetSet(merged);
    }

    public static TargetSet of(List<AddressRange> include) {
        return of(include, List.of());
    }

    public long size() {
        return size;
    }

    /**
     * A short fingerprint of the resolved addresses (after exclusions): two runs with the same fingerprint scan the
     * same addresses in the same index order, however their target lists were spelled.
     */
    public String digest() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(28);
            for (int i = 0; i < family.length; i++) {
                b.clear();
                b.putInt(family[i]).putLong(hi[i]).putLong(lo[i]).putLong(count[i]);
                md.update(b.array());
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasFamily(int fam) {
        for (int f : family) if (f == fam) return true;
        return false;
    }

    /** The range holding host {@code index}: one binary search, then {@link #family}, {@link #hi}, {@link #lo}. */
    public int rangeOf(long index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
        int r = Arrays.binarySearch(firstIndex, index);
        return r >= 0 ? r : -r - 2;
    }

    public int family(int range) {
        return family[range];
    }

    public long hi(int range, long index) {
        long l = lo[range] + (index - firstIndex[range]);
        return Long.compareUnsigned(l, lo[range]) < 0 ? hi[range] + 1 : hi[range];
    }

    public long lo(int range, long index) {
        return lo[range] + (index - firstIndex[range]);
    }

    public int familyAt(long index) {
        return family(rangeOf(index));
    }

    public long hiAt(long index) {
        return hi(rangeOf(index), index);
    }

    public long loAt(long index) {
        return lo(rangeOf(index), index);
    }

    public InetAddress addressAt(long index) {
        return Ip.inet(familyAt(index), hiAt(index), loAt(index));
    }

    /** @return the host index of the address, or -1 when it is not a target */
    public long indexOf(int fam, long h, long l) {
        int a = 0, b = family.length - 1;
        while (a <= b) {
            int m = (a + b) >>> 1;
            int c = compare(fam, h, l, family[m], hi[m], lo[m]);
            if (c < 0) {
                b = m - 1;
            } else {
                long offHi = h - hi[m];
                long off = l - lo[m];
                boolean sameBlock = fam == family[m] && (offHi == 0 || (offHi == 1 && Long.compareUnsigned(l, lo[m]) < 0));
                if (sameBlock && off >= 0 && off < count[m]) return firstIndex[m] + off;
                a = m + 1;
            }
        }
        return -1;
    }

    private static int compare(int fa, long ha, long la, int fb, long hb, long lb) {
        if (fa != fb) return Integer.compare(fa, fb);
        return Ip.compare(ha, la, hb, lb);
    }

    private static BigInteger big(long h, long l) {
        return new BigInteger(1, Ip.bytes(6, h, l));
    }

    private static BigInteger start(AddressRange r) {
        return big(r.hi(), r.lo());
    }

    private static BigInteger end(AddressRange r) {
        return start(r).add(BigInteger.valueOf(r.count() - 1));
    }

    private static AddressRange range(int fam, BigInteger first, BigInteger last) {
        long h = first.shiftRight(64).longValue();
        long l = first.longValue();
        return new AddressRange(fam, h, l, last.subtract(first).longValueExact() + 1);
    }

    static List<AddressRange> merge(List<AddressRange> ranges) {
        List<AddressRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(AddressRange::family)
                .thenComparing((x, y) -> Ip.compare(x.hi(), x.lo(), y.hi(), y.lo())));
        List<AddressRange> out = new ArrayList<>();
        for (AddressRange r : sorted) {
            if (!out.isEmpty()) {
                AddressRange last = out.get(out.size() - 1);
                if (last.family() == r.family() && start(r).compareTo(end(last).add(BigInteger.ONE)) <= 0) {
                    BigInteger newEnd = end(last).max(end(r));
                    out.set(out.size() - 1, range(r.family(), start(last), newEnd));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    private static List<AddressRange> subtract(List<AddressRange> ranges, AddressRange ex) {
        List<AddressRange> out = new ArrayList<>();
        BigInteger exStart = start(ex), exEnd = end(ex);
        for (AddressRange r : ranges) {
            BigInteger s = start(r), e = end(r);
            if (r.family() != ex.family() || exEnd.compareTo(s) < 0 || exStart.compareTo(e) > 0) {
                out.add(r);
                continue;
            }
            if (exStart.compareTo(s) > 0) out.add(range(r.family(), s, exStart.subtract(BigInteger.ONE)));
            if (exEnd.compareTo(e) < 0) out.add(range(r.family(), exEnd.add(BigInteger.ONE), e));
        }
        return out;
    }
}
