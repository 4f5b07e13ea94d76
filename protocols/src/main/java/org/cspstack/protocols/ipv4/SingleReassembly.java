package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ChannelStats;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.PoisonException;

/**
 * Reassembly in one long-lived process ({@link SingleReassemblyProcess}, lwIP's way): a static process
 * {@code reasm} and an upward channel {@code ipToReasm} (as deep as the stack's upward channels) carrying every
 * datagram's fragments, each with its key, and the layer's releases.
 */
public final class SingleReassembly implements ReassemblyStrategy {
    /** The registry's entry. */
    public static final Factory FACTORY = new Factory() {
        @Override
        public String eventWriters(String prefix) {
            return prefix + "reasm";
        }

        @Override
        public ReassemblyStrategy build(ProcessNetwork net, String prefix, StackConfig config,
                                        Any2OneChannel<ReassemblyEvent> events) {
            Chan<SingleReassemblyProcess.Input> ipToReasm = net.upward(prefix + "ipToReasm", prefix + "ip",
                    prefix + "reasm", config.upwardCapacity());
            ReassemblyCounters counters = new ReassemblyCounters(prefix + "reasm");
            net.process(prefix + "reasm", new SingleReassemblyProcess(ipToReasm.in(), events.out(),
                    new ReassemblyTable(config.reassembly()), counters), counters);
            return new SingleReassembly(ipToReasm);
        }
    };

    private final ChannelOutput<SingleReassemblyProcess.Input> toReasm;
    private final ChannelStats stats;

    SingleReassembly(Chan<SingleReassemblyProcess.Input> ipToReasm) {
        this.toReasm = ipToReasm.out();
        this.stats = ipToReasm.stats();
    }

    @Override
    public Datagram start(FragmentKey key) {
        return new Datagram() {
            private long dropped;

            @Override
            public void offer(PacketBuffer fragment) {
                // The layer is this channel's only writer: a change in its drop count during the write is ours.
                long before = stats.queueFullDropped.get();
                toReasm.write(new SingleReassemblyProcess.Fragment(key, fragment));
                dropped += stats.queueFullDropped.get() - before;
            }

            @Override
            public void release() {
                try {
                    toReasm.write(new SingleReassemblyProcess.Release(key));
                } catch (PoisonException shuttingDown) {
                    // The process is ending too; nothing to release.
                }
            }

            @Override
            public long queueFullDropped() {
                return dropped;
            }
        };
    }

    @Override
    public void close() {
        toReasm.poison(Poison.STRENGTH);
    }
}
