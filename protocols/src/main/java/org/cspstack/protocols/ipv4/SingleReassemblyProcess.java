package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.wire.Ipv4Packet;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * Every datagram in reassembly in ONE long-lived process, lwIP-style: a table of datagrams in progress
 * ({@link ReassemblyTable}, each entry a {@link FragmentAssembly}) instead of a process per datagram. The
 * second implementation of the reassembly role ({@code --process reassembly=single}), with the same contract
 * towards the IPv4 layer ({@link ReassemblyStrategy}).
 *
 * <pre>
 *          ip --ipToReasm (upward, drops when full)--&gt; [ reasm ] --reasmToIp (shared, upward)--&gt; ip
 *                                                     (timer: the earliest deadline)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromIp</td><td>{@link Input}: a fragment with its datagram's key (PacketBuffer at the IP header,
 *       checked by the layer), or the release of a datagram</td><td>upward, drops when full (counted)</td>
 *       <td>fragments of every datagram; releases of datagrams the layer evicted</td></tr>
 *   <tr><td>toIp</td><td>{@link ReassemblyEvent}</td><td>shared, upward</td>
 *       <td>exactly one event per datagram that ends by itself (whole, dropped, timed out)</td></tr>
 * </table>
 *
 * The {@link CSTimer} guard is set to the earliest deadline in the table and switched off while the table is
 * empty (never a periodic tick).
 *
 * <p><b>Limitations.</b> A release that finds the queue full is lost; the table then keeps that datagram until
 * it ends by itself, and its own caps (the same as the layer's) keep memory bounded. One process serialises all
 * reassembly work (that is the point of the comparison).
 *
 * <p><b>Termination.</b> On poison it poisons {@code fromIp} and returns; it never poisons {@code toIp}, which is
 * shared and belongs to the layer.
 */
final class SingleReassemblyProcess implements CSProcess {
    private static final int INPUT = 0;
    private static final int TIMER = 1;

    /** What the layer sends the single reassembly process. */
    sealed interface Input {
        FragmentKey key();
    }

    /** One fragment of datagram {@code key}, at its IP header. */
    record Fragment(FragmentKey key, PacketBuffer fragment) implements Input {
    }

    /** The layer let go of datagram {@code key}. */
    record Release(FragmentKey key) implements Input {
    }

    private final AltingChannelInput<Input> fromIp;
    private final ChannelOutput<ReassemblyEvent> toIp;
    private final ReassemblyTable table;
    private final ReassemblyCounters counters;

    SingleReassemblyProcess(AltingChannelInput<Input> fromIp, ChannelOutput<ReassemblyEvent> toIp,
                            ReassemblyTable table, ReassemblyCounters counters) {
        this.fromIp = fromIp;
        this.toIp = toIp;
        this.table = table;
        this.counters = counters;
    }

    @Override
    public void run() {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {fromIp, timer});
        boolean[] ready = {true, false};
        Ipv4Packet view = new Ipv4Packet();
        try {
            while (true) {
                long deadline = table.nextDeadline();
                ready[TIMER] = deadline != Long.MAX_VALUE;
                if (ready[TIMER]) {
                    timer.setAlarm(deadline);
                }
                if (alt.priSelect(ready) == TIMER) {
                    for (ReassemblyEvent e : table.expire(timer.read())) {
                        counters.timedOut.increment();
                        toIp.write(e);
                    }
                } else {
                    Input in = fromIp.read();
                    if (in instanceof Fragment f) {
                        counters.fragments.increment();
                        PacketBuffer b = f.fragment();
                        long evictedBefore = table.evictions();
                        long startedBefore = table.started();
                        ReassemblyEvent e = table.add(f.key(), view.rewrap(b.array(), b.start(), b.length()),
                                timer.read());
                        counters.evicted.add(table.evictions() - evictedBefore);
                        counters.started.add(table.started() - startedBefore);
                        if (e != null) {
                            toIp.write(e);
                        }
                    } else if (table.release(in.key())) {
                        counters.released.increment();
                    } else {
                        counters.releasedUnknown.increment();
                    }
                }
                counters.datagramsHeld.set(table.size());
                counters.bytesHeld.set(table.bytesHeld());
            }
        } catch (PoisonException e) {
            fromIp.poison(Poison.STRENGTH);
        }
    }
}
