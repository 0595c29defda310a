package io.synprobe.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The shim through Java's Foreign Function &amp; Memory API (Java 22+): downcall handles held in static finals, so
 * the JIT binds each call site to its stub, over MemorySegments made once per direct buffer.
 *
 * <p>Critical (no thread-state transition, so no safepoint can happen during the call) only where the call is
 * short in every case: sp_now_ns (a vDSO clock read) and sp_recv_batch with a zero timeout (a poll that does not
 * wait plus non-blocking recvmmsg). sp_recv_batch with a timeout blocks in poll, and sp_send_batch may sleep for
 * up to 40 ms while the device queue is full (ENOBUFS): as critical calls they would stall every other thread at
 * the next GC for that long.
 */
final class FfmShim implements Shim {
    private static volatile SymbolLookup library;

    private FfmShim() {
    }

    /** Called by {@link NativeLoader} through reflection: the base (Java 17) tree has no class of this name. */
    static Shim load(Path path) {
        synchronized (FfmShim.class) {
            // One library per process: a second load (tests binding both ways) reuses the first one's handles.
            if (library == null) library = SymbolLookup.libraryLookup(path, Arena.global());
        }
        H.NOW_NS.type(); // initialises the handles now, so a missing symbol fails here and not mid-scan
        return new FfmShim();
    }

    private static final class H {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);

        static final MethodHandle OPEN_SEND = handle("sp_open_send", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle OPEN_RECV = handle("sp_open_recv", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle FILTER = handle("sp_filter_tcp_ports",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle TX_TIMESTAMPS = handle("sp_enable_tx_timestamps", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle CLOSE = handle("sp_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle SET_MARK = handle("sp_set_mark", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SEND_BATCH = handle("sp_send_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        private static final FunctionDescriptor RECV = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle RECV_BATCH = handle("sp_recv_batch", RECV);
        static final MethodHandle RECV_BATCH_NOW = handle("sp_recv_batch", RECV, CRITICAL);
        static final MethodHandle ROUTE_SOURCE = handle("sp_route_source", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle NETNS_ENTER = handle("sp_netns_enter", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle NETNS_LEAVE = handle("sp_netns_leave", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle STRERROR = handle("sp_strerror", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle CRAFT = handle("sp_craft", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle NOW_NS = handle("sp_now_ns", FunctionDescriptor.of(JAVA_LONG), CRITICAL);
        static final MethodHandle DROP = handle("sp_drop_privileges", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle OPEN_PACKET = handle("sp_open_packet_send", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle CLOSE_PACKET = handle("sp_close_packet", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle SEND_BATCH_PACKET = handle("sp_send_batch_packet",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle PACKET_STATS = handle("sp_packet_stats", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle OUTPUT_HOOKS = handle("sp_local_output_hooks", FunctionDescriptor.of(JAVA_INT));

        private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
            MemorySegment symbol = library.find(name)
                    .orElseThrow(() -> new IllegalStateException("the native library has no symbol " + name));
            return LINKER.downcallHandle(symbol, fd, options);
        }
    }

    private static MemorySegment seg(NativeBuffer b) {
        return (MemorySegment) b.view;
    }

    /** Any Throwable out of invokeExact is a bug in the descriptors above, never an expected outcome. */
    private static IllegalStateException fail(String function, Throwable t) {
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(function + ": " + t, t);
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public NativeBuffer wrap(ByteBuffer direct) {
        return new NativeBuffer(direct, MemorySegment.ofBuffer(direct.duplicate().clear()));
    }

    @Override
    public int openSend(int family) {
        try {
            return (int) H.OPEN_SEND.invokeExact(family);
        } catch (Throwable t) {
            throw fail("sp_open_send", t);
        }
    }

    @Override
    public int openRecv(int family, int kind, int rcvbufBytes) {
        try {
            return (int) H.OPEN_RECV.invokeExact(family, kind, rcvbufBytes);
        } catch (Throwable t) {
            throw fail("sp_open_recv", t);
        }
    }

    @Override
    public int filterTcpPorts(int fd, int family, int portLo, int portHi) {
        try {
            return (int) H.FILTER.invokeExact(fd, family, portLo, portHi);
        } catch (Throwable t) {
            throw fail("sp_filter_tcp_ports", t);
        }
    }

    @Override
    public int enableTxTimestamps(int fd) {
        try {
            return (int) H.TX_TIMESTAMPS.invokeExact(fd);
        } catch (Throwable t) {
            throw fail("sp_enable_tx_timestamps", t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) H.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw fail("sp_close", t);
        }
    }

    @Override
    public int setMark(int fd, int mark) {
        try {
            return (int) H.SET_MARK.invokeExact(fd, mark);
        } catch (Throwable t) {
            throw fail("sp_set_mark", t);
        }
    }

    @Override
    public int sendBatch(int fd4, int fd6, NativeBuffer probes, int n) {
        try {
            return (int) H.SEND_BATCH.invokeExact(fd4, fd6, seg(probes), n);
        } catch (Throwable t) {
            throw fail("sp_send_batch", t);
        }
    }

    @Override
    public int recvBatch(NativeBuffer fds, int nfds, NativeBuffer slots, int maxSlots, int timeoutMs) {
        try {
            return timeoutMs == 0
                    ? (int) H.RECV_BATCH_NOW.invokeExact(seg(fds), nfds, seg(slots), maxSlots, 0)
                    : (int) H.RECV_BATCH.invokeExact(seg(fds), nfds, seg(slots), maxSlots, timeoutMs);
        } catch (Throwable t) {
            throw fail("sp_recv_batch", t);
        }
    }

    @Override
    public int routeSource(int family, NativeBuffer dst, NativeBuffer srcOut) {
        try {
            return (int) H.ROUTE_SOURCE.invokeExact(family, seg(dst), seg(srcOut));
        } catch (Throwable t) {
            throw fail("sp_route_source", t);
        }
    }

    @Override
    public int netnsEnter(String path) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) H.NETNS_ENTER.invokeExact(arena.allocateFrom(path));
        } catch (Throwable t) {
            throw fail("sp_netns_enter", t);
        }
    }

    @Override
    public int netnsLeave(int savedFd) {
        try {
            return (int) H.NETNS_LEAVE.invokeExact(savedFd);
        } catch (Throwable t) {
            throw fail("sp_netns_leave", t);
        }
    }

    @Override
    public String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            int rc = (int) H.STRERROR.invokeExact(errno, buf, 256);
            return buf.getString(0);
        } catch (Throwable t) {
            throw fail("sp_strerror", t);
        }
    }

    @Override
    public int craft(NativeBuffer probe, NativeBuffer out, int outLen) {
        try {
            return (int) H.CRAFT.invokeExact(seg(probe), seg(out), outLen);
        } catch (Throwable t) {
            throw fail("sp_craft", t);
        }
    }

    @Override
    public long nowNs() {
        try {
            return (long) H.NOW_NS.invokeExact();
        } catch (Throwable t) {
            throw fail("sp_now_ns", t);
        }
    }

    @Override
    public int dropPrivileges(int uid, int gid) {
        try {
            return (int) H.DROP.invokeExact(uid, gid);
        } catch (Throwable t) {
            throw fail("sp_drop_privileges", t);
        }
    }

    @Override
    public int openPacketSend() {
        try {
            return (int) H.OPEN_PACKET.invokeExact();
        } catch (Throwable t) {
            throw fail("sp_open_packet_send", t);
        }
    }

    @Override
    public int closePacket(int fd) {
        try {
            return (int) H.CLOSE_PACKET.invokeExact(fd);
        } catch (Throwable t) {
            throw fail("sp_close_packet", t);
        }
    }

    @Override
    public int sendBatchPacket(int fd4, int fd6, int pfd, NativeBuffer probes, int n) {
        try {
            return (int) H.SEND_BATCH_PACKET.invokeExact(fd4, fd6, pfd, seg(probes), n);
        } catch (Throwable t) {
            throw fail("sp_send_batch_packet", t);
        }
    }

    @Override
    public int packetStats(int pfd, NativeBuffer out) {
        try {
            return (int) H.PACKET_STATS.invokeExact(pfd, seg(out));
        } catch (Throwable t) {
            throw fail("sp_packet_stats", t);
        }
    }

    @Override
    public int localOutputHooks() {
        try {
            return (int) H.OUTPUT_HOOKS.invokeExact();
        } catch (Throwable t) {
            throw fail("sp_local_output_hooks", t);
        }
    }
}
