package io.synprobe.packet;

import io.synprobe.result.Reason;

/** Maps ICMP and ICMPv6 errors to nmap's reason names. */
public final class IcmpReasons {
    private IcmpReasons() {
    }

    /** @return the reason, or null for an ICMP error that says nothing about the port */
    public static Reason of(int family, int type, int code) {
        return family == 4 ? v4(type, code) : v6(type, code);
    }

    private static Reason v4(int type, int code) {
        if (type == 11) return Reason.TIME_EXCEEDED;
        if (type != 3) return null;
        return switch (code) {
            case 0 -> Reason.NET_UNREACH;
            case 1 -> Reason.HOST_UNREACH;
            case 2 -> Reason.PROTO_UNREACH;
            case 3 -> Reason.PORT_UNREACH;
            case 9 -> Reason.NET_PROHIBITED;
            case 10 -> Reason.HOST_PROHIBITED;
            case 13 -> Reason.ADMIN_PROHIBITED;
            case 6, 11 -> Reason.NET_UNREACH;
            case 7, 12 -> Reason.HOST_UNREACH;
            default -> Reason.HOST_UNREACH;
        };
    }

    private static Reason v6(int type, int code) {
        if (type == 3) return Reason.TIME_EXCEEDED;
        if (type != 1) return null;
        return switch (code) {
            case 0 -> Reason.NET_UNREACH;       // no route to destination
            case 1, 5, 6 -> Reason.ADMIN_PROHIBITED; // administratively prohibited, policy failure, reject route
            case 3 -> Reason.HOST_UNREACH;      // address unreachable
            case 4 -> Reason.PORT_UNREACH;
            default -> Reason.HOST_UNREACH;
        };
    }
}
