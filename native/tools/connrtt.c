/* connrtt: ground-truth TCP handshake timer for lab tests (independent of synprobe).
 *
 *   connrtt [--timeout-ms N] [--interval-us N] [--syn-retries N] [--busy] [--rt] HOST PORT COUNT
 *
 * Does COUNT sequential non-blocking connect()s to HOST:PORT (numeric IPv4/IPv6 or a name). For each attempt
 * prints one line on stdout:
 *   <microseconds>      connect completed (CLOCK_MONOTONIC from just before connect() to writability)
 *   refused <us>        RST received
 *   timeout             no answer within --timeout-ms (default 1000)
 *   error <text>        anything else
 * then closes the socket. With --timeout-ms below the initial SYN RTO (1 s) an attempt is a single SYN.
 * --busy polls without sleeping, so the result does not include this process's wake-up latency (on a VM
 * with haltpoll an idle vCPU needs tens of microseconds to wake); it costs one CPU while waiting.
 * --rt runs under SCHED_FIFO priority 10 (root), so a loaded machine does not delay the wake-up that ends
 * each measurement.
 * A summary goes to stderr. Exit status 0 if every attempt connected, 1 otherwise, 2 on usage errors.
 * Bounded: COUNT <= 1000000 and each attempt ends within its timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long parse_long(const char *what, const char *v, long lo, long hi) {
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || *end || x < lo || x > hi) {
        fprintf(stderr, "connrtt: bad %s '%s' (want %ld..%ld)\n", what, v, lo, hi);
        exit(2);
    }
    return x;
}

int main(int argc, char **argv) {
    long timeout_ms = 1000, interval_us = 0, syn_retries = -1;
    int busy = 0, rt = 0;
    const char *pos[3];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) timeout_ms = parse_long("timeout", argv[++i], 1, 600000);
        else if (strcmp(argv[i], "--interval-us") == 0 && i + 1 < argc) interval_us = parse_long("interval", argv[++i], 0, 60000000);
        else if (strcmp(argv[i], "--syn-retries") == 0 && i + 1 < argc) syn_retries = parse_long("syn-retries", argv[++i], 1, 127);
        else if (strcmp(argv[i], "--busy") == 0) busy = 1;
        else if (strcmp(argv[i], "--rt") == 0) rt = 1;
        else if (npos < 3) pos[npos++] = argv[i];
        else npos = 4;
    }
    if (npos != 3) {
        fprintf(stderr, "usage: connrtt [--timeout-ms N] [--interval-us N] [--syn-retries N] [--busy] [--rt] HOST PORT COUNT\n");
        return 2;
    }
    long count = parse_long("count", pos[2], 1, 1000000);
    if (rt) {
        struct sched_param sp = {.sched_priority = 10};
        if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) fprintf(stderr, "connrtt: SCHED_FIFO: %s (continuing)\n", strerror(errno));
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *ai;
    int rc = getaddrinfo(pos[0], pos[1], &hints, &ai);
    if (rc) {
        fprintf(stderr, "connrtt: %s:%s: %s\n", pos[0], pos[1], gai_strerror(rc));
        return 2;
    }
    long ok = 0, refused = 0, timeouts = 0, errors = 0;
    double sum_us = 0;
    for (long n = 0; n < count; n++) {
        if (n && interval_us) {
            struct timespec ts = {.tv_sec = interval_us / 1000000, .tv_nsec = (interval_us % 1000000) * 1000};
            nanosleep(&ts, NULL);
        }
        int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            printf("error socket: %s\n", strerror(errno));
            errors++;
            continue;
        }
        if (syn_retries > 0) setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syn_retries, sizeof(int));
        uint64_t t0 = now_ns();
        int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
        int err = r == 0 ? 0 : errno;
        uint64_t t1 = t0;
        if (err == EINPROGRESS) {
            uint64_t deadline = t0 + (uint64_t)timeout_ms * 1000000ull;
            err = ETIMEDOUT;
            for (;;) {
                uint64_t t = now_ns();
                if (t >= deadline) break;
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                struct timespec to = {.tv_sec = (time_t)((deadline - t) / 1000000000ull),
                                      .tv_nsec = (long)((deadline - t) % 1000000000ull)};
                if (busy) to.tv_sec = 0, to.tv_nsec = 0;
                int pr = ppoll(&p, 1, &to, NULL);
                t1 = now_ns();
                if (pr < 0 && errno == EINTR) continue;
                if (pr < 0) { err = errno; break; }
                if (pr == 0) continue;
                int soerr = 0;
                socklen_t sl = sizeof soerr;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
                err = soerr;
                break;
            }
        } else {
            t1 = now_ns();
        }
        double us = (double)(t1 - t0) / 1000.0;
        if (err == 0) {
            printf("%.1f\n", us);
            ok++;
            sum_us += us;
        } else if (err == ECONNREFUSED) {
            printf("refused %.1f\n", us);
            refused++;
        } else if (err == ETIMEDOUT) {
            printf("timeout\n");
            timeouts++;
        } else {
            printf("error %s\n", strerror(err));
            errors++;
        }
        close(fd);
    }
    fflush(stdout);
    fprintf(stderr, "connrtt: attempts=%ld ok=%ld refused=%ld timeout=%ld error=%ld mean_us=%.1f\n", count, ok, refused,
            timeouts, errors, ok ? sum_us / (double)ok : 0.0);
    freeaddrinfo(ai);
    return ok == count ? 0 : 1;
}
