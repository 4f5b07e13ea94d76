// cspstack spawn experiment, Go side (goroutines). Built and run by SpawnExperiment only when a Go
// toolchain is on PATH.
//
// Usage: spawn N ROUNDS [BUDGET_MS]
//
// One round starts N goroutines, each of which adds 1 to a shared counter (sync/atomic) and marks a
// WaitGroup done; the main goroutine then waits for all N. The round is timed with the monotonic clock
// (wall) and getrusage(RUSAGE_SELF) user + system time (CPU of the whole process, microsecond units). An
// unreported warm-up round of min(N, 100) goroutines comes first. Each measured round prints
//
//	round <wall_ns> <cpu_ns> <counter>
//
// like spawn.c, so that the JVM side parses both alike; BUDGET_MS stops further rounds as spawn.c does.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var counter int64

func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fmt.Fprintln(os.Stderr, "getrusage:", err)
		os.Exit(2)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func oneRound(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			atomic.AddInt64(&counter, 1)
			wg.Done()
		}()
	}
	wg.Wait()
}

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: spawn N ROUNDS [BUDGET_MS]")
		os.Exit(1)
	}
	n, err1 := strconv.Atoi(os.Args[1])
	rounds, err2 := strconv.Atoi(os.Args[2])
	if err1 != nil || err2 != nil || n <= 0 || rounds <= 0 {
		fmt.Fprintln(os.Stderr, "N and ROUNDS must be positive integers")
		os.Exit(1)
	}
	var budget int64 // 0: no budget
	if len(os.Args) == 4 {
		ms, err := strconv.ParseInt(os.Args[3], 10, 64)
		if err != nil || ms < 0 {
			fmt.Fprintln(os.Stderr, "BUDGET_MS must be a non-negative integer")
			os.Exit(1)
		}
		budget = ms * int64(time.Millisecond)
	}
	warm := n
	if warm > 100 {
		warm = 100
	}
	oneRound(warm)
	var spent int64
	for r := 0; r < rounds; r++ {
		atomic.StoreInt64(&counter, 0)
		t0 := time.Now()
		c0 := cpuNanos()
		oneRound(n)
		c1 := cpuNanos()
		wall := time.Since(t0).Nanoseconds()
		fmt.Printf("round %d %d %d\n", wall, c1-c0, atomic.LoadInt64(&counter))
		spent += wall
		if budget > 0 && spent+wall > budget {
			break
		}
	}
}
