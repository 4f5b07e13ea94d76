package org.cspstack.core.link;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;

/**
 * The contract between a medium that carries Ethernet frames and the stack above it.
 *
 * <pre>
 *            medium (veth through libpcap, or memory)
 *              |                      ^
 *        [ receiver ]           [ transmitter ]
 *              | toStack              ^ fromStack
 *              v  (upward: buffered,  |  (downward: may block,
 *                  drops when full)   |   back-pressure)
 *                    EthernetLayer
 * </pre>
 *
 * A link gives the stack two processes. The receiver is the only process in the network allowed to block
 * outside a channel (in native code, STYLE.md rule 4): it hands whole frames (destination MAC first, no FCS)
 * to {@code toStack} in {@link Batch}es (every frame the medium had ready, up to {@link Batch#LIMIT}), which
 * must be an upward channel that never blocks its writer. The transmitter reads batches of frames from
 * {@code fromStack}, puts each on the medium and recycles the batch.
 *
 * <p><b>Buffers.</b> A receiver that copies frames out of its medium takes their buffers from the stack's
 * {@link BufferPool} (a frame too large for the pool's buffers gets a plain one); a receiver that is handed
 * buffers (memory) passes them on as they are. The transmitter is the last owner of what it sends: it
 * {@link PacketBuffer#release() releases} each frame once it is on the medium, or dropped, unless the medium
 * hands the buffer itself to another owner (memory: the other stack releases it).
 *
 * <p><b>Termination.</b> The transmitter ends when {@code fromStack} is poisoned. The receiver ends when a write
 * to {@code toStack} meets poison, or when {@link #interrupt()} wakes it from the medium; the runner calls
 * {@code interrupt()} when the network shuts down. Both poison the channel ends they hold before returning.
 */
public interface Link extends AutoCloseable {

    /** A short name for logs and graphs, such as {@code pcap:csplab0} or {@code memory:a}. */
    String name();

    /** The largest frame payload (IP datagram) the medium carries: 1500 on Ethernet. */
    int mtu();

    /** The receive process, taking the buffers of received frames from {@code buffers}; created once per link. */
    CSProcess receiver(ChannelOutput<Batch<PacketBuffer>> toStack, LinkCounters counters, BufferPool buffers);

    /** The receive process with a pool of its own for frames of this link's MTU. */
    default CSProcess receiver(ChannelOutput<Batch<PacketBuffer>> toStack, LinkCounters counters) {
        return receiver(toStack, counters, BufferPool.forMtu(name(), mtu()));
    }

    /** The transmit process; created once per link. */
    CSProcess transmitter(AltingChannelInput<Batch<PacketBuffer>> fromStack, LinkCounters counters);

    /** Wakes a receiver blocked in the medium so that it can end. Safe from any thread, more than once. */
    void interrupt();

    /** Releases the medium (the pcap handles); after the processes have ended. Does not throw. */
    @Override
    void close();
}
