package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import org.cspstack.core.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

class IsnGeneratorTest {
    private static final byte[] SECRET = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final Endpoint L = new Endpoint(Ipv4Address.of(10, 0, 0, 1), 80);
    private static final Endpoint R = new Endpoint(Ipv4Address.of(10, 0, 0, 2), 50_000);
    private static final long T = 123_456_789_000L;

    @Test
    void differentFourTuplesGiveDifferentIsns() {
        IsnGenerator g = new IsnGenerator(SECRET);
        long base = g.next(L, R, T);
        assertThat(g.next(L, new Endpoint(R.address(), 50_001), T), is(not(base)));
        assertThat(g.next(new Endpoint(L.address(), 81), R, T), is(not(base)));
        assertThat(g.next(L, new Endpoint(Ipv4Address.of(10, 0, 0, 3), 50_000), T), is(not(base)));
        assertThat(g.next(R, L, T), is(not(base)));
    }

    @Test
    void theSameTupleAdvancesWithTheFourMicrosecondClock() {
        IsnGenerator g = new IsnGenerator(SECRET);
        long first = g.next(L, R, T);
        assertThat(g.next(L, R, T), is(first));
        assertThat(g.next(L, R, T + 4_000), is(Seq.add(first, 1)));
        assertThat(g.next(L, R, T + 1_000_000_000L), is(Seq.add(first, 250_000)));
        assertThat(Seq.gt(g.next(L, R, T + 8_000), first), is(true));
    }

    @Test
    void isnsAre32BitValues() {
        IsnGenerator g = new IsnGenerator();
        for (int i = 0; i < 100; i++) {
            long isn = g.next(L, new Endpoint(R.address(), 1_000 + i), T * i);
            assertThat(isn, lessThanOrEqualTo(0xffff_ffffL));
            assertThat(isn >= 0, is(true));
        }
    }

    @Test
    void differentSecretsGiveDifferentIsns() {
        byte[] other = SECRET.clone();
        other[0] = 99;
        assertThat(new IsnGenerator(SECRET).next(L, R, T), is(not(new IsnGenerator(other).next(L, R, T))));
    }
}
