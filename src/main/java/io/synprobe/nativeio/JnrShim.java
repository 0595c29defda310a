package io.synprobe.nativeio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;

/** The shim through jnr-ffi (its own JNI stub, jffi): works on Java 17 and later. */
final class JnrShim implements Shim {
    /**
     * Mirrors native/synprobe.h. Public because jnr-ffi implements it from its own class loader; the
     * enclosing class keeps it out of reach of every other package. Every function returns -errno on failure,
     * so errno is never read from the
     * thread-local slot and every call can be {@link IgnoreError}.
     */
    public interface LibSynprobe {
        @IgnoreError
        int sp_open_send(int family);

        @IgnoreError
        int sp_open_recv(int family, int kind, int rcvbufBytes);

        @IgnoreError
        int sp_filter_tcp_ports(int fd, int family, int portLo, int portHi);

        @IgnoreError
        int sp_enable_tx_timestamps(int fd);

        @IgnoreError
        int sp_close(int fd);

        @IgnoreError
        int sp_set_mark(int fd, int mark);

        @IgnoreError
        int sp_send_batch(int fd4, int fd6, Pointer probes, int n);

        @IgnoreError
        int sp_recv_batch(Pointer fds, int nfds, Pointer slots, int maxSlots, int timeoutMs);

        @IgnoreError
        int sp_route_source(int family, Pointer dst, Pointer srcOut);

        @IgnoreError
        int sp_netns_enter(String path);

        @IgnoreError
        int sp_netns_leave(int savedFd);

        @IgnoreError
        int sp_strerror(int errnum, Pointer buf, int len);

        @IgnoreError
        int sp_craft(Pointer probe, Pointer out, int outLen);

        @IgnoreError
        long sp_now_ns();

        @IgnoreError
        int sp_drop_privileges(int uid, int gid);

        @IgnoreError
        int sp_open_packet_send();

        @IgnoreError
        int sp_close_packet(int fd);

        @IgnoreError
        int sp_send_batch_packet(int fd4, int fd6, int pfd, Pointer probes, int n);

        @IgnoreError
        int sp_packet_stats(int pfd, Pointer out);

        @IgnoreError
        int sp_local_output_hooks();
    }

    private final LibSynprobe lib;
    private final Runtime runtime;

    private JnrShim(LibSynprobe lib) {
        this.lib = lib;
        this.runtime = Runtime.getRuntime(lib);
    }

    static Shim load(Path library) {
        return new JnrShim(LibraryLoader.create(LibSynprobe.class).failImmediately().load(library.toString()));
    }

    private static Pointer p(NativeBuffer b) {
        return (Pointer) b.view;
    }

    @Override
    public String name() {
        return "jnr";
    }

    @Override
    public NativeBuffer wrap(ByteBuffer direct) {
        ByteBuffer whole = direct.duplicate().clear();
        return new NativeBuffer(direct, Pointer.wrap(runtime, whole));
    }

    @Override
    public int openSend(int family) {
        return lib.sp_open_send(family);
    }

    @Override
    public int openRecv(int family, int kind, int rcvbufBytes) {
        return lib.sp_open_recv(family, kind, rcvbufBytes);
    }

    @Override
    public int filterTcpPorts(int fd, int family, int portLo, int portHi) {
        return lib.sp_filter_tcp_ports(fd, family, portLo, portHi);
    }

    @Override
    public int enableTxTimestamps(int fd) {
        return lib.sp_enable_tx_timestamps(fd);
    }

    @Override
    public int close(int fd) {
        return lib.sp_close(fd);
    }

    @Override
    public int setMark(int fd, int mark) {
        return lib.sp_set_mark(fd, mark);
    }

    @Override
    public int sendBatch(int fd4, int fd6, NativeBuffer probes, int n) {
        return lib.sp_send_batch(fd4, fd6, p(probes), n);
    }

    @Override
    public int recvBatch(NativeBuffer fds, int nfds, NativeBuffer slots, int maxSlots, int timeoutMs) {
        return lib.sp_recv_batch(p(fds), nfds, p(slots), maxSlots, timeoutMs);
    }

    @Override
    public int routeSource(int family, NativeBuffer dst, NativeBuffer srcOut) {
        return lib.sp_route_source(family, p(dst), p(srcOut));
    }

    @Override
    public int netnsEnter(String path) {
        return lib.sp_netns_enter(path);
    }

    @Override
    public int netnsLeave(int savedFd) {
        return lib.sp_netns_leave(savedFd);
    }

    @Override
    public String strerror(int errno) {
        ByteBuffer b = ByteBuffer.allocateDirect(256);
        lib.sp_strerror(errno, Pointer.wrap(runtime, b), 256);
        byte[] bytes = new byte[256];
        b.get(bytes);
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) len++;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public int craft(NativeBuffer probe, NativeBuffer out, int outLen) {
        return lib.sp_craft(p(probe), p(out), outLen);
    }

    @Override
    public long nowNs() {
        return lib.sp_now_ns();
    }

    @Override
    public int dropPrivileges(int uid, int gid) {
        return lib.sp_drop_privileges(uid, gid);
    }

    @Override
    public int openPacketSend() {
        return lib.sp_open_packet_send();
    }

    @Override
    public int closePacket(int fd) {
        return lib.sp_close_packet(fd);
    }

    @Override
    public int sendBatchPacket(int fd4, int fd6, int pfd, NativeBuffer probes, int n) {
        return lib.sp_send_batch_packet(fd4, fd6, pfd, p(probes), n);
    }

    @Override
    public int packetStats(int pfd, NativeBuffer out) {
        return lib.sp_packet_stats(pfd, p(out));
    }

    @Override
    public int localOutputHooks() {
        return lib.sp_local_output_hooks();
    }
}
