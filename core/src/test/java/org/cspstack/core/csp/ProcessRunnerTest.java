package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProcessRunnerTest {

    static List<Threading> threadings() {
        return Threading.virtualAvailable() ? List.of(Threading.PLATFORM, Threading.VIRTUAL)
                : List.of(Threading.PLATFORM);
    }

    /** Reads numbers and forwards them doubled; ends on poison, poisoning its ends. */
    static final class Doubler implements org.jcsp.lang.CSProcess {
        private final AltingChannelInput<Integer> in;
        private final ChannelOutput<Integer> out;

        Doubler(AltingChannelInput<Integer> in, ChannelOutput<Integer> out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    out.write(in.read() * 2);
                }
            } catch (org.jcsp.lang.PoisonException e) {
                Poison.all(in, out);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("threadings")
    void runsAPipelineAndEndsEveryProcessOnShutdown(Threading threading) throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> aToB = net.downward("aToB", "test", "b", 0);
        Chan<Integer> bToC = net.upward("bToC", "b", "c", 4);
        Chan<Integer> cToTest = net.upward("cToTest", "c", "test", 4);
        net.process("b", new Doubler(aToB.in(), bToC.out()), null);
        net.process("c", new Doubler(bToC.in(), cToTest.out()), null);
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();

        aToB.out().write(5);
        assertThat(ProcessTestKit.poll(cToTest.in(), Duration.ofSeconds(5)), is(20));

        assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        assertThat(runner.exitCode(), is(0));
        assertThat(runner.alive(), empty());
        assertThat(aToB.stats().written.get(), is(1L));
        assertThat(bToC.stats().written.get(), is(1L));
    }

    @Test
    void upwardChannelDropsAndCountsWhenFullWithoutBlockingTheWriter() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> up = net.upward("up", "w", "r", 3);
        for (int i = 0; i < 10; i++) {
            up.out().write(i); // would block forever on a blocking channel with no reader
        }
        assertThat(up.stats().written.get(), is(10L));
        assertThat(up.stats().queueFullDropped.get(), is(7L));
        assertThat(up.in().read(), is(0));
        assertThat(up.in().read(), is(1));
        assertThat(up.in().read(), is(2));
        assertThat(up.in().pending(), is(false));
    }

    @Test
    void downwardChannelBlocksTheWriterWhenFull() throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> down = net.downward("down", "w", "r", 2);
        down.out().write(1);
        down.out().write(2);
        CountDownLatch thirdWritten = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            down.out().write(3);
            thirdWritten.countDown();
        });
        writer.start();
        assertThat("third write must wait for room", thirdWritten.await(200, TimeUnit.MILLISECONDS), is(false));
        assertThat(down.in().read(), is(1));
        assertThat(thirdWritten.await(5, TimeUnit.SECONDS), is(true));
        writer.join(5000);
    }

    @ParameterizedTest
    @MethodSource("threadings")
    void aFailingProcessIsLoggedPoisonsTheNetworkAndGivesANonZeroExit(Threading threading) throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> toFaulty = net.downward("toFaulty", "test", "faulty", 0);
        Chan<Integer> idleIn = net.downward("idle", "nobody", "bystander", 0);
        net.process("faulty", () -> {
            toFaulty.in().read();
            throw new IllegalStateException("boom");
        }, null);
        // A bystander blocked in an Alternative over an input and a far timer must still end by poison.
        net.process("bystander", () -> {
            CSTimer timer = new CSTimer();
            timer.setAlarm(timer.read() + 3_600_000);
            Alternative alt = new Alternative(new Guard[] {idleIn.in(), timer});
            while (true) {
                if (alt.priSelect() == 0) {
                    idleIn.in().read();
                }
            }
        }, null);
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();
        toFaulty.out().write(1);

        assertThat(runner.awaitTermination(Duration.ofSeconds(5)), is(true));
        assertThat(runner.exitCode(), is(1));
        assertThat(runner.failedProcess(), equalTo("faulty"));
        assertThat(runner.failure(), instanceOf(IllegalStateException.class));
        assertThat(runner.failure().getMessage(), containsString("boom"));
        assertThat(runner.alive(), empty());
    }

    @Test
    void shutdownHooksRunOnceAndDynamicProcessesAreJoined() throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> toDyn = net.downward("toDyn", "test", "dyn", 0);
        int[] hookRuns = new int[1];
        net.onShutdown(() -> hookRuns[0]++);
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        assertThat(runner.spawn("dyn-1", "test", () -> toDyn.in().read()), is(true));
        assertThat(runner.liveDynamic().size(), is(1));
        runner.shutdown();
        runner.shutdown();
        assertThat(runner.awaitTermination(Duration.ofSeconds(5)), is(true));
        assertThat(hookRuns[0], is(1));
        assertThat(runner.liveDynamic(), empty());
        assertThat(runner.spawn("dyn-2", "test", () -> { }), is(false));
    }

    @Test
    void longLivedDynamicProcessesRunOnTheLayersThreadingShortLivedOnesOnTheDynamicOne() throws Exception {
        // Short-lived ones on virtual threads where the JDK has them (25 tells the two apart; 17 has only platform).
        ProcessNetwork net = new ProcessNetwork("test");
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM, Threading.forDynamic());
        runner.start();
        java.util.concurrent.ConcurrentHashMap<String, Boolean> virtual = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(3);
        CSProcess record = () -> {
            virtual.put(Thread.currentThread().getName(), isVirtual(Thread.currentThread()));
            done.countDown();
        };
        assertThat(net.spawn("connection", "tcp-connection", record, true), is(true));
        assertThat(net.spawn("reassembly", "reassembly", record, false), is(true));
        assertThat(net.spawn("default", "reassembly", record), is(true));
        assertThat(done.await(5, TimeUnit.SECONDS), is(true));
        assertThat(virtual.get("connection"), is(false));
        assertThat(virtual.get("reassembly"), is(Threading.virtualAvailable()));
        assertThat("short-lived unless said otherwise", virtual.get("default"), is(Threading.virtualAvailable()));
        runner.shutdown();
        assertThat(runner.awaitTermination(Duration.ofSeconds(5)), is(true));
    }

    /** Thread.isVirtual() through reflection: the code compiles for JDK 17, which lacks it (and them). */
    private static boolean isVirtual(Thread t) {
        if (!Threading.virtualAvailable()) {
            return false;
        }
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
