package io.synprobe.output;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;

/** Address text and order as scanners print them: IPv4 first, then IPv6, each numerically. */
public final class Addresses {
    public static final Comparator<InetAddress> ORDER = Comparator
            .comparingInt((InetAddress a) -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private Addresses() {
    }

    static String family(InetAddress a) {
        return a instanceof Inet4Address ? "ipv4" : "ipv6";
    }

    /** Dotted quad, or RFC 5952 IPv6 text (lower case, longest zero run compressed), which is what nmap prints. */
    public static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
