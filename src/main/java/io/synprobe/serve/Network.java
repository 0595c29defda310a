package io.synprobe.serve;

import io.synprobe.target.AddressRange;
import io.synprobe.target.TargetParser;

/** An address prefix of any size (a probe_allow entry): {@code 198.18.0.0/15}, {@code 2001:db8::/32}, or one address. */
record Network(int family, long hi, long lo, int prefix) {
    static Network parse(String text, TargetParser parser) {
        int slash = text.indexOf('/');
        AddressRange a = parser.parse(slash < 0 ? text : text.substring(0, slash));
        if (a.count() != 1) throw new IllegalArgumentException("'" + text + "' is not an address or ADDRESS/PREFIX");
        int bits = a.family() == 4 ? 32 : 128;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("invalid prefix length '/" + p + "' in '" + text + "' (0-" + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        return new Network(a.family(), a.hi(), a.lo(), prefix);
    }

    boolean contains(int fam, long h, long l) {
        if (fam != family) return false;
        if (family == 4) return prefix == 0 || ((l ^ lo) >>> (32 - prefix)) == 0;
        if (prefix <= 64) return prefix == 0 || ((h ^ hi) >>> (64 - prefix)) == 0;
        return h == hi && (prefix == 128 || ((l ^ lo) >>> (128 - prefix)) == 0);
    }
}
