/*
 * tcp_bulk.c -- cspstack TCP bulk throughput: the Linux kernel's side, sender and receiver.
 *
 *   tcp_bulk send DST_ADDR PORT MAX_BYTES MAX_SECONDS [CONGESTION_CONTROL]
 *   tcp_bulk recv BIND_ADDR PORT MAX_SECONDS
 *
 * send: connects, writes 64 KiB blocks of zeros until MAX_BYTES are written or MAX_SECONDS have passed since the
 *   connection was established, shuts its side down (FIN) and reads until the peer closes, so that the time
 *   covers the receiver having everything. Prints: SENT <bytes> NS <connected to peer's FIN, ns>.
 *   CONGESTION_CONTROL (such as cubic, reno, bbr; "default" or none: the namespace's default) is set on the
 *   socket before it connects (TCP_CONGESTION; as root any algorithm the kernel has, not only the allowed list).
 * recv: listens, prints READY, accepts one connection, reads until FIN, closes. Prints:
 *   RECEIVED <bytes> NS <first byte to FIN, ns>.
 * Both give up (exit 3) after MAX_SECONDS + 30 s. Only addresses in 198.18.0.0/15 (the lab's benchmarking
 * range) are accepted. Exit code 2 on bad arguments or a failed call, with the reason on stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 65536

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static void die(const char *msg) {
    fprintf(stderr, "tcp_bulk: %s (%s)\n", msg, strerror(errno));
    exit(2);
}

static struct sockaddr_in lab_address(const char *ip, const char *port_text) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) die("bad address");
    if ((ntohl(a.sin_addr.s_addr) & 0xFFFE0000u) != 0xC6120000u) die("address outside 198.18.0.0/15");
    long port = strtol(port_text, NULL, 10);
    if (port < 1 || port > 65535) die("port outside 1..65535");
    a.sin_port = htons((uint16_t) port);
    return a;
}

static double seconds_arg(const char *text) {
    double s = strtod(text, NULL);
    if (!(s > 0 && s <= 3600)) die("max seconds outside (0, 3600]");
    alarm((unsigned) s + 30); /* the default SIGALRM action ends the process */
    return s;
}

static int do_send(char **argv, const char *congestion) {
    struct sockaddr_in dst = lab_address(argv[2], argv[3]);
    uint64_t max_bytes = strtoull(argv[4], NULL, 10);
    double max_seconds = seconds_arg(argv[5]);
    static char block[BLOCK];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket failed");
    if (congestion != NULL && strcmp(congestion, "default") != 0
            && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, congestion, strlen(congestion)) != 0) {
        die("setsockopt(TCP_CONGESTION) refused the algorithm");
    }
    if (connect(fd, (struct sockaddr *) &dst, sizeof dst) != 0) die("connect failed");
    uint64_t t0 = now_ns();
    uint64_t stop = t0 + (uint64_t) (max_seconds * 1e9);
    uint64_t sent = 0;
    while (sent < max_bytes && now_ns() < stop) {
        size_t n = max_bytes - sent < BLOCK ? (size_t) (max_bytes - sent) : BLOCK;
        ssize_t w = write(fd, block, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write failed");
        }
        sent += (uint64_t) w;
    }
    if (shutdown(fd, SHUT_WR) != 0) die("shutdown failed");
    char buf[512];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r == 0) break;
        if (r < 0 && errno != EINTR) die("read failed");
    }
    uint64_t t1 = now_ns();
    close(fd);
    printf("SENT %" PRIu64 " NS %" PRIu64 "\n", sent, t1 - t0);
    return 0;
}

static int do_recv(char **argv) {
    struct sockaddr_in addr = lab_address(argv[2], argv[3]);
    seconds_arg(argv[4]);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) die("socket failed");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) != 0) die("bind failed");
    if (listen(lfd, 1) != 0) die("listen failed");
    printf("READY\n");
    fflush(stdout);
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) die("accept failed");
    static char block[BLOCK];
    uint64_t received = 0, t0 = 0;
    for (;;) {
        ssize_t r = read(fd, block, sizeof block);
        if (r == 0) break;
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read failed");
        }
        if (received == 0) t0 = now_ns();
        received += (uint64_t) r;
    }
    uint64_t t1 = now_ns();
    close(fd);
    close(lfd);
    printf("RECEIVED %" PRIu64 " NS %" PRIu64 "\n", received, received == 0 ? 0 : t1 - t0);
    return 0;
}

int main(int argc, char **argv) {
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "send") == 0) return do_send(argv, argc == 7 ? argv[6] : NULL);
    if (argc == 5 && strcmp(argv[1], "recv") == 0) return do_recv(argv);
    errno = EINVAL;
    die("usage: tcp_bulk send DST_ADDR PORT MAX_BYTES MAX_SECONDS [CONGESTION_CONTROL] | "
        "tcp_bulk recv BIND_ADDR PORT MAX_SECONDS");
    return 2;
}
