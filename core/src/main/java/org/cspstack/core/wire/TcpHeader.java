package org.cspstack.core.wire;

/**
 * A TCP header's fields as a connection reads them, whoever holds them: an immutable {@link TcpRepr}, or a
 * {@link MutableTcpHeader} that a receiver refills for every segment (so that receiving allocates nothing).
 * Sequence and acknowledgment numbers are unsigned 32-bit values held in longs.
 *
 * <p>Whoever is given a header reads it during the call; one that keeps it beyond that keeps a
 * {@link TcpRepr#copyOf copy}, since a mutable header will hold the next segment's fields.
 */
public interface TcpHeader {
    int sourcePort();

    int destinationPort();

    long seq();

    long ack();

    int flags();

    /** The raw 16-bit window field (unscaled). */
    int window();

    /** The MSS option's value, or 0 when absent. */
    int mss();

    /** The window scale option's shift (0..14), or -1 when absent. */
    int windowScale();

    boolean sackPermitted();

    default boolean has(int flag) {
        return (flags() & flag) != 0;
    }

    /** One line, as tcpdump would put it: {@code TCP 40000 > 80 [SA] seq 1 ack 2 win 100 mss 1460}. */
    default String describe() {
        StringBuilder f = new StringBuilder();
        String names = "FSRPAUEC";
        for (int i = 0; i < 8; i++) {
            if ((flags() & (1 << i)) != 0) {
                f.append(names.charAt(i));
            }
        }
        return "TCP " + sourcePort() + " > " + destinationPort() + " [" + f + "] seq " + seq() + " ack " + ack()
                + " win " + window() + (mss() > 0 ? " mss " + mss() : "")
                + (windowScale() >= 0 ? " ws " + windowScale() : "") + (sackPermitted() ? " sackOK" : "");
    }
}
