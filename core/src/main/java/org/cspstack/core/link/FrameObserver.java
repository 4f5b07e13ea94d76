package org.cspstack.core.link;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.jcsp.lang.ChannelOutput;

/**
 * Sees frames as they cross a channel or a link, on the writing process's thread, before they go on. For
 * narration and taps: it must not keep or change the buffer (copy what it needs), and it may be called from
 * several processes at once (the receive and the transmit side), so implementations synchronise.
 */
@FunctionalInterface
public interface FrameObserver {
    void frame(String from, String to, PacketBuffer frame);

    /** A writing end that shows every frame of each batch to {@code observer} and then writes it to {@code out}. */
    static ChannelOutput<Batch<PacketBuffer>> tap(ChannelOutput<Batch<PacketBuffer>> out, String from, String to,
                                                  FrameObserver observer) {
        if (observer == null) {
            return out;
        }
        return new ChannelOutput<>() {
            @Override
            public void write(Batch<PacketBuffer> frames) {
                for (PacketBuffer frame : frames) {
                    observer.frame(from, to, frame);
                }
                out.write(frames);
            }

            @Override
            public void poison(int strength) {
                out.poison(strength);
            }
        };
    }
}
