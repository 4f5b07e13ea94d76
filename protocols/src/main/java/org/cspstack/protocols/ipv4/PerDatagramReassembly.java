package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.SharedChannelOutput;

/**
 * Reassembly as a process per datagram ({@link ReassemblyProcess}, GoNet's way): each datagram's first fragment
 * starts a process named {@code reasm-N} with an upward channel of its own ({@code reasm-N.fragments},
 * {@code fragmentQueue} deep); the layer releases a datagram by poisoning that channel. The default.
 */
public final class PerDatagramReassembly implements ReassemblyStrategy {
    /** The registry's entry. */
    public static final Factory FACTORY = new Factory() {
        @Override
        public String eventWriters(String prefix) {
            return prefix + "reasm-*";
        }

        @Override
        public ReassemblyStrategy build(ProcessNetwork net, String prefix, StackConfig config,
                                        Any2OneChannel<ReassemblyEvent> events) {
            return new PerDatagramReassembly(net, prefix, events.out(), config.reassembly());
        }
    };

    private final ProcessNetwork network;
    private final String prefix;
    private final SharedChannelOutput<ReassemblyEvent> events;
    private final StackConfig.ReassemblySettings limits;
    private long started;

    PerDatagramReassembly(ProcessNetwork network, String prefix, SharedChannelOutput<ReassemblyEvent> events,
                          StackConfig.ReassemblySettings limits) {
        this.network = network;
        this.prefix = prefix;
        this.events = events;
        this.limits = limits;
    }

    @Override
    public Datagram start(FragmentKey key) {
        String name = prefix + "reasm-" + Long.toHexString(++started);
        Chan<PacketBuffer> fragments = network.dynamicUpward(name + ".fragments", prefix + "ip", name,
                limits.fragmentQueue());
        ReassemblyProcess process = new ReassemblyProcess(key, fragments.in(), events, limits.timeout().toMillis());
        if (!network.spawn(name, "reassembly", process)) {
            return null;
        }
        return new Datagram() {
            @Override
            public void offer(PacketBuffer fragment) {
                fragments.out().write(fragment);
            }

            @Override
            public void release() {
                fragments.out().poison(Poison.STRENGTH);
            }

            @Override
            public long queueFullDropped() {
                return fragments.stats().queueFullDropped.get();
            }
        };
    }

    @Override
    public void close() {
        // Every process was released (poisoned) by the layer.
    }
}
