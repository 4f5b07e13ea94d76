package org.cspstack.core.csp;

/**
 * Sees every communication on every channel of a {@link ProcessNetwork}: one2one and shared, static and
 * dynamic, requests included. For traces, pcap taps on channels and classroom narration.
 *
 * <p>Give it to the network with {@link ProcessNetwork#observe(ChannelObserver)} before any channel is made;
 * each channel then gets an observing writing end, chosen once when it is made. A network without an observer
 * has the plain ends: no check, no clock read, no allocation on its per-message path.
 *
 * <p><b>When and where it runs.</b> {@link #written} runs on the writer's thread, before the message reaches
 * the channel: the reader cannot have it yet, so the observer may read it (summarise a {@code PacketBuffer},
 * copy its bytes), but it must not keep it or change it: ownership passes to the reader as soon as
 * {@code written} returns. Several writers call it at once, so implementations synchronise. An observer that
 * blocks (a stepping narrator) blocks that writer only, never a reader; but a writer of an upward channel is
 * then no longer "never blocks" (STYLE.md rule 1) for as long as it waits, which slows the whole network.
 */
@FunctionalInterface
public interface ChannelObserver {
    /**
     * One message written on {@code channel}. {@code dropped} is true when an upward channel had no room and
     * dropped it (the drop is counted in the channel's {@code queueFullDropped} as without an observer).
     */
    void written(ChannelSpec channel, Object message, boolean dropped);

    /** An observer that calls {@code first}, then {@code second}; either may be null. */
    static ChannelObserver both(ChannelObserver first, ChannelObserver second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return (channel, message, dropped) -> {
            first.written(channel, message, dropped);
            second.written(channel, message, dropped);
        };
    }
}
