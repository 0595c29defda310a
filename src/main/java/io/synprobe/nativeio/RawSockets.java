package io.synprobe.nativeio;

import static io.synprobe.nativeio.NativeLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The raw sockets of one run: a send socket per address family and receive sockets for TCP and ICMP replies.
 * Opened in the caller's network namespace, or inside another one when a namespace path is given.
 */
public final class RawSockets implements RawLink {
    private static final int RCVBUF = 32 << 20;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    private final Shim lib = NativeLoader.lib();
    private int send4 = -1;
    private int send6 = -1;
    private int packet = -1;
    private final int[] recvFds = new int[4];
    private int recvCount;
    private final ByteBuffer fdTable = ByteBuffer.allocateDirect(4 * 3 * 4).order(ByteOrder.nativeOrder());
    private final NativeBuffer fdTableView = lib.wrap(fdTable);

    /**
     * @param netnsPath  a network namespace file (e.g. /var/run/netns/lab) or null for the current one
     * @param sourcePortLo first local port our probes use; only TCP replies to [lo, hi] reach user space
     */
    public static RawSockets open(boolean ipv4, boolean ipv6, int sourcePortLo, int sourcePortHi, String netnsPath) {
        return open(ipv4, ipv6, sourcePortLo, sourcePortHi, netnsPath, false);
    }

    /**
     * @param transmitTimestamps report each probe's send time as the kernel's software transmit timestamp (when
     *                           it reached the device) instead of the moment before the batch was handed over;
     *                           worth one more system call per batch, so for latency measurement
     */
    public static RawSockets open(boolean ipv4, boolean ipv6, int sourcePortLo, int sourcePortHi, String netnsPath,
                                  boolean transmitTimestamps) {
        return open(ipv4, ipv6, sourcePortLo, sourcePortHi, netnsPath, transmitTimestamps, SendPath.current());
    }

    /** @param sendPath how probes leave (see {@link SendPath}); the raw IP send sockets are opened in every case */
    public static RawSockets open(boolean ipv4, boolean ipv6, int sourcePortLo, int sourcePortHi, String netnsPath,
                                  boolean transmitTimestamps, SendPath sendPath) {
        RawSockets s = new RawSockets();
        try {
            NetworkNamespace.run(netnsPath, () -> {
                if (ipv4) s.openFamily(4, sourcePortLo, sourcePortHi);
                if (ipv6) s.openFamily(6, sourcePortLo, sourcePortHi);
                s.openPacketPath(sendPath);
                if (transmitTimestamps) s.enableTransmitTimestamps();
                return null;
            });
            settleTimestamps();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The kernel switches receive timestamping on system-wide only some milliseconds after the first socket asks
     * for it (net_enable_timestamp defers it to a work queue; up to 7 ms measured). Replies arriving before then
     * are stamped when read, which turned 10 us round trips into 2-7 ms. Nothing is sent until it has settled.
     */
    private static void settleTimestamps() {
        try {
            Thread.sleep(TIMESTAMP_SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final long TIMESTAMP_SETTLE_MS = 50;

    /**
     * AUTO keeps to the IP path where local OUTPUT/POSTROUTING policy exists: a packet socket would bypass it, and
     * a probe the local firewall refuses must stay a send error, never turn into a "filtered" port.
     */
    private void openPacketPath(SendPath path) {
        if (path == SendPath.IP) return;
        if (path == SendPath.AUTO && lib.localOutputHooks() != 0) return;
        int fd = lib.openPacketSend();
        if (fd >= 0) packet = fd;
        else if (path == SendPath.PACKET) check("opening a packet send socket", fd);
    }

    /** The path in effect: PACKET when a packet socket is open (some destinations may still go the IP way). */
    public SendPath sendPath() {
        return packet >= 0 ? SendPath.PACKET : SendPath.IP;
    }

    /** Probes sent so far as Ethernet frames [0] and through the raw IP sockets [1] (zeros on the IP path). */
    public long[] packetPathCounts() {
        if (packet < 0) return new long[2];
        ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        check("reading the packet path's counters", lib.packetStats(packet, lib.wrap(b)));
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    private void enableTransmitTimestamps() {
        for (int fd : new int[] {send4, send6, packet}) {
            if (fd >= 0) check("enabling transmit timestamps", lib.enableTxTimestamps(fd));
        }
    }

    private void openFamily(int family, int portLo, int portHi) {
        int send = check("opening a raw IPv" + family + " send socket", lib.openSend(family));
        if (family == 4) send4 = send;
        else send6 = send;
        int tcp = addRecv(family, RECV_TCP, IPPROTO_TCP);
        check("attaching the reply filter", lib.filterTcpPorts(tcp, family, portLo, portHi));
        addRecv(family, RECV_ICMP, family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
    }

    private int addRecv(int family, int kind, int protocol) {
        int fd = check("opening a raw IPv" + family + (kind == RECV_TCP ? " TCP" : " ICMP") + " receive socket",
                lib.openRecv(family, kind, RCVBUF));
        int i = recvCount++;
        recvFds[i] = fd;
        fdTable.putInt(i * 12, fd);
        fdTable.putInt(i * 12 + 4, family);
        fdTable.putInt(i * 12 + 8, protocol);
        return fd;
    }

    /** Marks every packet the send sockets send (SO_MARK), so nftables rules of this run can recognise them. */
    public void setMark(int mark) {
        for (int fd : new int[] {send4, send6, packet}) {
            if (fd >= 0) check("setting the socket mark", lib.setMark(fd, mark));
        }
    }

    @Override
    public void send(ProbeBatch batch) {
        if (batch.size() == 0) return;
        if (packet >= 0) check("sending probes", lib.sendBatchPacket(send4, send6, packet, batch.nativeView(), batch.size()));
        else check("sending probes", lib.sendBatch(send4, send6, batch.nativeView(), batch.size()));
    }

    @Override
    public int receive(ReplyBatch batch, int timeoutMs) {
        int n = lib.recvBatch(fdTableView, recvCount, batch.nativeView(), batch.capacity(), timeoutMs);
        check("receiving replies", n);
        batch.setSize(n);
        return n;
    }

    @Override
    public void acceptPorts(int lo, int hi) {
        for (int i = 0; i < recvCount; i++) {
            int family = fdTable.getInt(i * 12 + 4), protocol = fdTable.getInt(i * 12 + 8);
            if (protocol == IPPROTO_TCP) check("attaching the reply filter", lib.filterTcpPorts(recvFds[i], family, lo, hi));
        }
    }

    @Override
    public boolean hasFamily(int family) {
        return family == 4 ? send4 >= 0 : send6 >= 0;
    }

    private int check(String what, int rc) {
        if (rc >= 0) return rc;
        throw new NativeException(what, -rc, Errors.message(-rc));
    }

    @Override
    public void close() {
        if (send4 >= 0) lib.close(send4);
        if (send6 >= 0) lib.close(send6);
        if (packet >= 0) lib.closePacket(packet);
        for (int i = 0; i < recvCount; i++) lib.close(recvFds[i]);
        send4 = send6 = packet = -1;
        recvCount = 0;
    }

    /** errno to text through the C library, so messages match what users see elsewhere. */
    static final class Errors {
        private Errors() {
        }

        static String message(int errno) {
            return NativeLoader.lib().strerror(errno);
        }
    }
}
