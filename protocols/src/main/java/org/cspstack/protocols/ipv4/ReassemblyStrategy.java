package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.Any2OneChannel;

/**
 * Who reassembles the datagrams the IPv4 layer has decided to keep: the seam through which one implementation
 * replaces another ({@code --process reassembly=per-datagram|single}).
 *
 * <p><b>The contract towards {@link Ipv4Layer}</b>, the same for every implementation:
 * <ul>
 *   <li>the layer checks each fragment on its own and keeps the limits (datagrams and bytes in reassembly,
 *       oldest evicted); it calls {@link #start} for a datagram's first fragment, then
 *       {@link Datagram#offer} for each of its fragments, and {@link Datagram#release} when it lets go of it
 *       (evicted, dropped, or the layer ending);</li>
 *   <li>the reassembler reports on the shared upward channel {@code reasmToIp} exactly one
 *       {@link ReassemblyEvent} per datagram that ends by itself (whole, dropped, or timed out), and none for
 *       a datagram released before it ended; an event already on its way when the layer releases the datagram
 *       is handled by the layer as usual;</li>
 *   <li>nothing here blocks the layer: fragments travel on upward channels that drop (counted) when full.</li>
 * </ul>
 * Every method is called by the layer's process only.
 */
public interface ReassemblyStrategy {

    /**
     * Starts reassembling the datagram {@code key}; null when the network is shutting down (the fragment is
     * then dropped).
     */
    Datagram start(FragmentKey key);

    /** The layer ends (poisoned): ends what this strategy runs. Every datagram was released before. */
    void close();

    /** One datagram in reassembly, as the layer holds it. */
    interface Datagram {
        /** Hands one fragment over (at its IP header; ownership passes). Never blocks. */
        void offer(PacketBuffer fragment);

        /** The layer lets go of this datagram: its reassembly ends quietly, without an event. */
        void release();

        /** This datagram's fragments dropped because the queue to its reassembler was full. */
        long queueFullDropped();
    }

    /** Makes a strategy while a stack is being built: a registry entry ({@code ProcessRegistry}). */
    interface Factory {
        /** The writers of the events channel, for the network's description ({@code reasm-*}, {@code reasm}). */
        String eventWriters(String prefix);

        /**
         * Builds the strategy into {@code net} (adding any static process and channel it needs), reporting on
         * {@code events}. Names start with {@code prefix}.
         */
        ReassemblyStrategy build(ProcessNetwork net, String prefix, StackConfig config,
                                 Any2OneChannel<ReassemblyEvent> events);
    }
}
