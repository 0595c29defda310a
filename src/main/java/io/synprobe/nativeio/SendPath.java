package io.synprobe.nativeio;

import java.util.Locale;

/**
 * How probes leave: {@link #IP} through raw IP sockets (the kernel routes them, and netfilter OUTPUT and the
 * neighbour layer see them), {@link #PACKET} as Ethernet frames built in the shim on an AF_PACKET socket (none of
 * that on the way out), or {@link #AUTO}: the packet socket unless the namespace has local OUTPUT/POSTROUTING
 * rules (nftables base chains, or legacy iptables tables) that it would bypass. With PACKET or AUTO, a destination
 * whose route is not on an Ethernet device (loopback, TUN, WireGuard), or whose next hop is not resolved yet, still
 * goes the IP way.
 *
 * <p>Chosen for the calling thread and the threads it starts ({@link #choose}, the CLI's --send-path), else by
 * -Dsynprobe.sendPath=ip|packet|auto, else {@link #DEFAULT}.
 */
public enum SendPath {
    IP, PACKET, AUTO;

    public static final String PROPERTY = "synprobe.sendPath";

    /** The packet socket where it is safe (README "The packet-socket send path": 19% faster on 253 x 4000 here). */
    public static final SendPath DEFAULT = AUTO;

    private static final InheritableThreadLocal<SendPath> CHOSEN = new InheritableThreadLocal<>();

    /** The path for sockets this thread opens from now on; null goes back to the property or the default. */
    public static void choose(SendPath path) {
        if (path == null) CHOSEN.remove();
        else CHOSEN.set(path);
    }

    public static SendPath current() {
        SendPath chosen = CHOSEN.get();
        if (chosen != null) return chosen;
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? DEFAULT : parse(p);
    }

    /** "ip", "packet" or "auto" (any case); anything else is an IllegalArgumentException naming it. */
    public static SendPath parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "ip" -> IP;
            case "packet" -> PACKET;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("send path must be ip, packet or auto, not '" + name + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
