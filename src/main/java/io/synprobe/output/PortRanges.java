package io.synprobe.output;

import java.util.List;

/** Ascending port lists in nmap's compact form, e.g. {@code 1-21,23-79,100}. */
final class PortRanges {
    private PortRanges() {
    }

    static String compact(List<Integer> ascending) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < ascending.size()) {
            int first = ascending.get(i);
            int last = first;
            while (i + 1 < ascending.size() && ascending.get(i + 1) == last + 1) last = ascending.get(++i);
            if (s.length() > 0) s.append(',');
            s.append(first);
            if (last != first) s.append('-').append(last);
            i++;
        }
        return s.toString();
    }
}
