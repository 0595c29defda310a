package io.synprobe.result;

/** Why a port has its state; labels follow nmap's --reason vocabulary. */
public enum Reason {
    SYN_ACK("syn-ack", PortState.OPEN),
    SPLIT_HANDSHAKE_SYN("split-handshake-syn", PortState.OPEN),
    RESET("reset", PortState.CLOSED),
    CONN_REFUSED("conn-refused", PortState.CLOSED),
    NET_UNREACH("net-unreach", PortState.FILTERED),
    HOST_UNREACH("host-unreach", PortState.FILTERED),
    PROTO_UNREACH("proto-unreach", PortState.FILTERED),
    PORT_UNREACH("port-unreach", PortState.FILTERED),
    NET_PROHIBITED("net-prohibited", PortState.FILTERED),
    HOST_PROHIBITED("host-prohibited", PortState.FILTERED),
    ADMIN_PROHIBITED("admin-prohibited", PortState.FILTERED),
    TIME_EXCEEDED("time-exceeded", PortState.FILTERED),
    NO_RESPONSE("no-response", PortState.FILTERED),
    /** ACK scan: a RST proves nothing filters the port (nmap -sA's "unfiltered, reset"). */
    UNFILTERED_RESET("reset", PortState.UNFILTERED),
    /** The local kernel refused the probe (a local firewall, no route): never on the wire. */
    SEND_ERROR("send-error", PortState.ERROR);

    private final String label;
    private final PortState state;

    Reason(String label, PortState state) {
        this.label = label;
        this.state = state;
    }

    public String label() {
        return label;
    }

    /** The state this reason implies. */
    public PortState state() {
        return state;
    }

    private static final Reason[] VALUES = values();

    public static Reason ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
