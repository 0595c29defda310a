package io.synprobe.target;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses target tokens: 198.18.0.2, 198.18.0.0/24, 198.18.0.2-198.18.0.254, 198.18.0.2-254, 2001:db8::/120,
 * 2001:db8::1-2001:db8::ff, and host names (resolved once). Addresses nobody can probe are refused.
 */
public final class TargetParser {
    /** Which family a host name resolves to: the first answer, or only IPv4 / only IPv6. */
    public enum Preference { ANY, IPV4, IPV6 }

    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOSTNAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    /** Ranges larger than this are refused outright: nothing sensible scans them. */
    private static final long MAX_RANGE = 1L << 40;

    private final Preference preference;

    public TargetParser(Preference preference) {
        this.preference = preference;
    }

    public List<AddressRange> parseAll(List<String> tokens) {
        List<AddressRange> out = new ArrayList<>();
        for (String t : tokens) out.add(parse(t));
        return out;
    }

    public AddressRange parse(String raw) {
        String token = raw.trim();
        if (token.isEmpty()) throw new UsageException("empty target");
        AddressRange r;
        int slash = token.indexOf('/');
        int dash = token.indexOf('-');
        if (slash >= 0) {
            r = cidr(token, slash);
        } else if (dash > 0 && (looksNumeric(token.substring(0, dash)))) {
            r = range(token, dash);
        } else if (looksNumeric(token)) {
            byte[] a = literal(token, token);
            r = new AddressRange(a.length == 4 ? 4 : 6, Ip.hi(a), Ip.lo(a), 1);
        } else {
            byte[] a = resolve(token);
            r = new AddressRange(a.length == 4 ? 4 : 6, Ip.hi(a), Ip.lo(a), 1);
        }
        refuseUnprobeable(r, token);
        return r;
    }

    private static boolean looksNumeric(String s) {
        return s.contains(":") || V4.matcher(s).matches() || s.matches("[\\d.]+");
    }

    private AddressRange cidr(String token, int slash) {
        byte[] a = literal(token.substring(0, slash), token);
        int bits = a.length * 8;
        String len = token.substring(slash + 1);
        if (!len.matches("\\d{1,3}")) throw new UsageException("invalid prefix length '/" + len + "' in '" + token + "'");
        int prefix = Integer.parseInt(len);
        if (prefix < 0 || prefix > bits) {
            throw new UsageException("invalid prefix length '/" + len + "' in '" + token + "' (0-" + bits + ")");
        }
        int hostBits = bits - prefix;
        if (hostBits >= 41) throw new UsageException("'" + token + "' has too many addresses (2^" + hostBits + ")");
        BigInteger addr = new BigInteger(1, a);
        BigInteger mask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
        BigInteger first = addr.andNot(mask);
        return fromBig(a.length, first, 1L << hostBits);
    }

    private AddressRange range(String token, int dash) {
        String left = token.substring(0, dash), right = token.substring(dash + 1);
        byte[] a = literal(left, token);
        byte[] b;
        if (a.length == 4 && right.matches("\\d{1,3}")) {
            b = a.clone();
            int last = Integer.parseInt(right);
            if (last > 255) throw new UsageException("invalid address range end '" + right + "' in '" + token + "'");
            b[3] = (byte) last;
        } else {
            b = literal(right, token);
        }
        if (a.length != b.length) throw new UsageException("range '" + token + "' mixes IPv4 and IPv6");
        BigInteger first = new BigInteger(1, a), last = new BigInteger(1, b);
        if (last.compareTo(first) < 0) throw new UsageException("range '" + token + "' ends before it starts");
        BigInteger n = last.subtract(first).add(BigInteger.ONE);
        if (n.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) throw new UsageException("'" + token + "' has too many addresses");
        return fromBig(a.length, first, n.longValue());
    }

    private static AddressRange fromBig(int len, BigInteger first, long count) {
        byte[] full = new byte[16];
        byte[] raw = first.toByteArray();
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, full, 16 - copy, copy);
        long hi = len == 4 ? 0 : Ip.hi(full);
        long lo = Ip.lo(full);
        return new AddressRange(len == 4 ? 4 : 6, hi, lo, count);
    }

    /** Parses a numeric address without ever consulting DNS. */
    static byte[] literal(String s, String token) {
        if (V4.matcher(s).matches()) {
            String[] parts = s.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) throw new UsageException("invalid IPv4 address '" + s + "'" + context(s, token));
                b[i] = (byte) v;
            }
            return b;
        }
        if (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")) {
            try {
                InetAddress a = InetAddress.getByName(s); // a literal: no lookup happens
                if (a instanceof Inet6Address) return a.getAddress();
                if (a instanceof Inet4Address) return a.getAddress();
            } catch (UnknownHostException e) {
                // fall through to the error
            }
            throw new UsageException("invalid IPv6 address '" + s + "'" + context(s, token));
        }
        throw new UsageException("invalid address '" + s + "'" + context(s, token));
    }

    private static String context(String s, String token) {
        return s.equals(token) ? "" : " in '" + token + "'";
    }

    private byte[] resolve(String name) {
        if (!HOSTNAME.matcher(name).matches()) throw new UsageException("invalid target '" + name + "'");
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new UsageException("cannot resolve host name '" + name + "'");
        }
        for (InetAddress a : all) {
            boolean v4 = a instanceof Inet4Address;
            if (preference == Preference.ANY || (preference == Preference.IPV4) == v4) return a.getAddress();
        }
        throw new UsageException("host name '" + name + "' has no " + (preference == Preference.IPV4 ? "IPv4" : "IPv6") + " address");
    }

    /** Multicast, broadcast, "this network" and reserved class E are never targets. */
    private static void refuseUnprobeable(AddressRange r, String token) {
        if (r.family() == 4) {
            long first = r.lo(), last = r.lastLo();
            if (overlaps(first, last, 0x00000000L, 0x00FFFFFFL)) refuse(token, "0.0.0.0/8 is not a destination");
            if (overlaps(first, last, 0xE0000000L, 0xEFFFFFFFL)) refuse(token, "multicast (224.0.0.0/4) cannot be scanned");
            if (overlaps(first, last, 0xF0000000L, 0xFFFFFFFEL)) refuse(token, "240.0.0.0/4 is reserved");
            if (last == 0xFFFFFFFFL) refuse(token, "255.255.255.255 is the broadcast address");
        } else {
            long firstHi = r.hi(), lastHi = r.lastHi();
            boolean multicast = (firstHi >>> 56) == 0xff || (lastHi >>> 56) == 0xff;
            if (multicast) refuse(token, "IPv6 multicast (ff00::/8) cannot be scanned");
            if (firstHi == 0 && r.lo() == 0) refuse(token, ":: is not a destination");
        }
    }

    private static boolean overlaps(long a, long b, long lo, long hi) {
        return a <= hi && b >= lo;
    }

    private static void refuse(String token, String why) {
        throw new UsageException("refusing target '" + token + "': " + why);
    }
}
