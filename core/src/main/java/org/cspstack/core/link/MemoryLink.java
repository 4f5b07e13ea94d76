package org.cspstack.core.link;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.PoisonException;

/**
 * A simulated Ethernet segment between two stacks in one JVM: no root, no NIC, no native code. For tests and
 * classrooms.
 *
 * <pre>
 *   stack A                                              stack B
 *   A.link-tx --fromStack--&gt; [wire A-&gt;B, drops when full] --&gt; B.link-rx --toStack--&gt;
 *   A.link-rx &lt;--toStack--  [wire B-&gt;A, drops when full] &lt;-- B.link-tx &lt;--fromStack--
 * </pre>
 *
 * Each direction is an upward channel of the network (a wire that loses frames when the far side does not
 * keep up, as a real NIC ring does), so the network's description shows it and its shutdown poisons it.
 * Frames are handed over without copying: ownership passes from one stack to the other, so the transmitter
 * releases only what it drops, and the receiving stack releases the rest (to the sender's pool: a buffer knows
 * its pool). The receiver takes nothing from its stack's pool. An optional
 * {@link FrameObserver} sees each frame as it is sent.
 */
public final class MemoryLink {
    /** Frames each direction of the wire holds before it drops. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final End a;
    private final End b;

    private MemoryLink(End a, End b) {
        this.a = a;
        this.b = b;
    }

    /**
     * Makes the two wire channels in {@code network}. {@code prefixA} and {@code prefixB} are the process-name
     * prefixes of the two stacks (for example {@code "a."}), so that the description names the link processes
     * ({@code a.link-tx}, {@code b.link-rx}) at the wire's ends.
     */
    public static MemoryLink create(ProcessNetwork network, String prefixA, String prefixB, int mtu, int capacity,
                                    FrameObserver observer) {
        Chan<Batch<PacketBuffer>> aToB = network.upward(prefixA + "wire->" + prefixB, prefixA + "link-tx",
                prefixB + "link-rx", capacity);
        Chan<Batch<PacketBuffer>> bToA = network.upward(prefixB + "wire->" + prefixA, prefixB + "link-tx",
                prefixA + "link-rx", capacity);
        End a = new End("memory:" + strip(prefixA), strip(prefixA), strip(prefixB), mtu, bToA, aToB, observer);
        End b = new End("memory:" + strip(prefixB), strip(prefixB), strip(prefixA), mtu, aToB, bToA, observer);
        return new MemoryLink(a, b);
    }

    public static MemoryLink create(ProcessNetwork network, String prefixA, String prefixB) {
        return create(network, prefixA, prefixB, 1500, DEFAULT_CAPACITY, null);
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public Link endA() {
        return a;
    }

    public Link endB() {
        return b;
    }

    private static final class End implements Link {
        private final String name;
        private final String self;
        private final String peer;
        private final int mtu;
        private final Chan<Batch<PacketBuffer>> inbound;
        private final Chan<Batch<PacketBuffer>> outbound;
        private final FrameObserver observer;

        End(String name, String self, String peer, int mtu, Chan<Batch<PacketBuffer>> inbound, Chan<Batch<PacketBuffer>> outbound,
            FrameObserver observer) {
            this.name = name;
            this.self = self;
            this.peer = peer;
            this.mtu = mtu;
            this.inbound = inbound;
            this.outbound = outbound;
            this.observer = observer;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public CSProcess receiver(ChannelOutput<Batch<PacketBuffer>> toStack, LinkCounters counters,
                                  BufferPool buffers) {
            AltingChannelInput<Batch<PacketBuffer>> wire = inbound.in();
            return () -> {
                try {
                    while (true) {
                        Batch<PacketBuffer> frames = wire.read();
                        for (PacketBuffer frame : frames) {
                            counters.framesReceived.increment();
                            counters.bytesReceived.add(frame.length());
                        }
                        toStack.write(frames);
                    }
                } catch (PoisonException e) {
                    Poison.all(wire, toStack);
                }
            };
        }

        @Override
        public CSProcess transmitter(AltingChannelInput<Batch<PacketBuffer>> fromStack, LinkCounters counters) {
            Outbox<PacketBuffer> wire = new Outbox<>(outbound.out());
            int maxFrame = mtu + 14;
            return () -> {
                try {
                    while (true) {
                        Batch<PacketBuffer> batch = fromStack.read();
                        for (PacketBuffer frame : batch) {
                            if (frame.length() > maxFrame) {
                                counters.oversizeDropped.increment();
                                frame.release();
                                continue;
                            }
                            if (observer != null) {
                                observer.frame(self, peer, frame);
                            }
                            counters.framesSent.increment();
                            counters.bytesSent.add(frame.length());
                            wire.add(frame);
                        }
                        batch.recycle(); // handled: the writer reuses it
                        wire.flush();
                    }
                } catch (PoisonException e) {
                    Poison.all(fromStack, wire);
                }
            };
        }

        @Override
        public void interrupt() {
            inbound.out().poison(Poison.STRENGTH);
        }

        @Override
        public void close() {
            // Nothing to release: the wire is two channels of the network.
        }
    }
}
