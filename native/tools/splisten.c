/* splisten: real TCP listeners for labs. Binds [::] dual-stack on every port given, accepts and closes
 * connections until --max-seconds (default 600) or SIGTERM. Prints "ready" once every port is bound. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 4096

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int listen_on(int port) {
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int zero = 0, one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = in6addr_any};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) {
        fprintf(stderr, "splisten: port %d: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv) {
    static struct pollfd fds[MAX_PORTS];
    int n = 0;
    long max_seconds = 600;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
            max_seconds = strtol(argv[++i], NULL, 10);
            continue;
        }
        char *end;
        long port = strtol(argv[i], &end, 10);
        if (*end || port < 1 || port > 65535 || n == MAX_PORTS) {
            fprintf(stderr, "splisten: bad port '%s'\n", argv[i]);
            return 2;
        }
        int fd = listen_on((int)port);
        if (fd < 0) return 1;
        fds[n].fd = fd;
        fds[n++].events = POLLIN;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("ready\n");
    fflush(stdout);
    time_t deadline = time(NULL) + max_seconds;
    while (!stop && time(NULL) < deadline) {
        if (poll(fds, (nfds_t)n, 500) <= 0) continue;
        for (int i = 0; i < n; i++) {
            if (!(fds[i].revents & POLLIN)) continue;
            int c;
            while ((c = accept(fds[i].fd, NULL, NULL)) >= 0) close(c);
        }
    }
    return 0;
}
