package org.cspstack.core.csp;

/**
 * How one channel is wired: its name (source-to-destination, such as {@code ethToIp}), the processes at its
 * ends, its kind and buffer capacity (0 for rendezvous), and its live counts.
 */
public record ChannelSpec(String name, String writer, String reader, ChannelKind kind, int capacity,
                          ChannelStats stats) {
    @Override
    public String toString() {
        return name + " (" + writer + " -> " + reader + ", " + kind.name().toLowerCase() + ", "
                + (capacity == 0 ? "rendezvous" : "capacity " + capacity) + ")";
    }
}
