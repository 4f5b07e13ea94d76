package org.cspstack.harness.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Guard;

/**
 * What one reassembly-shaped process costs to create, run and end: {@code n} processes, each started through
 * {@link ProcessRunner#spawn} with its own fragment channel, each selecting once between that channel and a
 * 30 s {@link CSTimer} (as a reassembly does), reading one message and ending. Reports wall and CPU time per
 * process on platform and on virtual threads. Run: {@code java -cp ... org.cspstack.harness.bench.SpawnCost [n]}.
 */
public final class SpawnCost {
    private SpawnCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        System.out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + n + " reassembly-shaped processes per run");
        for (int round = 0; round < 2; round++) {
            for (Threading t : Threading.virtualAvailable() ? new Threading[] {Threading.PLATFORM, Threading.VIRTUAL}
                    : new Threading[] {Threading.PLATFORM}) {
                Result r = measure(t, n);
                System.out.printf("%s%-8s wall %7.1f ms (%6.2f us/process), cpu %7.1f ms%n", round == 0 ? "warm-up " : "",
                        t, r.wallNanos / 1e6, r.wallNanos / 1e3 / n, r.cpuNanos / 1e6);
            }
        }
    }

    record Result(long wallNanos, long cpuNanos) {
    }

    static Result measure(Threading dynamic, int n) throws InterruptedException {
        ProcessNetwork net = new ProcessNetwork("spawn");
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM, dynamic);
        runner.start();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Chan<PacketBuffer> c = net.dynamicUpward("f" + i, "bench", "p" + i, 4);
            AltingChannelInput<PacketBuffer> in = c.in();
            runner.spawn("p" + i, "bench", () -> {
                CSTimer timer = new CSTimer();
                timer.setAlarm(timer.read() + 30_000);
                Alternative alt = new Alternative(new Guard[] {in, timer});
                if (alt.priSelect() == 0) {
                    in.read();
                }
            });
            c.out().write(PacketBuffer.allocate(0, 8));
        }
        if (!runner.stop(Duration.ofMinutes(2))) {
            throw new IllegalStateException("processes did not end");
        }
        return new Result(System.nanoTime() - t0, os.getProcessCpuTime() - cpu0);
    }
}
