package io.synprobe.target;

/** A run of consecutive addresses of one family: first address (hi, lo) and how many. */
public record AddressRange(int family, long hi, long lo, long count) {
    public AddressRange {
        if (family != 4 && family != 6) throw new IllegalArgumentException("family " + family);
        if (count < 1) throw new IllegalArgumentException("empty range");
    }

    /** The last address's low 64 bits and high 64 bits, with carry. */
    public long lastLo() {
        return lo + (count - 1);
    }

    public long lastHi() {
        return Long.compareUnsigned(lastLo(), lo) < 0 ? hi + 1 : hi;
    }

    public long hiAt(long offset) {
        long l = lo + offset;
        return Long.compareUnsigned(l, lo) < 0 ? hi + 1 : hi;
    }

    public long loAt(long offset) {
        return lo + offset;
    }

    public boolean contains(int fam, long h, long l) {
        return fam == family && Ip.compare(h, l, hi, lo) >= 0 && Ip.compare(h, l, lastHi(), lastLo()) <= 0;
    }
}
