/* synprobe native shim: raw sockets, SYN crafting and batched I/O, bound from Java with jnr-ffi.
 * Every function returns >= 0 on success or -errno on failure; none keeps global state between calls
 * except thread-local scratch buffers, so the Java side may call send and receive from separate threads. */
#ifndef SYNPROBE_H
#define SYNPROBE_H

#include <stdint.h>

#define SP_API __attribute__((visibility("default")))

/* One probe to send: 64 bytes, fixed offsets, integers in host order, addresses in network order. */
#define SP_PROBE_SIZE 64
#define SP_PROBE_FAMILY 0  /* u8: 4 or 6 */
#define SP_PROBE_TTL 1     /* u8: TTL / hop limit */
#define SP_PROBE_FLAGS 2   /* u8: TCP flags (0x02 = SYN) */
#define SP_PROBE_OPTS 3    /* u8: bit 0 = add an MSS option */
#define SP_PROBE_SPORT 4   /* u16 */
#define SP_PROBE_DPORT 6   /* u16 */
#define SP_PROBE_SEQ 8     /* u32 */
#define SP_PROBE_ACK 12    /* u32 */
#define SP_PROBE_IPID 16   /* u16 (IPv4 ID; IPv6 flow label low bits) */
#define SP_PROBE_WINDOW 18 /* u16 */
#define SP_PROBE_MSS 20    /* u16 */
#define SP_PROBE_SRC 24    /* 16 bytes; IPv4 uses the first 4 */
#define SP_PROBE_DST 40    /* 16 bytes */
#define SP_PROBE_TS 56     /* out, i64: CLOCK_REALTIME ns: kernel transmit time where enabled, else just before the
                            sendmmsg that sent it; -errno if it could not be sent */

/* One received packet slot. pkt_off points at an IP header: for IPv4 the kernel's own, for IPv6 one rebuilt
 * from ancillary data (an IPv6 raw socket delivers only the transport part). */
#define SP_SLOT_SIZE 2048 /* a whole 1500-byte-MTU segment fits, so a banner segment passes the checksum check */
#define SP_SLOT_PKT_OFF 0  /* u16 */
#define SP_SLOT_PKT_LEN 2  /* u16: bytes stored from pkt_off */
#define SP_SLOT_WIRE_LEN 4 /* u16: length on the wire (may exceed stored) */
#define SP_SLOT_FAMILY 6   /* u8 */
#define SP_SLOT_SOCK 7     /* u8: index of the socket it came from */
#define SP_SLOT_TS 8       /* i64: kernel receive time, CLOCK_REALTIME ns */
#define SP_SLOT_DATA 16    /* IPv6 rebuilt header lives at 16..56, IPv4 packets start at 56 */
#define SP_SLOT_V4_DATA 56
#define SP_SLOT_CAP (SP_SLOT_SIZE - SP_SLOT_V4_DATA)

#define SP_MAX_BATCH 1024

/* Receive socket kinds for sp_open_recv. */
#define SP_RECV_TCP 0
#define SP_RECV_ICMP 1

SP_API int sp_open_send(int family);
SP_API int sp_open_recv(int family, int kind, int rcvbuf_bytes);
SP_API int sp_filter_tcp_ports(int fd, int family, int port_lo, int port_hi);
/* Kernel software transmit timestamps on a send socket: sp_send_batch then reports when each packet reached
 * the device instead of when the batch was handed over. Costs an extra system call per batch. */
SP_API int sp_enable_tx_timestamps(int fd);
SP_API int sp_close(int fd);
/* SO_MARK on a socket: packets it sends carry the mark, so a run's own nftables rules can tell them from the
 * kernel's (needs CAP_NET_ADMIN or, from Linux 5.17, CAP_NET_RAW). */
SP_API int sp_set_mark(int fd, int mark);
/* Crafts and sends n probes (sendmmsg per run of one family). Returns n, or -errno when the arguments are
 * bad; a probe that could not be sent has -errno in its SP_PROBE_TS field. */
SP_API int sp_send_batch(int fd4, int fd6, uint8_t *probes, int n);
/* fds holds nfds triples (fd, family, protocol). Waits up to timeout_ms for the first packet, then takes
 * whatever is queued on every socket without waiting, up to max_slots. Returns the number of slots filled. */
SP_API int sp_recv_batch(const int32_t *fds, int nfds, uint8_t *slots, int max_slots, int timeout_ms);
SP_API int sp_route_source(int family, const uint8_t *dst, uint8_t *src_out);
SP_API int sp_netns_enter(const char *path);
SP_API int sp_netns_leave(int saved_fd);
SP_API int sp_strerror(int errnum, char *buf, int len);
SP_API int sp_craft(const uint8_t *probe, uint8_t *out, int out_len);
SP_API int64_t sp_now_ns(void);
SP_API int sp_drop_privileges(int uid, int gid);

/* Packet-socket send path (AF_PACKET, PACKET_QDISC_BYPASS): probes leave as Ethernet frames built here, to the
 * next hop's MAC from the kernel's neighbour table (asked over rtnetlink once per destination, refreshed every
 * 5 s and after a failed send). Open it inside the namespace to send from: it keeps a netlink socket there.
 * Only routes through ARPHRD_ETHER devices use it; local destinations, loopback, TUN and other devices without
 * L2 stay on the raw IP sockets. */
SP_API int sp_open_packet_send(void);
SP_API int sp_close_packet(int fd);
/* sp_send_batch, with each probe whose route is on an Ethernet device with a resolved next hop sent as a frame
 * on pfd (transmit timestamps work the same when enabled on pfd); the others, and all when pfd < 0, on the raw
 * IP sockets fd4/fd6 (a probe to an unresolved neighbour makes the kernel resolve it). */
SP_API int sp_send_batch_packet(int fd4, int fd6, int pfd, uint8_t *probes, int n);
/* out[0] = probes sent as frames, out[1] = probes sent on the IP sockets, through pfd's sp_send_batch_packet. */
SP_API int sp_packet_stats(int pfd, int64_t *out);
/* nftables base chains hooked at OUTPUT or POSTROUTING (ip, ip6, inet) plus legacy iptables tables in the
 * calling thread's namespace: a packet socket bypasses them all. */
SP_API int sp_local_output_hooks(void);

#endif
