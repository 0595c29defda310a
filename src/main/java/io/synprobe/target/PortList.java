package io.synprobe.target;

import java.util.BitSet;

/**
 * A sorted set of TCP ports: "22", "1-1024", "22,80,443", "-" (all), "-1024", "60000-". Port index i is the
 * i-th smallest port; {@link #indexOf} maps back in O(1).
 */
public final class PortList {
    private final int[] ports;
    private final int[] indexByPort = new int[65536];

    private PortList(int[] ports) {
        this.ports = ports;
        java.util.Arrays.fill(indexByPort, -1);
        for (int i = 0; i < ports.length; i++) indexByPort[ports[i]] = i;
    }

    public static PortList of(int... ports) {
        BitSet set = new BitSet(65536);
        for (int p : ports) {
            if (p < 1 || p > 65535) throw new UsageException("invalid port '" + p + "' (1-65535)");
            set.set(p);
        }
        return new PortList(set.stream().toArray());
    }

    public static PortList parse(String spec) {
        if (spec == null || spec.isBlank()) throw new UsageException("empty port list");
        BitSet set = new BitSet(65536);
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) throw new UsageException("empty entry in port list '" + spec + "'");
            int dash = p.indexOf('-');
            if (dash < 0) {
                int port = port(p, spec);
                set.set(port);
            } else {
                int lo = dash == 0 ? 1 : port(p.substring(0, dash), spec);
                int hi = dash == p.length() - 1 ? 65535 : port(p.substring(dash + 1), spec);
                if (hi < lo) throw new UsageException("port range '" + p + "' ends before it starts");
                set.set(lo, hi + 1);
            }
        }
        return new PortList(set.stream().toArray());
    }

    private static int port(String s, String spec) {
        if (!s.matches("\\d{1,5}")) throw new UsageException("invalid port '" + s + "' in '" + spec + "'");
        int v = Integer.parseInt(s);
        if (v < 1 || v > 65535) throw new UsageException("invalid port '" + s + "' (1-65535)");
        return v;
    }

    public int size() {
        return ports.length;
    }

    public int port(int index) {
        return ports[index];
    }

    /** @return the index of the port, or -1 when it is not in the list */
    public int indexOf(int port) {
        return port >= 0 && port < 65536 ? indexByPort[port] : -1;
    }

    /** Compact text like nmap's services attribute: 1-1024,3306,8080. */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ports.length; ) {
            int j = i;
            while (j + 1 < ports.length && ports[j + 1] == ports[j] + 1) j++;
            if (sb.length() > 0) sb.append(',');
            sb.append(ports[i]);
            if (j > i) sb.append('-').append(ports[j]);
            i = j + 1;
        }
        return sb.toString();
    }
}
