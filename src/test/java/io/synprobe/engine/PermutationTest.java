package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermutationTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 1000, 65536 * 3 + 5})
    void everyIndexAppearsExactlyOnce(long n) {
        for (long seed : new long[] {0, 1, -5, 123456789}) {
            BitSet seen = new BitSet();
            Permutation permutation = new Permutation(n, seed, 0, 1);
            long count = 0;
            for (long v = permutation.next(); v != -1; v = permutation.next()) {
                assertTrue(v >= 0 && v < n, "out of range " + v);
                assertFalse(seen.get((int) v), "duplicate " + v);
                seen.set((int) v);
                count++;
            }
            assertEquals(n, count);
            assertEquals(-1, permutation.next());
        }
    }

    @Test
    void emptyRangeYieldsNothing() {
        assertEquals(-1, new Permutation(0, 1, 0, 1).next());
    }

    @Test
    void sameSeedSameOrderDifferentSeedDifferentOrder() {
        long[] a = drain(new Permutation(1000, 42, 0, 1));
        long[] b = drain(new Permutation(1000, 42, 0, 1));
        long[] c = drain(new Permutation(1000, 43, 0, 1));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 16, 1500})
    void shardsAreDisjointAndCoverEverything(int shards) {
        long n = 1000;
        BitSet seen = new BitSet();
        long total = 0;
        for (int i = 0; i < shards; i++) {
            for (long v : drain(new Permutation(n, 99, i, shards))) {
                assertFalse(seen.get((int) v), "shard " + i + " repeats " + v);
                seen.set((int) v);
                total++;
            }
        }
        assertEquals(n, total);
        assertEquals(n, seen.cardinality());
    }

    @Test
    void shardsTakeEveryKthStepOfTheUnshardedWalk() {
        long n = 1008; // 1009 is prime, so the walk has no skipped elements
        long[] whole = drain(new Permutation(n, 7, 0, 1));
        for (int shard = 0; shard < 3; shard++) {
            long[] part = drain(new Permutation(n, 7, shard, 3));
            assertEquals(336, part.length);
            for (int j = 0; j < part.length; j++) {
                assertEquals(whole[shard + 3 * j], part[j]);
            }
        }
    }

    @Test
    void seekToPositionResumesIdentically() {
        long n = 65536 * 3 + 5;
        for (int shard = 0; shard < 3; shard++) {
            long[] full = drain(new Permutation(n, 5, shard, 3));
            Permutation first = new Permutation(n, 5, shard, 3);
            for (int i = 0; i < 12345; i++) {
                first.next();
            }
            long saved = first.position();
            Permutation resumed = new Permutation(n, 5, shard, 3);
            resumed.seek(saved);
            long[] rest = drain(resumed);
            assertEquals(full.length - 12345, rest.length);
            for (int i = 0; i < rest.length; i++) {
                assertEquals(full[12345 + i], rest[i]);
            }
            first.seek(first.position());
            assertEquals(rest[0], first.next());
        }
    }

    @Test
    void seekPastEndIsExhausted() {
        Permutation permutation = new Permutation(10, 1, 0, 1);
        permutation.seek(Long.MAX_VALUE);
        assertEquals(-1, permutation.next());
    }

    @Test
    void largestSizeProducesDistinctInRangeValues() {
        Permutation permutation = new Permutation(Permutation.MAX_SIZE, 3, 2, 4);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10000; i++) {
            long v = permutation.next();
            assertTrue(v >= 0 && v < Permutation.MAX_SIZE);
            assertTrue(seen.add(v));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Permutation(-1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Permutation(Permutation.MAX_SIZE + 1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Permutation(10, 0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Permutation(10, 0, 0, 0));
    }

    @Test
    void mulModMatchesBigIntegerNear2To49() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long m = (1L << 49) - 1 - random.nextLong(1L << 20);
            long a = random.nextLong(m);
            long b = i % 10 == 0 ? m - 1 : random.nextLong(m);
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(m))
                    .longValueExact();
            assertEquals(expected, Permutation.mulMod(a, b, m), a + "*" + b + " mod " + m);
        }
    }

    @Test
    void primalityAgreesWithBigInteger() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            long v = i < 2000 ? i : random.nextLong(1L << 49);
            assertEquals(BigInteger.valueOf(v).isProbablePrime(50), Permutation.isPrime(v), "v=" + v);
        }
        long above = BigInteger.ONE.shiftLeft(48).nextProbablePrime().longValueExact();
        assertEquals(above, Permutation.nextPrimeAbove(1L << 48));
    }

    @Test
    void factorisation() {
        assertArrayEquals(new long[] {2, 3, 7}, Permutation.distinctPrimeFactors(2L * 2 * 3 * 7 * 7));
        long bigPrime = BigInteger.ONE.shiftLeft(47).nextProbablePrime().longValueExact();
        assertArrayEquals(new long[] {2, bigPrime}, Permutation.distinctPrimeFactors(2 * bigPrime));
    }

    private static long[] drain(Permutation permutation) {
        List<Long> values = new ArrayList<>();
        for (long v = permutation.next(); v != -1; v = permutation.next()) {
            values.add(v);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
