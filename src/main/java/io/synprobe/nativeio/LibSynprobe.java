package io.synprobe.nativeio;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;

/**
 * Mirrors native/synprobe.h. Every function returns -errno on failure, so errno is never read from the
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
}
