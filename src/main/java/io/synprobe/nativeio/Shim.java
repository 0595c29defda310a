package io.synprobe.nativeio;

import java.nio.ByteBuffer;

/**
 * The C shim (native/synprobe.h) as seen from Java, one implementation per binding technology. Every function
 * returns what the C function returns: >= 0, or -errno. Buffers are direct and are wrapped once with
 * {@link #wrap}; the hot calls then take the wrapped view, so a call allocates nothing.
 */
interface Shim {
    /** "jnr" or "ffm". */
    String name();

    /** A native view of the whole of a direct buffer (position and limit ignored), to be reused for every call. */
    NativeBuffer wrap(ByteBuffer direct);

    int openSend(int family);

    int openRecv(int family, int kind, int rcvbufBytes);

    int filterTcpPorts(int fd, int family, int portLo, int portHi);

    int enableTxTimestamps(int fd);

    int close(int fd);

    /** SO_MARK on a send socket, so rules can tell our crafted packets from the kernel's own. */
    int setMark(int fd, int mark);

    int sendBatch(int fd4, int fd6, NativeBuffer probes, int n);

    /** With timeoutMs 0 the call only drains what is queued, which lets a binding treat it as a short call. */
    int recvBatch(NativeBuffer fds, int nfds, NativeBuffer slots, int maxSlots, int timeoutMs);

    int routeSource(int family, NativeBuffer dst, NativeBuffer srcOut);

    int netnsEnter(String path);

    int netnsLeave(int savedFd);

    String strerror(int errno);

    int craft(NativeBuffer probe, NativeBuffer out, int outLen);

    long nowNs();

    int dropPrivileges(int uid, int gid);

    /** An AF_PACKET send socket (with its netlink socket and next-hop cache), in the calling thread's namespace. */
    int openPacketSend();

    int closePacket(int fd);

    /** sendBatch, with probes to resolved next hops on Ethernet devices sent as frames on pfd. */
    int sendBatchPacket(int fd4, int fd6, int pfd, NativeBuffer probes, int n);

    /** out: two i64, probes sent as frames and on the IP sockets through pfd. */
    int packetStats(int pfd, NativeBuffer out);

    /** nftables base chains at OUTPUT/POSTROUTING plus legacy iptables tables in the calling thread's namespace. */
    int localOutputHooks();
}
