#include "synprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
/* glibc's netinet headers must come before the kernel's linux/ ones, or in6_pktinfo disappears */
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <linux/net_tstamp.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IPV4_HDR 20
#define IPV6_HDR 40
#define TCP_HDR 20
#define MSS_OPT 4
#define MAX_PKT (IPV6_HDR + TCP_HDR + MSS_OPT)
#define CTRL_LEN 256
#define MAX_SOCKS 8

static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline void be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum) {
    while (len > 1) { sum += (uint32_t)p[0] << 8 | p[1]; p += 2; len -= 2; }
    if (len) sum += (uint32_t)p[0] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

SP_API int64_t sp_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Writes the TCP header and returns its length. */
static int craft_tcp(const uint8_t *probe, uint8_t *tcp) {
    int with_mss = probe[SP_PROBE_OPTS] & 1;
    int len = TCP_HDR + (with_mss ? MSS_OPT : 0);
    memset(tcp, 0, (size_t)len);
    be16(tcp + 0, rd16(probe + SP_PROBE_SPORT));
    be16(tcp + 2, rd16(probe + SP_PROBE_DPORT));
    be32(tcp + 4, rd32(probe + SP_PROBE_SEQ));
    be32(tcp + 8, rd32(probe + SP_PROBE_ACK));
    tcp[12] = (uint8_t)((len / 4) << 4);
    tcp[13] = probe[SP_PROBE_FLAGS];
    be16(tcp + 14, rd16(probe + SP_PROBE_WINDOW));
    if (with_mss) {
        tcp[20] = 2;
        tcp[21] = 4;
        be16(tcp + 22, rd16(probe + SP_PROBE_MSS));
    }
    return len;
}

SP_API int sp_craft(const uint8_t *probe, uint8_t *out, int out_len) {
    if (!probe || !out || out_len < MAX_PKT) return -EINVAL;
    const uint8_t *src = probe + SP_PROBE_SRC, *dst = probe + SP_PROBE_DST;
    if (probe[SP_PROBE_FAMILY] == 4) {
        int tcp_len = craft_tcp(probe, out + IPV4_HDR);
        int total = IPV4_HDR + tcp_len;
        uint8_t *ip = out;
        ip[0] = 0x45;
        ip[1] = 0;
        be16(ip + 2, (uint16_t)total);
        be16(ip + 4, rd16(probe + SP_PROBE_IPID));
        be16(ip + 6, 0);
        ip[8] = probe[SP_PROBE_TTL];
        ip[9] = IPPROTO_TCP;
        be16(ip + 10, 0);
        memcpy(ip + 12, src, 4);
        memcpy(ip + 16, dst, 4);
        be16(ip + 10, fold(sum16(ip, IPV4_HDR, 0)));
        uint32_t s = sum16(src, 4, 0);
        s = sum16(dst, 4, s);
        s += IPPROTO_TCP + (uint32_t)tcp_len;
        be16(out + IPV4_HDR + 16, fold(sum16(out + IPV4_HDR, (size_t)tcp_len, s)));
        return total;
    }
    if (probe[SP_PROBE_FAMILY] == 6) {
        int tcp_len = craft_tcp(probe, out + IPV6_HDR);
        uint8_t *ip = out;
        uint32_t flow = rd16(probe + SP_PROBE_IPID);
        be32(ip, 6u << 28 | flow);
        be16(ip + 4, (uint16_t)tcp_len);
        ip[6] = IPPROTO_TCP;
        ip[7] = probe[SP_PROBE_TTL];
        memcpy(ip + 8, src, 16);
        memcpy(ip + 24, dst, 16);
        uint32_t s = sum16(src, 16, 0);
        s = sum16(dst, 16, s);
        s += IPPROTO_TCP + (uint32_t)tcp_len;
        be16(out + IPV6_HDR + 16, fold(sum16(out + IPV6_HDR, (size_t)tcp_len, s)));
        return IPV6_HDR + tcp_len;
    }
    return -EAFNOSUPPORT;
}

/* Send sockets with kernel transmit timestamps: the OPT_ID key the kernel gives the next packet. */
#define MAX_TS_FD 4096
static uint32_t tx_next_key[MAX_TS_FD];
static uint8_t tx_stamped[MAX_TS_FD];

/* Socket numbers are reused: a new socket starts without the timestamping state of a closed one. */
static void forget_tx_state(int fd) {
    if (fd >= 0 && fd < MAX_TS_FD) {
        tx_stamped[fd] = 0;
        tx_next_key[fd] = 0;
    }
}

SP_API int sp_open_send(int family) {
    int af = family == 6 ? AF_INET6 : family == 4 ? AF_INET : -1;
    if (af < 0) return -EAFNOSUPPORT;
    int fd = socket(af, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) return -errno;
    forget_tx_state(fd);
    int buf = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    return fd;
}

SP_API int sp_set_mark(int fd, int mark) {
    if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) < 0) return -errno;
    return 0;
}

SP_API int sp_open_recv(int family, int kind, int rcvbuf_bytes) {
    int af = family == 6 ? AF_INET6 : family == 4 ? AF_INET : -1;
    if (af < 0) return -EAFNOSUPPORT;
    int proto = kind == SP_RECV_TCP ? IPPROTO_TCP : family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
    if (kind != SP_RECV_TCP && kind != SP_RECV_ICMP) return -EINVAL;
    int fd = socket(af, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    if (fd < 0) return -errno;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) goto fail;
    if (rcvbuf_bytes > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_bytes, sizeof rcvbuf_bytes) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf_bytes, sizeof rcvbuf_bytes);
    if (af == AF_INET6) {
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) < 0) goto fail;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one) < 0) goto fail;
    }
    if (kind == SP_RECV_ICMP && af == AF_INET) {
        /* ICMP_FILTER is a mask of types to drop: keep only unreachable and time exceeded */
        struct icmp_filter f = {.data = ~((1u << ICMP_DEST_UNREACH) | (1u << ICMP_TIME_EXCEEDED))};
        if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof f) < 0) goto fail;
    }
    if (kind == SP_RECV_ICMP && af == AF_INET6) {
        struct icmp6_filter f;
        ICMP6_FILTER_SETBLOCKALL(&f);
        ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
        ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
        if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f) < 0) goto fail;
    }
    return fd;
fail:;
    int err = errno;
    close(fd);
    return -err;
}

SP_API int sp_filter_tcp_ports(int fd, int family, int port_lo, int port_hi) {
    if (port_lo < 0 || port_hi > 65535 || port_lo > port_hi) return -EINVAL;
    /* IPv4 raw sockets see the IP header, IPv6 ones start at the TCP header. */
    struct sock_filter v4[] = {
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)port_lo, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)port_hi, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    struct sock_filter v6[] = {
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)port_lo, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)port_hi, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    struct sock_fprog prog;
    if (family == 4) prog = (struct sock_fprog){.len = sizeof v4 / sizeof v4[0], .filter = v4};
    else if (family == 6) prog = (struct sock_fprog){.len = sizeof v6 / sizeof v6[0], .filter = v6};
    else return -EAFNOSUPPORT;
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0) return -errno;
    /* Packets queued before the filter was attached may be anything: drain them. */
    uint8_t scratch[64];
    while (recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) >= 0) {
    }
    return 0;
}

SP_API int sp_close(int fd) {
    forget_tx_state(fd);
    return close(fd) < 0 ? -errno : 0;
}

static void fill_sockaddr(const uint8_t *probe, struct sockaddr_in6 *sa, socklen_t *len) {
    memset(sa, 0, sizeof *sa);
    if (probe[SP_PROBE_FAMILY] == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
        s4->sin_family = AF_INET;
        memcpy(&s4->sin_addr, probe + SP_PROBE_DST, 4);
        *len = sizeof *s4;
    } else {
        sa->sin6_family = AF_INET6;
        memcpy(&sa->sin6_addr, probe + SP_PROBE_DST, 16);
        *len = sizeof *sa;
    }
}

static void stamp(uint8_t *probes, int from, int to, int64_t value) {
    for (int i = from; i < to; i++) memcpy(probes + (size_t)i * SP_PROBE_SIZE + SP_PROBE_TS, &value, 8);
}

static __thread uint8_t tx_pkts[SP_MAX_BATCH][MAX_PKT];
static __thread struct mmsghdr tx_msgs[SP_MAX_BATCH];
static __thread struct iovec tx_iov[SP_MAX_BATCH];
static __thread struct sockaddr_in6 tx_addr[SP_MAX_BATCH];

/* sendmmsg over probes [from, to), all of one family; retries when the queue is momentarily full. */

SP_API int sp_enable_tx_timestamps(int fd) {
    if (fd < 0 || fd >= MAX_TS_FD) return -EINVAL;
    int flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID |
                SOF_TIMESTAMPING_OPT_TSONLY;
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) < 0) return -errno;
    tx_next_key[fd] = 0;
    tx_stamped[fd] = 1;
    return 0;
}

static __thread struct mmsghdr ts_msgs[SP_MAX_BATCH];
static __thread uint8_t ts_ctrl[SP_MAX_BATCH][128];

/*
 * Replaces the pre-send stamps of probes [from, from + count) by the times the kernel handed each packet to the
 * device, as far as the error queue already has them; the key of each timestamp says which packet it is for.
 */
static void read_tx_timestamps(int fd, uint8_t *probes, int from, int count, uint32_t first_key) {
    /* A timestamp may reach the error queue a little after sendmmsg returns (the device takes the packet from a
     * softirq), and one that missed its call would otherwise be read by the next call instead of that call's own,
     * and so on for the rest of the run. So: every queued entry is read (stale ones dropped by their key), and
     * missing ones are waited for, briefly. A probe whose stamp never comes keeps the time taken before the send. */
    static __thread uint8_t filled[SP_MAX_BATCH];
    memset(filled, 0, (size_t)count);
    int missing = count;
    int64_t deadline = sp_now_ns() + 2000000;
    while (missing > 0) {
        int room = count;
        for (int k = 0; k < room; k++) {
            ts_msgs[k].msg_hdr = (struct msghdr){.msg_control = ts_ctrl[k], .msg_controllen = sizeof ts_ctrl[k]};
        }
        int got = recvmmsg(fd, ts_msgs, (unsigned)room, MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
        if (got <= 0) {
            if (sp_now_ns() > deadline) return;
            struct timespec pause = {0, 5000};
            nanosleep(&pause, NULL);
            continue;
        }
        for (int k = 0; k < got; k++) {
            struct msghdr *h = &ts_msgs[k].msg_hdr;
            int64_t ts = 0;
            int64_t key = -1;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
                    struct scm_timestamping t;
                    memcpy(&t, CMSG_DATA(c), sizeof t);
                    ts = (int64_t)t.ts[0].tv_sec * 1000000000LL + t.ts[0].tv_nsec;
                } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                           (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR) ||
                           (c->cmsg_level == 263 /* SOL_PACKET */ && c->cmsg_type == 16 /* PACKET_TX_TIMESTAMP */)) {
                    struct sock_extended_err e;
                    memcpy(&e, CMSG_DATA(c), sizeof e);
                    if (e.ee_origin == SO_EE_ORIGIN_TIMESTAMPING && e.ee_info == SCM_TSTAMP_SND) key = e.ee_data;
                }
            }
            uint32_t index = (uint32_t)key - first_key;
            if (ts > 0 && key >= 0 && index < (uint32_t)count && !filled[index]) {
                memcpy(probes + (size_t)(from + (int)index) * SP_PROBE_SIZE + SP_PROBE_TS, &ts, 8);
                filled[index] = 1;
                missing--;
            }
        }
    }
}

static void send_run(int fd, uint8_t *probes, int from, int to) {
    if (fd < 0) {
        stamp(probes, from, to, -EAFNOSUPPORT);
        return;
    }
    int busy_waits = 0;
    while (from < to) {
        /* stamped just before the call: on loopback the reply can be handled inside sendmmsg itself */
        int64_t before = sp_now_ns();
        int r = sendmmsg(fd, tx_msgs + from, (unsigned)(to - from), 0);
        if (r > 0) {
            stamp(probes, from, from + r, before);
            if (fd < MAX_TS_FD && tx_stamped[fd]) {
                uint32_t first_key = tx_next_key[fd];
                tx_next_key[fd] += (uint32_t)r;
                read_tx_timestamps(fd, probes, from, r, first_key);
            }
            from += r;
            busy_waits = 0;
            continue;
        }
        int err = r < 0 ? errno : EIO;
        if (err == EINTR) continue;
        if ((err == ENOBUFS || err == EAGAIN) && busy_waits++ < 2000) {
            struct timespec pause = {0, 20000};
            nanosleep(&pause, NULL);
            continue;
        }
        stamp(probes, from, from + 1, -err); /* this probe cannot be sent (no route, firewall, ...) */
        /* a packet the local firewall refuses (EPERM from the OUTPUT hook) has already used up a timestamp key */
        if (err == EPERM && fd < MAX_TS_FD && tx_stamped[fd]) tx_next_key[fd]++;
        from++;
    }
}

/* Crafts probe p into message i of the batch, addressed for a raw IP socket. */
static void prepare_ip_message(int i, const uint8_t *p) {
    int len = sp_craft(p, tx_pkts[i], MAX_PKT);
    tx_iov[i].iov_base = tx_pkts[i];
    tx_iov[i].iov_len = len > 0 ? (size_t)len : 0;
    socklen_t alen = 0;
    fill_sockaddr(p, &tx_addr[i], &alen);
    tx_msgs[i].msg_hdr = (struct msghdr){
        .msg_name = &tx_addr[i], .msg_namelen = alen, .msg_iov = &tx_iov[i], .msg_iovlen = 1};
}

SP_API int sp_send_batch(int fd4, int fd6, uint8_t *probes, int n) {
    if (!probes || n < 0 || n > SP_MAX_BATCH) return -EINVAL;
    for (int i = 0; i < n; i++) {
        uint8_t *p = probes + (size_t)i * SP_PROBE_SIZE;
        prepare_ip_message(i, p);
    }
    int start = 0;
    while (start < n) {
        uint8_t family = probes[(size_t)start * SP_PROBE_SIZE + SP_PROBE_FAMILY];
        int end = start;
        while (end < n && probes[(size_t)end * SP_PROBE_SIZE + SP_PROBE_FAMILY] == family) end++;
        if (family == 4) send_run(fd4, probes, start, end);
        else if (family == 6) send_run(fd6, probes, start, end);
        else stamp(probes, start, end, -EAFNOSUPPORT);
        start = end;
    }
    return n;
}

static __thread struct mmsghdr rx_msgs[SP_MAX_BATCH];
static __thread struct iovec rx_iov[SP_MAX_BATCH];
static __thread struct sockaddr_in6 rx_addr[SP_MAX_BATCH];
static __thread uint8_t rx_ctrl[SP_MAX_BATCH][CTRL_LEN];

/* Rebuilds the IPv6 header in front of the payload from the sender address and ancillary data. */
static void finish_slot(uint8_t *slot, int family, int proto, int sock, const struct mmsghdr *m) {
    const struct msghdr *h = &m->msg_hdr;
    uint32_t wire = m->msg_len;
    uint32_t stored = wire < SP_SLOT_CAP ? wire : SP_SLOT_CAP;
    int64_t ts = 0;
    int hoplimit = 0;
    struct in6_addr dst6;
    memset(&dst6, 0, sizeof dst6);
    for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)h); c; c = CMSG_NXTHDR((struct msghdr *)h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec t;
            memcpy(&t, CMSG_DATA(c), sizeof t);
            ts = (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            memcpy(&hoplimit, CMSG_DATA(c), sizeof hoplimit);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            dst6 = pi.ipi6_addr;
        }
    }
    if (ts == 0) ts = sp_now_ns();
    memcpy(slot + SP_SLOT_TS, &ts, 8);
    slot[SP_SLOT_FAMILY] = (uint8_t)family;
    slot[SP_SLOT_SOCK] = (uint8_t)sock;
    uint16_t off, len, wlen;
    if (family == 6) {
        uint8_t *ip = slot + SP_SLOT_DATA;
        be32(ip, 6u << 28);
        be16(ip + 4, (uint16_t)(wire > 0xffff ? 0xffff : wire));
        ip[6] = (uint8_t)proto;
        ip[7] = (uint8_t)hoplimit;
        memcpy(ip + 8, &rx_addr[m - rx_msgs].sin6_addr, 16);
        memcpy(ip + 24, &dst6, 16);
        off = SP_SLOT_DATA;
        len = (uint16_t)(stored + IPV6_HDR);
        wlen = (uint16_t)(wire + IPV6_HDR > 0xffff ? 0xffff : wire + IPV6_HDR);
    } else {
        off = SP_SLOT_V4_DATA;
        len = (uint16_t)stored;
        wlen = (uint16_t)(wire > 0xffff ? 0xffff : wire);
    }
    memcpy(slot + SP_SLOT_PKT_OFF, &off, 2);
    memcpy(slot + SP_SLOT_PKT_LEN, &len, 2);
    memcpy(slot + SP_SLOT_WIRE_LEN, &wlen, 2);
}

SP_API int sp_recv_batch(const int32_t *fds, int nfds, uint8_t *slots, int max_slots, int timeout_ms) {
    if (!fds || !slots || nfds < 1 || nfds > MAX_SOCKS || max_slots < 1) return -EINVAL;
    if (max_slots > SP_MAX_BATCH) max_slots = SP_MAX_BATCH;
    struct pollfd pfd[MAX_SOCKS];
    for (int i = 0; i < nfds; i++) pfd[i] = (struct pollfd){.fd = fds[3 * i], .events = POLLIN};
    int r = poll(pfd, (nfds_t)nfds, timeout_ms < 0 ? 0 : timeout_ms);
    if (r < 0) return errno == EINTR ? 0 : -errno;
    /* Fair shares first: a socket flooded with replies must not starve the others (ICMP, IPv6) of the batch.
     * Pass 0 gives each ready socket an equal share, pass 1 lets any of them fill what is left. */
    int ready = 0;
    for (int i = 0; i < nfds; i++) ready += (pfd[i].revents & POLLIN) ? 1 : 0;
    int share = ready > 0 ? max_slots / ready : max_slots;
    if (share < 1) share = 1;
    int filled = 0;
    for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < nfds && filled < max_slots; i++) {
        if (!(pfd[i].revents & POLLIN)) continue;
        int family = fds[3 * i + 1], proto = fds[3 * i + 2];
        int room = max_slots - filled;
        if (pass == 0 && room > share) room = share;
        for (int k = 0; k < room; k++) {
            int s = filled + k;
            rx_iov[s] = (struct iovec){.iov_base = slots + (size_t)s * SP_SLOT_SIZE + SP_SLOT_V4_DATA,
                                       .iov_len = SP_SLOT_CAP};
            rx_msgs[s].msg_hdr = (struct msghdr){.msg_name = &rx_addr[s], .msg_namelen = sizeof rx_addr[s],
                                                 .msg_iov = &rx_iov[s], .msg_iovlen = 1,
                                                 .msg_control = rx_ctrl[s], .msg_controllen = CTRL_LEN};
        }
        int got = recvmmsg(fds[3 * i], rx_msgs + filled, (unsigned)room, MSG_DONTWAIT | MSG_TRUNC, NULL);
        if (got < room) pfd[i].revents = 0; /* read empty: nothing more for pass 1 */
        if (got <= 0) continue;
        for (int k = 0; k < got; k++) {
            int s = filled + k;
            finish_slot(slots + (size_t)s * SP_SLOT_SIZE, family, proto, i, &rx_msgs[s]);
        }
        filled += got;
    }
    return filled;
}

SP_API int sp_route_source(int family, const uint8_t *dst, uint8_t *src_out) {
    if (!dst || !src_out) return -EINVAL;
    struct sockaddr_in6 sa;
    socklen_t len;
    memset(&sa, 0, sizeof sa);
    int af;
    if (family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(9);
        memcpy(&s4->sin_addr, dst, 4);
        len = sizeof *s4;
        af = AF_INET;
    } else if (family == 6) {
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(9);
        memcpy(&sa.sin6_addr, dst, 16);
        len = sizeof sa;
        af = AF_INET6;
    } else {
        return -EAFNOSUPPORT;
    }
    int fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    /* connect() on UDP sends nothing: it only asks the routing table which source it would use */
    if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    struct sockaddr_in6 local;
    socklen_t llen = sizeof local;
    int rc = getsockname(fd, (struct sockaddr *)&local, &llen) < 0 ? -errno : 0;
    close(fd);
    if (rc) return rc;
    memset(src_out, 0, 16);
    if (family == 4) memcpy(src_out, &((struct sockaddr_in *)&local)->sin_addr, 4);
    else memcpy(src_out, &local.sin6_addr, 16);
    return 0;
}

SP_API int sp_netns_enter(const char *path) {
    if (!path) return -EINVAL;
    int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (saved < 0) return -errno;
    int target = open(path, O_RDONLY | O_CLOEXEC);
    if (target < 0) {
        int err = errno;
        close(saved);
        return -err;
    }
    int rc = setns(target, CLONE_NEWNET);
    int err = errno;
    close(target);
    if (rc < 0) {
        close(saved);
        return -err;
    }
    return saved;
}

SP_API int sp_netns_leave(int saved_fd) {
    int rc = setns(saved_fd, CLONE_NEWNET) < 0 ? -errno : 0;
    close(saved_fd);
    return rc;
}

SP_API int sp_strerror(int errnum, char *buf, int len) {
    if (!buf || len < 1) return -EINVAL;
    const char *s = strerror(errnum);
    snprintf(buf, (size_t)len, "%s", s);
    return 0;
}

SP_API int sp_drop_privileges(int uid, int gid) {
    if (uid < 0 || gid < 0) return -EINVAL;
    if (setgroups(0, NULL) < 0) return -errno;
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0) return -errno;
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) return -errno;
    return 0;
}

/* ------------------------------------------------------------------------------------------------------------
 * Packet-socket send path: the crafted IP packet inside an Ethernet frame, sent on an AF_PACKET socket with
 * PACKET_QDISC_BYPASS, so the kernel's IP output path (routing, netfilter OUTPUT/POSTROUTING, neighbour layer)
 * is skipped. The next hop's MAC comes from the kernel's own tables over rtnetlink, once per destination; a
 * destination whose route is not on an Ethernet device, or whose neighbour is not resolved yet, is sent on the
 * raw IP socket instead (which makes the kernel resolve it; the next probe to it asks again).
 * ------------------------------------------------------------------------------------------------------------ */
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#define ETH_HDR 14
#define HOP_SLOTS 65536          /* direct-mapped per-destination cache */
#define HOP_RETRY_NS 2000000LL   /* an unresolved neighbour is asked again at most every 2 ms */
#define HOP_REFRESH_NS 5000000000LL /* a resolved one every 5 s (the target's MAC may change) */
#define HOP_MAX_LINKS 64

enum { HOP_EMPTY = 0, HOP_PACKET = 1, HOP_IP = 2, HOP_PENDING = 3 };

struct hop {
    uint8_t kind, family;
    uint8_t dst[16];
    uint8_t src_mac[6], dst_mac[6];
    int32_t ifindex;
    int64_t until_ns; /* ask again after this */
};

struct link_info { int32_t ifindex; uint16_t type; uint8_t mac[6]; };

struct packet_path {
    int nl;             /* NETLINK_ROUTE socket opened in the namespace of the packet socket */
    uint32_t seq;
    struct hop *hops;
    struct link_info links[HOP_MAX_LINKS];
    int nlinks;
    uint64_t sent_packet, sent_ip; /* probes each way, for sp_packet_stats */
};

static struct packet_path *paths[MAX_TS_FD];

static void free_path(int fd) {
    if (fd < 0 || fd >= MAX_TS_FD || !paths[fd]) return;
    close(paths[fd]->nl);
    free(paths[fd]->hops);
    free(paths[fd]);
    paths[fd] = NULL;
}

SP_API int sp_open_packet_send(void) {
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: receives nothing */
    if (fd < 0) return -errno;
    if (fd >= MAX_TS_FD) { close(fd); return -EMFILE; }
    forget_tx_state(fd);
    free_path(fd);
    int one = 1;
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one); /* best effort: older kernels lack it */
    int buf = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    struct packet_path *p = calloc(1, sizeof *p);
    struct hop *hops = calloc(HOP_SLOTS, sizeof *hops);
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (!p || !hops || nl < 0) {
        int err = nl < 0 ? errno : ENOMEM;
        if (nl >= 0) close(nl);
        free(p);
        free(hops);
        close(fd);
        return -err;
    }
    struct timeval tv = {0, 200000}; /* a kernel that does not answer must not hang the send thread */
    setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    p->nl = nl;
    p->hops = hops;
    paths[fd] = p;
    return fd;
}

/* Closes a packet send socket and its netlink socket and next-hop cache. */
SP_API int sp_close_packet(int fd) {
    free_path(fd);
    return sp_close(fd);
}

static void nl_attr(struct nlmsghdr *h, int type, const void *data, int len) {
    struct rtattr *a = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(h->nlmsg_len));
    a->rta_type = (unsigned short)type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, (size_t)len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* One request, one answer (the first message that carries our sequence number). Returns its length or -errno. */
static int nl_ask(struct packet_path *p, struct nlmsghdr *req, uint8_t *ans, int cap) {
    req->nlmsg_seq = ++p->seq;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(p->nl, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return -errno;
    for (int tries = 0; tries < 16; tries++) {
        ssize_t n = recv(p->nl, ans, (size_t)cap, 0);
        if (n < 0) return errno == EAGAIN ? -ETIMEDOUT : -errno;
        struct nlmsghdr *h = (struct nlmsghdr *)ans;
        if (!NLMSG_OK(h, (unsigned)n) || h->nlmsg_seq != p->seq) continue; /* a late answer to an old question */
        if (h->nlmsg_type == NLMSG_ERROR) {
            struct nlmsgerr *e = NLMSG_DATA(h);
            return e->error ? e->error : -ENOENT;
        }
        return (int)n;
    }
    return -EIO;
}

static int ask_route(struct packet_path *p, int family, const uint8_t *dst, int *oif, uint8_t *gw, int *has_gw) {
    struct { struct nlmsghdr h; struct rtmsg r; uint8_t attrs[64]; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.r);
    req.h.nlmsg_type = RTM_GETROUTE;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.r.rtm_family = family == 4 ? AF_INET : AF_INET6;
    req.r.rtm_dst_len = family == 4 ? 32 : 128;
    nl_attr(&req.h, RTA_DST, dst, family == 4 ? 4 : 16);
    uint8_t ans[4096];
    int n = nl_ask(p, &req.h, ans, sizeof ans);
    if (n < 0) return n;
    struct nlmsghdr *h = (struct nlmsghdr *)ans;
    if (h->nlmsg_type != RTM_NEWROUTE) return -EIO;
    struct rtmsg *r = NLMSG_DATA(h);
    if (r->rtm_type != RTN_UNICAST) return -EHOSTUNREACH; /* local (loopback), blackhole, unreachable...: the IP path */
    *oif = 0;
    *has_gw = 0;
    int len = (int)RTM_PAYLOAD(h);
    for (struct rtattr *a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == RTA_OIF) memcpy(oif, RTA_DATA(a), 4);
        else if (a->rta_type == RTA_GATEWAY && RTA_PAYLOAD(a) == (unsigned)(family == 4 ? 4 : 16)) {
            memcpy(gw, RTA_DATA(a), RTA_PAYLOAD(a));
            *has_gw = 1;
        } else if (a->rta_type == RTA_VIA || a->rta_type == RTA_MULTIPATH) {
            return -EOPNOTSUPP; /* other-family or multipath next hops: leave them to the kernel */
        }
    }
    return *oif > 0 ? 0 : -ENODEV;
}

static const struct link_info *ask_link(struct packet_path *p, int ifindex) {
    for (int i = 0; i < p->nlinks; i++)
        if (p->links[i].ifindex == ifindex) return &p->links[i];
    struct { struct nlmsghdr h; struct ifinfomsg i; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.i);
    req.h.nlmsg_type = RTM_GETLINK;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.i.ifi_family = AF_UNSPEC;
    req.i.ifi_index = ifindex;
    static __thread uint8_t ans[16384];
    int n = nl_ask(p, &req.h, ans, sizeof ans);
    if (n < 0) return NULL;
    struct nlmsghdr *h = (struct nlmsghdr *)ans;
    if (h->nlmsg_type != RTM_NEWLINK) return NULL;
    struct ifinfomsg *ifi = NLMSG_DATA(h);
    struct link_info li = {.ifindex = ifindex, .type = ifi->ifi_type};
    int len = (int)IFLA_PAYLOAD(h);
    for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6) memcpy(li.mac, RTA_DATA(a), 6);
    if (p->nlinks == HOP_MAX_LINKS) p->nlinks = 0; /* forget them all; they are asked again */
    p->links[p->nlinks] = li;
    return &p->links[p->nlinks++];
}

/* 1 with the MAC when the kernel holds a usable entry for the next hop, 0 when not (yet), -errno on failure. */
static int ask_neigh(struct packet_path *p, int family, int ifindex, const uint8_t *addr, uint8_t *mac) {
    struct { struct nlmsghdr h; struct ndmsg n; uint8_t attrs[32]; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.n);
    req.h.nlmsg_type = RTM_GETNEIGH;
    req.h.nlmsg_flags = NLM_F_REQUEST;
    req.n.ndm_family = family == 4 ? AF_INET : AF_INET6;
    req.n.ndm_ifindex = ifindex;
    nl_attr(&req.h, NDA_DST, addr, family == 4 ? 4 : 16);
    uint8_t ans[1024];
    int n = nl_ask(p, &req.h, ans, sizeof ans);
    if (n == -ENOENT) return 0;
    if (n < 0) return n;
    struct nlmsghdr *h = (struct nlmsghdr *)ans;
    if (h->nlmsg_type != RTM_NEWNEIGH) return -EIO;
    struct ndmsg *nd = NLMSG_DATA(h);
    if (!(nd->ndm_state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP))) return 0;
    int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *nd));
    for (struct rtattr *a = (struct rtattr *)((uint8_t *)nd + NLMSG_ALIGN(sizeof *nd)); RTA_OK(a, len);
         a = RTA_NEXT(a, len)) {
        if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
            memcpy(mac, RTA_DATA(a), 6);
            return 1;
        }
    }
    return 0;
}

/* Fills the entry for dst: HOP_PACKET with both MACs, HOP_IP for good, or HOP_PENDING until asked again. */
static void resolve_hop(struct packet_path *p, struct hop *e, int family, const uint8_t *dst, int64_t now) {
    memset(e, 0, sizeof *e);
    e->family = (uint8_t)family;
    memcpy(e->dst, dst, family == 4 ? 4 : 16);
    e->kind = HOP_IP;
    e->until_ns = now + HOP_REFRESH_NS;
    int oif, has_gw;
    uint8_t gw[16];
    if (ask_route(p, family, dst, &oif, gw, &has_gw) < 0) return;
    const struct link_info *li = ask_link(p, oif);
    if (!li) return;
    e->ifindex = oif;
    if (li->type != ARPHRD_ETHER) return; /* loopback, TUN, WireGuard, anything without L2: the raw IP path */
    memcpy(e->src_mac, li->mac, 6);
    int r = ask_neigh(p, family, oif, has_gw ? gw : dst, e->dst_mac);
    if (r > 0) {
        e->kind = HOP_PACKET;
    } else {
        e->kind = HOP_PENDING; /* this probe goes out on the IP socket, which makes the kernel resolve it */
        e->until_ns = now + HOP_RETRY_NS;
    }
}

static uint32_t hop_slot(int family, const uint8_t *dst) {
    uint32_t h = 2166136261u;
    for (int i = 0; i < (family == 4 ? 4 : 16); i++) h = (h ^ dst[i]) * 16777619u;
    return (h ^ h >> 16) & (HOP_SLOTS - 1);
}

static struct hop *next_hop(struct packet_path *p, int family, const uint8_t *dst, int64_t now) {
    struct hop *e = &p->hops[hop_slot(family, dst)];
    if (e->kind == HOP_EMPTY || e->family != family || memcmp(e->dst, dst, family == 4 ? 4 : 16) != 0 ||
        now > e->until_ns)
        resolve_hop(p, e, family, dst, now);
    return e;
}

static __thread uint8_t tx_frames[SP_MAX_BATCH][ETH_HDR + MAX_PKT];
static __thread struct sockaddr_ll tx_ll[SP_MAX_BATCH];
static __thread int tx_fd[SP_MAX_BATCH];
static __thread struct hop *tx_hop[SP_MAX_BATCH];

/* Like sp_send_batch, but each probe whose next hop is on an Ethernet device (and resolved) leaves as a frame
 * on the packet socket pfd; the others on the raw IP sockets. pfd < 0 sends everything the IP way. */
SP_API int sp_send_batch_packet(int fd4, int fd6, int pfd, uint8_t *probes, int n) {
    if (!probes || n < 0 || n > SP_MAX_BATCH) return -EINVAL;
    struct packet_path *p = pfd >= 0 && pfd < MAX_TS_FD ? paths[pfd] : NULL;
    int64_t now = p ? sp_now_ns() : 0;
    for (int i = 0; i < n; i++) {
        uint8_t *pr = probes + (size_t)i * SP_PROBE_SIZE;
        int family = pr[SP_PROBE_FAMILY];
        struct hop *e = p && (family == 4 || family == 6) ? next_hop(p, family, pr + SP_PROBE_DST, now) : NULL;
        tx_hop[i] = e && e->kind == HOP_PACKET ? e : NULL;
        if (tx_hop[i]) {
            uint8_t *f = tx_frames[i];
            int len = sp_craft(pr, f + ETH_HDR, MAX_PKT);
            memcpy(f, e->dst_mac, 6);
            memcpy(f + 6, e->src_mac, 6);
            be16(f + 12, family == 4 ? ETH_P_IP : ETH_P_IPV6);
            tx_iov[i].iov_base = f;
            tx_iov[i].iov_len = len > 0 ? (size_t)(ETH_HDR + len) : 0;
            tx_ll[i] = (struct sockaddr_ll){.sll_family = AF_PACKET, .sll_ifindex = e->ifindex, .sll_halen = 6,
                                            .sll_protocol = htons(family == 4 ? ETH_P_IP : ETH_P_IPV6)};
            memcpy(tx_ll[i].sll_addr, e->dst_mac, 6);
            tx_msgs[i].msg_hdr = (struct msghdr){
                .msg_name = &tx_ll[i], .msg_namelen = sizeof tx_ll[i], .msg_iov = &tx_iov[i], .msg_iovlen = 1};
            tx_fd[i] = pfd;
            p->sent_packet++;
        } else {
            prepare_ip_message(i, pr);
            tx_fd[i] = family == 4 ? fd4 : family == 6 ? fd6 : -1;
            if (p) p->sent_ip++;
        }
    }
    /* one sendmmsg per run of one socket and one family, as sp_send_batch does: each run's probes are stamped
     * just before their own call, so a mixed-family batch gets no looser an upper bound than on the IP path */
    int start = 0;
    while (start < n) {
        int end = start;
        uint8_t family = probes[(size_t)start * SP_PROBE_SIZE + SP_PROBE_FAMILY];
        while (end < n && tx_fd[end] == tx_fd[start] && probes[(size_t)end * SP_PROBE_SIZE + SP_PROBE_FAMILY] == family)
            end++;
        send_run(tx_fd[start], probes, start, end);
        start = end;
    }
    /* a frame the device refused: its next hop is asked again before the next probe to it */
    for (int i = 0; i < n; i++) {
        int64_t ts;
        memcpy(&ts, probes + (size_t)i * SP_PROBE_SIZE + SP_PROBE_TS, 8);
        if (tx_hop[i] && ts < 0) tx_hop[i]->kind = HOP_EMPTY;
    }
    return n;
}

/* Probes sent so far as frames (out[0]) and on the IP sockets (out[1]) through sp_send_batch_packet. */
SP_API int sp_packet_stats(int pfd, int64_t *out) {
    if (!out || pfd < 0 || pfd >= MAX_TS_FD || !paths[pfd]) return -EBADF;
    out[0] = (int64_t)paths[pfd]->sent_packet;
    out[1] = (int64_t)paths[pfd]->sent_ip;
    return 0;
}

/* How many nftables base chains (ip, ip6, inet) hook OUTPUT or POSTROUTING in the calling thread's namespace,
 * plus the legacy iptables tables loaded there: a packet socket passes none of them, so a local policy there
 * would be bypassed. */
SP_API int sp_local_output_hooks(void) {
    int count = 0;
    const char *legacy[] = {"/proc/thread-self/net/ip_tables_names", "/proc/thread-self/net/ip6_tables_names"};
    for (int i = 0; i < 2; i++) {
        int fd = open(legacy[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        char b[256];
        ssize_t r = read(fd, b, sizeof b);
        if (r > 0) count++;
        close(fd);
    }
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (nl < 0) return count;
    struct timeval tv = {0, 500000};
    setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct { struct nlmsghdr h; struct nfgenmsg g; } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.g);
    req.h.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETCHAIN;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = 1;
    req.g.nfgen_family = AF_UNSPEC;
    req.g.version = NFNETLINK_V0;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(nl, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
        close(nl);
        return count;
    }
    static __thread uint8_t buf[32768];
    for (int done = 0; !done;) {
        ssize_t n = recv(nl, buf, sizeof buf, 0);
        if (n <= 0) break;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) { done = 1; break; }
            struct nfgenmsg *g = NLMSG_DATA(h);
            if (g->nfgen_family != NFPROTO_INET && g->nfgen_family != NFPROTO_IPV4 && g->nfgen_family != NFPROTO_IPV6)
                continue;
            int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *g));
            for (struct rtattr *a = (struct rtattr *)((uint8_t *)g + NLMSG_ALIGN(sizeof *g)); RTA_OK(a, len);
                 a = RTA_NEXT(a, len)) {
                if ((a->rta_type & NLA_TYPE_MASK) != NFTA_CHAIN_HOOK) continue;
                int hlen = (int)RTA_PAYLOAD(a);
                for (struct rtattr *k = RTA_DATA(a); RTA_OK(k, hlen); k = RTA_NEXT(k, hlen)) {
                    if ((k->rta_type & NLA_TYPE_MASK) != NFTA_HOOK_HOOKNUM || RTA_PAYLOAD(k) < 4) continue;
                    uint32_t num = ntohl(rd32(RTA_DATA(k)));
                    if (num == NF_INET_LOCAL_OUT || num == NF_INET_POST_ROUTING) count++;
                }
            }
        }
    }
    close(nl);
    return count;
}
