package org.cspstack.protocols.ipv4;

import static org.cspstack.protocols.testing.DatagramBuilder.datagram;
import static org.cspstack.protocols.testing.TestNet.pattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.testing.DatagramBuilder;
import org.junit.jupiter.api.Test;

/** The single reassembly process's table, with fake time: deadlines, releases and its own caps. */
class ReassemblyTableTest {
    private static final long TIMEOUT = 1000;

    private static ReassemblyTable table(int maxDatagrams, long maxBytes) {
        return new ReassemblyTable(new StackConfig.ReassemblySettings(Duration.ofMillis(TIMEOUT), maxDatagrams,
                maxBytes, 16));
    }

    private static Ipv4Packet packet(DatagramBuilder b) throws MalformedPacketException {
        byte[] bytes = b.build();
        return Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
    }

    private static ReassemblyEvent add(ReassemblyTable t, DatagramBuilder b, long now)
            throws MalformedPacketException {
        Ipv4Packet p = packet(b);
        return t.add(FragmentKey.of(p), p, now);
    }

    @Test
    void reassemblesInterleavedDatagramsEachWithItsOwnAssembly() throws MalformedPacketException {
        ReassemblyTable t = table(64, 1 << 20);
        byte[] one = pattern(24, 1);
        byte[] two = pattern(16, 2);
        assertThat(add(t, datagram().identification(1).moreFragments().payload(Arrays.copyOfRange(one, 0, 16)), 0),
                is(nullValue()));
        assertThat(add(t, datagram().identification(2).fragmentOffset(8).payload(Arrays.copyOfRange(two, 8, 16)), 1),
                is(nullValue()));
        assertThat(t.size(), is(2));
        assertThat(t.bytesHeld(), is(24L));

        ReassemblyEvent e = add(t, datagram().identification(1).fragmentOffset(16)
                .payload(Arrays.copyOfRange(one, 16, 24)), 2);
        assertThat(e, instanceOf(ReassemblyEvent.Complete.class));
        ReassemblyEvent.Complete c = (ReassemblyEvent.Complete) e;
        byte[] whole = c.datagram().toByteArray();
        assertThat(Bytes.hex(whole, 20, 24), is(Bytes.hex(one)));
        assertThat(c.fragments(), is(2));
        assertThat(t.size(), is(1));
        assertThat(t.bytesHeld(), is(8L));
        assertThat(t.started(), is(2L));
    }

    @Test
    void theTimerIsTheOldestDatagramsDeadlineAndExpiryReportsEachLateDatagramOnce() throws Exception {
        ReassemblyTable t = table(64, 1 << 20);
        assertThat(t.nextDeadline(), is(Long.MAX_VALUE));
        add(t, datagram().identification(1).moreFragments().payload(pattern(8, 1)), 100);
        add(t, datagram().identification(2).fragmentOffset(8).moreFragments().payload(pattern(8, 2)), 300);
        // A later fragment of datagram 1 does not move its deadline.
        add(t, datagram().identification(1).fragmentOffset(16).moreFragments().payload(pattern(8, 3)), 900);
        assertThat(t.nextDeadline(), is(100 + TIMEOUT));

        assertThat(t.expire(100 + TIMEOUT - 1), is(List.of()));
        List<ReassemblyEvent> late = t.expire(100 + TIMEOUT);
        assertThat(late.size(), is(1));
        ReassemblyEvent.TimedOut first = (ReassemblyEvent.TimedOut) late.get(0);
        assertThat(first.key().identification(), is(1));
        assertThat("fragment 0 arrived: quoted for Time Exceeded", first.quote().length, is(28));
        assertThat(t.nextDeadline(), is(300 + TIMEOUT));

        ReassemblyEvent.TimedOut second = (ReassemblyEvent.TimedOut) t.expire(5000).get(0);
        assertThat(second.quote(), is(nullValue()));
        assertThat(t.size(), is(0));
        assertThat(t.bytesHeld(), is(0L));
        assertThat(t.nextDeadline(), is(Long.MAX_VALUE));
    }

    @Test
    void aReleasedDatagramIsForgottenQuietlyAndARepeatedReleaseIsUnknown() throws Exception {
        ReassemblyTable t = table(64, 1 << 20);
        Ipv4Packet p = packet(datagram().identification(5).moreFragments().payload(pattern(16, 5)));
        t.add(FragmentKey.of(p), p, 0);
        assertThat(t.release(FragmentKey.of(p)), is(true));
        assertThat(t.release(FragmentKey.of(p)), is(false));
        assertThat(t.size(), is(0));
        assertThat(t.bytesHeld(), is(0L));
        assertThat(t.expire(Long.MAX_VALUE - 1), is(List.of()));
    }

    @Test
    void dropsADatagramWholeOnAnOverlapCountingWhatItIgnoredBefore() throws Exception {
        ReassemblyTable t = table(64, 1 << 20);
        add(t, datagram().identification(7).moreFragments().payload(pattern(16, 7)), 0);
        add(t, datagram().identification(7).moreFragments().payload(pattern(16, 7)), 0); // duplicate
        ReassemblyEvent e = add(t, datagram().identification(7).fragmentOffset(8).moreFragments()
                .payload(pattern(16, 8)), 0);
        ReassemblyEvent.Dropped d = (ReassemblyEvent.Dropped) e;
        assertThat(d.reason(), is(FragmentAssembly.Outcome.OVERLAP));
        assertThat(d.duplicates(), is(1));
        assertThat(t.size(), is(0));
        assertThat(t.bytesHeld(), is(0L));
    }

    @Test
    void keepsTheLayersCapsItselfEvictingTheOldestQuietly() throws Exception {
        ReassemblyTable t = table(2, 65_535);
        for (int id = 1; id <= 3; id++) {
            add(t, datagram().identification(id).moreFragments().payload(pattern(8, id)), id);
        }
        assertThat(t.size(), is(2));
        assertThat(t.evictions(), is(1L));
        assertThat("datagram 1 went first", t.nextDeadline(), is(2 + TIMEOUT));

        // Bytes: 65,528 bytes in fragments of datagram 2 push the total over 65,535; the oldest others go.
        ReassemblyTable b = table(64, 65_535);
        add(b, datagram().identification(1).moreFragments().payload(pattern(1480, 1)), 0);
        for (int off = 0; off < 44 * 1480; off += 1480) {
            add(b, datagram().identification(2).fragmentOffset(off).moreFragments().payload(pattern(1480, 2)), 1);
        }
        assertThat(b.size(), is(1));
        assertThat(b.evictions(), is(1L));
        assertThat(b.bytesHeld(), is(44L * 1480));
    }
}
