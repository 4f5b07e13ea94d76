package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Packet;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * One datagram being reassembled: a process of its own, as in the GoNet study, started by the IPv4 layer when
 * the datagram's first fragment arrives and ended when the datagram is whole, dropped, or late.
 *
 * <pre>
 *          ip --fragments (upward, drops when full)--&gt; [ reassembly ] --toIp (shared, upward)--&gt; ip
 *                                                         (timer: timeout)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fragments</td><td>PacketBuffer at the IP header, checked by the layer</td><td>upward, drops when
 *       full</td><td>this datagram's fragments; poisoned by the layer to evict the process</td></tr>
 *   <tr><td>toIp</td><td>{@link ReassemblyEvent}</td><td>shared by all reassembly processes, upward</td>
 *       <td>exactly one event when the process ends by itself</td></tr>
 * </table>
 *
 * The logic is {@link FragmentAssembly}'s; this shell only selects between the next fragment and the timer (a
 * {@link CSTimer} set once, at the absolute deadline), feeds the assembly, and reports.
 *
 * <p><b>Termination.</b> After its one event it returns. Poison on {@code fragments} (eviction, or the network
 * shutting down: the layer poisons every reassembly it holds) ends it quietly. It never poisons {@code toIp}:
 * that channel is shared and belongs to the layer, and a write that meets poison simply ends the process.
 */
final class ReassemblyProcess implements CSProcess {
    private static final int FRAGMENT = 0;
    private static final int TIMEOUT = 1;

    private final FragmentKey key;
    private final AltingChannelInput<PacketBuffer> fragments;
    private final ChannelOutput<ReassemblyEvent> toIp;
    private final long timeoutMillis;

    ReassemblyProcess(FragmentKey key, AltingChannelInput<PacketBuffer> fragments,
                      ChannelOutput<ReassemblyEvent> toIp, long timeoutMillis) {
        this.key = key;
        this.fragments = fragments;
        this.toIp = toIp;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void run() {
        FragmentAssembly assembly = new FragmentAssembly();
        Ipv4Packet view = new Ipv4Packet();
        CSTimer timer = new CSTimer();
        timer.setAlarm(timer.read() + timeoutMillis);
        Alternative alt = new Alternative(new Guard[] {fragments, timer});
        int duplicates = 0;
        int rejected = 0;
        try {
            while (true) {
                if (alt.priSelect() == TIMEOUT) {
                    toIp.write(new ReassemblyEvent.TimedOut(key, assembly.firstFragmentQuote(), duplicates,
                            rejected));
                    return;
                }
                PacketBuffer fragment = fragments.read();
                FragmentAssembly.Outcome outcome =
                        assembly.add(view.rewrap(fragment.array(), fragment.start(), fragment.length()));
                switch (outcome) {
                    case COMPLETE -> {
                        toIp.write(new ReassemblyEvent.Complete(key, assembly.assemble(),
                                assembly.fragmentsAccepted(), duplicates, rejected));
                        return;
                    }
                    case DUPLICATE -> duplicates++;
                    case REJECTED -> rejected++;
                    case INCOMPLETE -> {
                        // wait for more
                    }
                    default -> {
                        toIp.write(new ReassemblyEvent.Dropped(key, outcome, duplicates, rejected));
                        return;
                    }
                }
            }
        } catch (PoisonException evictedOrShutDown) {
            // The layer evicted this datagram or the network is ending; the layer has already let go of it.
            fragments.poison(org.cspstack.core.csp.Poison.STRENGTH);
        }
    }
}
