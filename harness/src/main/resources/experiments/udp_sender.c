/*
 * udp_sender.c -- cspstack UDP experiment: the sender, on the Linux kernel's UDP sockets.
 *
 *   udp_sender DST_ADDR PORT TRIAL RATE COUNT MAX_SECONDS SIZE [END_MARKERS]
 *
 * Sends COUNT datagrams of SIZE bytes to DST_ADDR:PORT, numbered 0..COUNT-1, at RATE datagrams/s (paced to
 * absolute CLOCK_MONOTONIC deadlines with clock_nanosleep; a sender that falls behind sends at once until it has
 * caught up, so the offered load stays open-loop, in short bursts where wake-ups come late), or as fast as sendto goes when RATE <= 0. It stops early when MAX_SECONDS have
 * passed since the first send. Each datagram carries, little-endian:
 *   0  u32 magic "CSPU"   4  u32 TRIAL   8  u64 sequence number   16  u64 CLOCK_MONOTONIC ns just before sendto
 * and zeros up to SIZE. After the last one it sends END_MARKERS end markers (sequence number 2^64-1; default 3),
 * 2 ms apart; a receiver that only counts (the stack's discard service) is given 0.
 * Prints one line: SENT <attempted> ERRORS <failed sends> FIRST_NS <t> LAST_NS <t>.
 * Only addresses in 198.18.0.0/15 (the lab's benchmarking range) are accepted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x55505343u /* bytes 'C' 'S' 'P' 'U' */
#define END_SEQ UINT64_MAX
#define MAX_SIZE 1472
#define HEADER 24

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static void put32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static void die(const char *msg) {
    fprintf(stderr, "udp_sender: %s\n", msg);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 8 && argc != 9) die("usage: udp_sender DST_ADDR PORT TRIAL RATE COUNT MAX_SECONDS SIZE [END_MARKERS]");
    struct sockaddr_in dst;
    memset(&dst, 0, sizeof dst);
    dst.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) die("bad destination address");
    if ((ntohl(dst.sin_addr.s_addr) & 0xFFFE0000u) != 0xC6120000u) die("destination outside 198.18.0.0/15");
    long port = strtol(argv[2], NULL, 10);
    if (port < 1 || port > 65535) die("port outside 1..65535");
    dst.sin_port = htons((uint16_t) port);
    uint32_t trial = (uint32_t) strtoul(argv[3], NULL, 10);
    double rate = strtod(argv[4], NULL);
    uint64_t count = strtoull(argv[5], NULL, 10);
    if (count > 100000000ull) die("count above 100,000,000");
    double max_seconds = strtod(argv[6], NULL);
    if (!(max_seconds > 0 && max_seconds <= 3600)) die("max seconds outside (0, 3600]");
    long size = strtol(argv[7], NULL, 10);
    if (size < HEADER || size > MAX_SIZE) die("size outside 24..1472");
    long markers = argc == 9 ? strtol(argv[8], NULL, 10) : 3;
    if (markers < 0 || markers > 3) die("end markers outside 0..3");

    /* Sleep to the deadline, not 50 us past it (the default timer slack). */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket failed");
    unsigned char buf[MAX_SIZE];
    memset(buf, 0, sizeof buf);
    put32(buf, MAGIC);
    put32(buf + 4, trial);

    uint64_t errors = 0, i = 0, first = 0, last = 0;
    uint64_t t0 = now_ns() + 1000000; /* start 1 ms from now, so the first deadline is not already past */
    uint64_t stop = t0 + (uint64_t) (max_seconds * 1e9);
    for (i = 0; i < count; i++) {
        if (rate > 0) {
            uint64_t due = t0 + (uint64_t) ((double) i * 1e9 / rate);
            /* Behind schedule: send at once. (Sleeping to a past deadline still costs a timer interrupt and a
             * context switch, tens of microseconds on a VM, and the sender would never catch up.) */
            if (now_ns() < due) {
                struct timespec ts = {(time_t) (due / 1000000000ull), (long) (due % 1000000000ull)};
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
                }
            }
        }
        uint64_t t = now_ns();
        if (t > stop) break;
        if (i == 0) first = t;
        last = t;
        put64(buf + 8, i);
        put64(buf + 16, t);
        if (sendto(fd, buf, (size_t) size, 0, (struct sockaddr *) &dst, sizeof dst) != size) errors++;
    }
    put64(buf + 8, END_SEQ);
    for (long k = 0; k < markers; k++) {
        put64(buf + 16, now_ns());
        sendto(fd, buf, (size_t) size, 0, (struct sockaddr *) &dst, sizeof dst);
        usleep(2000);
    }
    close(fd);
    printf("SENT %" PRIu64 " ERRORS %" PRIu64 " FIRST_NS %" PRIu64 " LAST_NS %" PRIu64 "\n", i, errors, first, last);
    return 0;
}
