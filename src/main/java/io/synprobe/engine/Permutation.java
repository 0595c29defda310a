package io.synprobe.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Pseudo-random permutation of [0, n) in the style of ZMap: a walk x -> x*g mod p through the multiplicative
 * group of the smallest prime p > n, where g is a primitive root chosen from the seed. Element x stands for index
 * x - 1; indexes >= n are skipped. Shard i of k takes walk steps i, i+k, i+2k, ... so shards are disjoint and
 * together cover every index. {@link #next()} does not allocate. Not thread-safe.
 */
public final class Permutation {

    public static final long MAX_SIZE = 1L << 48;

    /** Deterministic Miller-Rabin bases: exact for every 64-bit input, so certainly below 2^49. */
    private static final long[] MILLER_RABIN_BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

    private final long n;
    private final long p;
    private final long start;
    private final long generator;
    private final long shardIndex;
    private final long shardCount;
    private final long stride;
    private final long shardSteps;
    private long x;
    private long position;

    public Permutation(long n, long seed, int shardIndex, int shardCount) {
        if (n < 0 || n > MAX_SIZE) {
            throw new IllegalArgumentException("permutation size must be in [0, 2^48]: " + n);
        }
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("bad shard " + shardIndex + " of " + shardCount);
        }
        this.n = n;
        this.p = nextPrimeAbove(n);
        SplittableRandom random = new SplittableRandom(seed);
        this.generator = primitiveRoot(p, random);
        this.start = p == 2 ? 1 : 1 + random.nextLong(p - 1);
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
        this.stride = pow(generator, shardCount % (p - 1), p);
        long cycle = p - 1;
        this.shardSteps = shardIndex >= cycle ? 0 : (cycle - shardIndex + shardCount - 1) / shardCount;
        seek(0);
    }

    /** The next index of this shard, or -1 once the shard is exhausted. */
    public long next() {
        while (position < shardSteps) {
            long value = x - 1;
            x = mulMod(x, stride, p);
            position++;
            if (value < n) {
                return value;
            }
        }
        return -1;
    }

    /** Walk steps consumed so far by this shard, including skipped out-of-range elements. */
    public long position() {
        return position;
    }

    /** Continues the walk as if {@code position} steps had been consumed; {@code seek(position())} is a no-op. */
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        this.position = Math.min(position, shardSteps);
        long cycle = p - 1;
        long exponent = (shardIndex + mulMod(this.position % cycle, shardCount % cycle, cycle)) % cycle;
        this.x = mulMod(start, pow(generator, exponent, p), p);
    }

    /**
     * a*b mod m for 0 <= a, b < m < 2^49, without BigInteger. The double quotient is within 1 of the true floor
     * (relative error ~2^-52 on a quotient below 2^49), so the remainder computed with wrapping long arithmetic
     * lies in (-m, 2m) and one correction makes it exact.
     */
    static long mulMod(long a, long b, long m) {
        long q = (long) ((double) a * (double) b / (double) m);
        long r = a * b - q * m;
        if (r < 0) {
            r += m;
        } else if (r >= m) {
            r -= m;
        }
        return r;
    }

    static long pow(long base, long exponent, long m) {
        long result = 1 % m;
        long b = base % m;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = mulMod(result, b, m);
            }
            b = mulMod(b, b, m);
        }
        return result;
    }

    static long nextPrimeAbove(long n) {
        long candidate = n + 1;
        while (!isPrime(candidate)) {
            candidate++;
        }
        return candidate;
    }

    static boolean isPrime(long v) {
        if (v < 2) {
            return false;
        }
        for (long base : MILLER_RABIN_BASES) {
            if (v % base == 0) {
                return v == base;
            }
        }
        long d = v - 1;
        int twos = Long.numberOfTrailingZeros(d);
        d >>= twos;
        for (long base : MILLER_RABIN_BASES) {
            long y = pow(base, d, v);
            if (y == 1 || y == v - 1) {
                continue;
            }
            boolean composite = true;
            for (int i = 1; i < twos && composite; i++) {
                y = mulMod(y, y, v);
                composite = y != v - 1;
            }
            if (composite) {
                return false;
            }
        }
        return true;
    }

    private static long primitiveRoot(long p, SplittableRandom random) {
        if (p == 2) {
            return 1;
        }
        long[] factors = distinctPrimeFactors(p - 1);
        while (true) {
            long g = 2 + random.nextLong(p - 2);
            if (isPrimitiveRoot(g, p, factors)) {
                return g;
            }
        }
    }

    private static boolean isPrimitiveRoot(long g, long p, long[] factorsOfOrder) {
        for (long q : factorsOfOrder) {
            if (pow(g, (p - 1) / q, p) == 1) {
                return false;
            }
        }
        return true;
    }

    /** Trial division; p - 1 < 2^49 needs at most ~2^24.5 divisions, done once per scan. */
    static long[] distinctPrimeFactors(long v) {
        long[] factors = new long[64];
        int count = 0;
        long rest = v;
        for (long d = 2; d * d <= rest; d += d == 2 ? 1 : 2) {
            if (rest % d == 0) {
                factors[count++] = d;
                while (rest % d == 0) {
                    rest /= d;
                }
            }
        }
        if (rest > 1) {
            factors[count++] = rest;
        }
        return Arrays.copyOf(factors, count);
    }
}
