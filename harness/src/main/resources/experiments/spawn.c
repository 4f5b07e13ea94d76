/*
 * cspstack spawn experiment, native side (POSIX threads).
 *
 * Usage: spawn N ROUNDS [BUDGET_MS]
 *
 * One round creates N threads with pthread_create (default attributes), each of which adds 1 to a shared
 * atomic counter and returns; then the main thread joins all N. The round is timed with CLOCK_MONOTONIC
 * (wall) and CLOCK_PROCESS_CPUTIME_ID (CPU of every thread of this process, including the ones that have
 * ended). An unreported warm-up round of min(N, 100) threads comes first. Each measured round prints
 *
 *     round <wall_ns> <cpu_ns> <counter>
 *
 * on stdout; the JVM side (SpawnExperiment) parses these lines and checks that counter == N. With BUDGET_MS,
 * no further round starts once the rounds so far plus one more as long as the last would exceed BUDGET_MS of
 * wall time (at least one round runs), so that large N stay within the experiment's time budget.
 * Exit status 2 with a message on stderr when a thread cannot be created.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_long counter;

static void *worker(void *arg) {
    (void) arg;
    atomic_fetch_add(&counter, 1);
    return NULL;
}

static long long nanos(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        perror("clock_gettime");
        exit(2);
    }
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Creates and joins n threads; exits with status 2 when a thread cannot be created or joined. */
static void one_round(pthread_t *threads, long n) {
    for (long i = 0; i < n; i++) {
        int rc = pthread_create(&threads[i], NULL, worker, NULL);
        if (rc != 0) {
            fprintf(stderr, "pthread_create failed at thread %ld of %ld: %s\n", i, n, strerror(rc));
            exit(2);
        }
    }
    for (long i = 0; i < n; i++) {
        int rc = pthread_join(threads[i], NULL);
        if (rc != 0) {
            fprintf(stderr, "pthread_join failed at thread %ld: %s\n", i, strerror(rc));
            exit(2);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s N ROUNDS [BUDGET_MS]\n", argv[0]);
        return 1;
    }
    long n = strtol(argv[1], NULL, 10);
    long rounds = strtol(argv[2], NULL, 10);
    long long budget = argc == 4 ? strtoll(argv[3], NULL, 10) * 1000000LL : 0; /* 0: no budget */
    if (n <= 0 || rounds <= 0) {
        fprintf(stderr, "N and ROUNDS must be positive\n");
        return 1;
    }
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t) n);
    if (threads == NULL) {
        fprintf(stderr, "cannot allocate %ld thread handles\n", n);
        return 2;
    }

    one_round(threads, n < 100 ? n : 100); /* warm-up, not reported */

    long long spent = 0;
    for (long r = 0; r < rounds; r++) {
        atomic_store(&counter, 0);
        long long wall0 = nanos(CLOCK_MONOTONIC);
        long long cpu0 = nanos(CLOCK_PROCESS_CPUTIME_ID);
        one_round(threads, n);
        long long cpu1 = nanos(CLOCK_PROCESS_CPUTIME_ID);
        long long wall1 = nanos(CLOCK_MONOTONIC);
        printf("round %lld %lld %ld\n", wall1 - wall0, cpu1 - cpu0, atomic_load(&counter));
        fflush(stdout);
        spent += wall1 - wall0;
        if (budget > 0 && spent + (wall1 - wall0) > budget) {
            break;
        }
    }
    free(threads);
    return 0;
}
