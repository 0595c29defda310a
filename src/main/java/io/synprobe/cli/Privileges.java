package io.synprobe.cli;

/** What to tell a user who cannot open raw sockets. */
final class Privileges {
    private Privileges() {
    }

    static String hint(String what) {
        return what + " needs raw sockets (CAP_NET_RAW). Run it as root (sudo scripts/synprobe ...), or grant"
                + " the capability to the java binary: sudo setcap cap_net_raw+ep \"$(readlink -f \"$(command -v java)\")\""
                + " (this lets every Java program on the machine open raw sockets; prefer sudo on shared hosts)."
                + " Unprivileged alternative: --connect (full TCP connects, like nmap -sT).";
    }
}
