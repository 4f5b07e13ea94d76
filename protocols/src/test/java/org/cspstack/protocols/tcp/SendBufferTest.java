package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** {@link SendBuffer}: bytes addressed by sequence number, wrapping, and growing only as far as needed. */
class SendBufferTest {
    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i * 31);
        }
        return b;
    }

    @Test
    void anIdleBufferHoldsNoArrayAndAQuietOneOnlyItsFirst() {
        SendBuffer s = new SendBuffer(1 << 20, 0xffff_ff00L);
        assertThat(s.array().length, is(0));
        assertThat(s.write(bytes(0, 100), 0, 100), is(100));
        assertThat(s.array().length, is(RingArray.FIRST));
        assertThat(s.free(), is((1 << 20) - 100));
    }

    @Test
    void growsPastItsFirstArrayWithWrappedBytesInOrderAndStopsAtItsCapacity() {
        int cap = 3 * RingArray.FIRST;
        long start = 0xffff_ff00L;
        SendBuffer s = new SendBuffer(cap, start);
        byte[] all = bytes(3, 2 * cap);
        assertThat(s.write(all, 0, 60_000), is(60_000));
        s.consume(50_000); // the head moves into the first array
        assertThat(s.write(all, 60_000, 10_000), is(10_000)); // wraps round the first array
        assertThat(s.write(all, 70_000, 100_000), is(100_000)); // grows
        assertThat(s.size(), is(120_000));
        byte[] out = new byte[120_000];
        s.copy(Seq.add(start, 50_000), out, 0, out.length);
        assertThat(Arrays.equals(out, 0, out.length, all, 50_000, 170_000), is(true));
        assertThat(s.write(all, 170_000, cap), is(cap - 120_000)); // full at its capacity, not beyond
        assertThat(s.array().length <= cap, is(true));
        assertThat(s.free(), is(0));
    }
}
