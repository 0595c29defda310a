package io.synprobe.output;

import java.util.BitSet;
import java.util.List;

/** Port sets in nmap's compact form, e.g. {@code 1-21,23-79,100}. */
final class PortRanges {
    private PortRanges() {
    }

    static String compact(List<Integer> ports) {
        BitSet set = new BitSet();
        ports.forEach(set::set);
        return compact(set);
    }

    static String compact(BitSet ports) {
        StringBuilder s = new StringBuilder();
        for (int first = ports.nextSetBit(0); first >= 0; ) {
            int end = ports.nextClearBit(first); // exclusive
            if (s.length() > 0) s.append(',');
            s.append(first);
            if (end - 1 != first) s.append('-').append(end - 1);
            first = ports.nextSetBit(end);
        }
        return s.toString();
    }
}
