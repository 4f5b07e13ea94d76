package org.cspstack.harness.experiments;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link PingParse} on output captured from iputils ping 20221126 in the lab ({@code scripts/lab.sh up}),
 * and the statistics on known inputs.
 */
class PingParseTest {
    /** {@code ip netns exec csplab ping -n -c 3 198.18.1.2}. */
    private static final String PLAIN = """
            PING 198.18.1.2 (198.18.1.2) 56(84) bytes of data.
            64 bytes from 198.18.1.2: icmp_seq=1 ttl=64 time=0.114 ms
            64 bytes from 198.18.1.2: icmp_seq=2 ttl=64 time=0.065 ms
            64 bytes from 198.18.1.2: icmp_seq=3 ttl=64 time=0.063 ms

            --- 198.18.1.2 ping statistics ---
            3 packets transmitted, 3 received, 0% packet loss, time 2053ms
            rtt min/avg/max/mdev = 0.063/0.080/0.114/0.023 ms
            """;

    /** {@code ip netns exec csplab ping -n -c 3 -s 1471 -i 0.3 198.18.1.2}: the experiment's probe size. */
    private static final String FULL_SIZE = """
            PING 198.18.1.2 (198.18.1.2) 1471(1499) bytes of data.
            1479 bytes from 198.18.1.2: icmp_seq=1 ttl=64 time=0.040 ms
            1479 bytes from 198.18.1.2: icmp_seq=2 ttl=64 time=0.063 ms
            1479 bytes from 198.18.1.2: icmp_seq=3 ttl=64 time=0.049 ms

            --- 198.18.1.2 ping statistics ---
            3 packets transmitted, 3 received, 0% packet loss, time 625ms
            rtt min/avg/max/mdev = 0.040/0.050/0.063/0.009 ms
            """;

    /** {@code ip netns exec csplab ping -n -c 6 -i 1 -W 1 198.18.1.3}: no host there, ARP fails. */
    private static final String UNREACHABLE = """
            PING 198.18.1.3 (198.18.1.3) 56(84) bytes of data.
            From 198.18.1.1 icmp_seq=1 Destination Host Unreachable
            From 198.18.1.1 icmp_seq=2 Destination Host Unreachable
            From 198.18.1.1 icmp_seq=3 Destination Host Unreachable

            --- 198.18.1.3 ping statistics ---
            6 packets transmitted, 0 received, +3 errors, 100% packet loss, time 5097ms
            pipe 4
            """;

    /**
     * {@code ip netns exec csplab ping -n -v -b -c 3 -i 0.3 -W 1 198.18.1.255} (stderr mixed in) with
     * {@code icmp_echo_ignore_broadcasts=0} for the moment in csplab and csplabref: both kernels answer, the
     * second answer to each probe is a duplicate.
     */
    private static final String DUP_VERBOSE = """
            ping: sock4.fd: 3 (socktype: SOCK_RAW), sock6.fd: 4 (socktype: SOCK_RAW), hints.ai_family: AF_UNSPEC

            WARNING: pinging broadcast address
            ai->ai_family: AF_INET, ai->ai_canonname: '198.18.1.255'
            PING 198.18.1.255 (198.18.1.255) 56(84) bytes of data.
            64 bytes from 198.18.1.1: icmp_seq=1 ident=9920 ttl=64 time=0.129 ms
            64 bytes from 198.18.1.2: icmp_seq=1 ident=9920 ttl=64 time=0.148 ms (DUP!)
            64 bytes from 198.18.1.1: icmp_seq=2 ident=9920 ttl=64 time=0.050 ms
            64 bytes from 198.18.1.2: icmp_seq=2 ident=9920 ttl=64 time=0.068 ms (DUP!)
            64 bytes from 198.18.1.1: icmp_seq=3 ident=9920 ttl=64 time=0.061 ms

            --- 198.18.1.255 ping statistics ---
            3 packets transmitted, 3 received, +2 duplicates, 0% packet loss, time 624ms
            rtt min/avg/max/mdev = 0.050/0.091/0.148/0.039 ms
            """;

    /** The same without {@code -v}: for a broadcast target ping leaves out the (DUP!) mark. */
    private static final String DUP_UNMARKED = """
            PING 198.18.1.255 (198.18.1.255) 56(84) bytes of data.
            64 bytes from 198.18.1.1: icmp_seq=1 ttl=64 time=0.037 ms
            64 bytes from 198.18.1.2: icmp_seq=1 ttl=64 time=0.057 ms
            64 bytes from 198.18.1.1: icmp_seq=2 ttl=64 time=0.062 ms
            64 bytes from 198.18.1.2: icmp_seq=2 ttl=64 time=0.084 ms
            64 bytes from 198.18.1.1: icmp_seq=3 ttl=64 time=0.059 ms

            --- 198.18.1.255 ping statistics ---
            3 packets transmitted, 3 received, +2 duplicates, 0% packet loss, time 649ms
            rtt min/avg/max/mdev = 0.037/0.059/0.084/0.014 ms
            WARNING: pinging broadcast address
            """;

    @Test
    void readsReplyLinesAndTheSummary() {
        PingParse.Result r = PingParse.parse(PLAIN);
        assertThat(r.replies(), contains(new PingParse.Reply(1, 0.114, false, "198.18.1.2"),
                new PingParse.Reply(2, 0.065, false, "198.18.1.2"),
                new PingParse.Reply(3, 0.063, false, "198.18.1.2")));
        assertThat(r.summary(), is(new PingParse.Summary(3, 3, 0, 0, 0)));
        assertThat(r.summary().lossPct(), is(0.0));
        assertThat(r.errorLines(), is(0));
        assertThat(r.duplicates(), is(0));
    }

    @Test
    void readsFullSizedProbes() {
        PingParse.Result r = PingParse.parse(FULL_SIZE);
        assertThat(r.rtts().length, is(3));
        assertThat(r.rtts()[0], is(0.040));
        assertThat(r.rtts()[2], is(0.049));
        assertThat(r.summary().transmitted(), is(3));
        assertThat(r.summary().received(), is(3));
        // ping's own average, 0.050, is the mean of what was read (0.0507), within the rounding of the
        // printed times (ping averages microseconds, prints each time and the average to 0.001 ms).
        assertThat(PingParse.mean(r.rtts()), closeTo(0.050, 0.001));
    }

    @Test
    void errorsAndTotalLoss() {
        PingParse.Result r = PingParse.parse(UNREACHABLE);
        assertThat(r.replies(), is(List.of()));
        assertThat(r.errorLines(), is(3));
        assertThat(r.summary(), is(new PingParse.Summary(6, 0, 0, 0, 3)));
        assertThat(r.summary().lossPct(), is(100.0));
        PingParse.Stats s = PingParse.stats(r.rtts());
        assertThat(s.count(), is(0));
        assertThat(Double.isNaN(s.meanMs()), is(true));
    }

    @Test
    void markedDuplicatesAreKeptOutOfTheRoundTrips() {
        PingParse.Result r = PingParse.parse(DUP_VERBOSE);
        assertThat(r.replies().size(), is(5));
        assertThat(r.duplicates(), is(2));
        assertThat(r.replies().get(1), is(new PingParse.Reply(1, 0.148, true, "198.18.1.2")));
        assertThat(r.unique().stream().map(PingParse.Reply::seq).toList(), contains(1, 2, 3));
        assertThat(r.rtts(), is(new double[] {0.129, 0.050, 0.061}));
        assertThat(r.summary(), is(new PingParse.Summary(3, 3, 2, 0, 0)));
    }

    @Test
    void unmarkedRepeatsOfASequenceNumberAreDuplicatesToo() {
        PingParse.Result r = PingParse.parse(DUP_UNMARKED);
        assertThat(r.duplicates(), is(r.summary().duplicates()));
        assertThat(r.rtts(), is(new double[] {0.037, 0.062, 0.059}));
        assertThat(r.unique().size(), is(r.summary().received()));
    }

    @Test
    void aRunCutShortHasNoSummary() {
        String cut = FULL_SIZE.substring(0, FULL_SIZE.indexOf("\n---"));
        PingParse.Result r = PingParse.parse(cut);
        assertThat(r.summary(), nullValue());
        assertThat(r.rtts().length, is(3));
    }

    @Test
    void lossIsUnroundedAndCountsWrongData() {
        // Made by hand in iputils' format (not captured): one of three probes lost, one reply corrupted.
        String made = """
                1479 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time=0.2 ms
                1479 bytes from 198.18.0.2: icmp_seq=3 ttl=64 time=12 ms
                wrong data byte #17 should be 0x11 but was 0x0
                #16	10 0 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27
                3 packets transmitted, 2 received, +1 corrupted, 33.3333% packet loss, time 601ms
                """;
        PingParse.Result r = PingParse.parse(made);
        assertThat(r.rtts(), is(new double[] {0.2, 12.0}));
        assertThat(r.wrongData(), is(1));
        assertThat(r.summary(), notNullValue());
        assertThat(r.summary().corrupted(), is(1));
        assertThat(r.summary().lossPct(), closeTo(100.0 / 3, 1e-12));
    }

    @Test
    void nearestRankPercentilesAndMean() {
        double[] oneToTwenty = new double[20];
        for (int i = 0; i < 20; i++) {
            oneToTwenty[i] = 20 - i; // unsorted on purpose
        }
        PingParse.Stats s = PingParse.stats(oneToTwenty);
        assertThat(s.count(), is(20));
        assertThat(s.meanMs(), is(10.5));
        assertThat(s.p50Ms(), is(10.0)); // rank ceil(0.5 * 20) = 10
        assertThat(s.p99Ms(), is(20.0)); // rank ceil(19.8) = 20: below 100 values p99 is the maximum
        assertThat(s.maxMs(), is(20.0));

        double[] hundredAndOne = new double[101];
        for (int i = 0; i < 101; i++) {
            hundredAndOne[i] = i + 1;
        }
        assertThat(PingParse.percentile(hundredAndOne, 50), is(51.0)); // rank ceil(50.5) = 51
        assertThat(PingParse.percentile(hundredAndOne, 99), is(100.0)); // rank ceil(99.99) = 100
        assertThat(PingParse.percentile(hundredAndOne, 100), is(101.0));

        double[] sorted320 = new double[320];
        for (int i = 0; i < 320; i++) {
            sorted320[i] = i + 1;
        }
        assertThat(PingParse.percentile(sorted320, 99), is(317.0)); // K=16 x 20: rank ceil(316.8) = 317

        PingParse.Stats one = PingParse.stats(new double[] {0.3});
        assertThat(one, is(new PingParse.Stats(1, 0.3, 0.3, 0.3, 0.3)));
        assertThat(PingParse.mean(new double[] {0.1, 0.2, 0.6}), closeTo(0.3, 1e-15));
        assertThrows(IllegalArgumentException.class, () -> PingParse.percentile(oneToTwenty, 0));
    }
}
