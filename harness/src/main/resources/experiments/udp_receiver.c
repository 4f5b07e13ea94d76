/*
 * udp_receiver.c -- cspstack UDP experiment: the Linux kernel's receiver, the reference beside the stack.
 *
 *   udp_receiver BIND_ADDR PORT TRIAL CAPACITY MAX_SECONDS OUT_FILE
 *
 * Binds BIND_ADDR:PORT (default receive buffer, as an ordinary application gets), prints READY, then receives
 * one datagram per recv() and takes CLOCK_MONOTONIC right after each returns. Datagrams of udp_sender.c with
 * this TRIAL are recorded (at most CAPACITY); others are counted as foreign. It stops at the trial's end marker
 * (sequence number 2^64-1), at SIGTERM/SIGINT, or MAX_SECONDS after READY, whichever comes first, then writes
 * the records to OUT_FILE as little-endian u64 triples (sequence number, send ns, arrival ns) and prints one
 * line: RECEIVED <records> FOREIGN <n> OVERFLOW <n> END <0|1>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x55505343u
#define END_SEQ UINT64_MAX
#define HEADER 24

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
    (void) sig;
    stopping = 1;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static uint64_t get(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static void put64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static void die(const char *msg) {
    fprintf(stderr, "udp_receiver: %s (%s)\n", msg, strerror(errno));
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 7) {
        errno = EINVAL;
        die("usage: udp_receiver BIND_ADDR PORT TRIAL CAPACITY MAX_SECONDS OUT_FILE");
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) die("bad bind address");
    long port = strtol(argv[2], NULL, 10);
    if (port < 1 || port > 65535) die("port outside 1..65535");
    addr.sin_port = htons((uint16_t) port);
    uint32_t trial = (uint32_t) strtoul(argv[3], NULL, 10);
    uint64_t capacity = strtoull(argv[4], NULL, 10);
    if (capacity < 1 || capacity > 100000000ull) die("capacity outside 1..100,000,000");
    double max_seconds = strtod(argv[5], NULL);
    if (!(max_seconds > 0 && max_seconds <= 3600)) die("max seconds outside (0, 3600]");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: recv returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    unsigned char *records = malloc(capacity * 24);
    if (records == NULL) die("out of memory");
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket failed");
    if (bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) die("bind failed");
    struct timeval tv = {0, 100000}; /* wake every 100 ms to check the deadline */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

    printf("READY\n");
    fflush(stdout);
    uint64_t deadline = now_ns() + (uint64_t) (max_seconds * 1e9);
    uint64_t n = 0, foreign = 0, overflow = 0;
    int ended = 0;
    unsigned char buf[2048];
    while (!stopping) {
        ssize_t len = recv(fd, buf, sizeof buf, 0);
        uint64_t t = now_ns();
        if (len < 0) {
            if (t > deadline) break;
            continue;
        }
        if (len < HEADER || get(buf, 4) != MAGIC || get(buf + 4, 4) != trial) {
            foreign++;
        } else {
            uint64_t seq = get(buf + 8, 8);
            if (seq == END_SEQ) {
                ended = 1;
                break;
            }
            if (n < capacity) {
                put64(records + n * 24, seq);
                put64(records + n * 24 + 8, get(buf + 16, 8));
                put64(records + n * 24 + 16, t);
                n++;
            } else {
                overflow++;
            }
        }
        if (t > deadline) break;
    }
    close(fd);
    FILE *out = fopen(argv[6], "wb");
    if (out == NULL) die("cannot open the output file");
    if (n > 0 && fwrite(records, 24, n, out) != n) die("cannot write the output file");
    if (fclose(out) != 0) die("cannot write the output file");
    printf("RECEIVED %" PRIu64 " FOREIGN %" PRIu64 " OVERFLOW %" PRIu64 " END %d\n", n, foreign, overflow, ended);
    return 0;
}
