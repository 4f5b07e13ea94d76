package org.cspstack.protocols.icmp;

import org.cspstack.core.wire.Ipv4Address;

/**
 * The one answer to a {@link PingRequest}, written by the ICMP layer to the request's {@code replyTo}.
 *
 * <table>
 *   <caption>Fields by status</caption>
 *   <tr><th>status</th><th>from</th><th>rttNanos</th><th>dataLength</th><th>ttl</th></tr>
 *   <tr><td>REPLY</td><td>the replier</td><td>request sent to reply received</td><td>the reply's data bytes</td>
 *       <td>the reply's IP TTL</td></tr>
 *   <tr><td>DESTINATION_UNREACHABLE, TIME_EXCEEDED</td><td>the host or router that sent the error</td>
 *       <td>request sent to error received</td><td>0</td><td>the error's IP TTL</td></tr>
 *   <tr><td>TIMEOUT</td><td>null</td><td>the time waited (at least the timeout)</td><td>0</td><td>0</td></tr>
 *   <tr><td>REFUSED</td><td>null</td><td>0</td><td>0</td><td>0</td></tr>
 * </table>
 * Times are measured with {@link System#nanoTime()} in the layer: from just before the echo request goes down
 * to IP until the answer has come up to ICMP.
 *
 * @param identifier the request's identifier
 * @param sequence   the request's sequence number
 * @param status     what came of the request
 * @param from       who answered, or null (see the table)
 * @param rttNanos   round-trip time in nanoseconds (see the table)
 * @param dataLength bytes of echo data in the reply
 * @param ttl        the IP time to live of the answer as it arrived
 * @param detail     for people: "echo reply", "port unreachable", "no reply within PT0.1S", "1024 pings
 *                   outstanding", ...; never null
 */
public record PingResult(int identifier, int sequence, Status status, Ipv4Address from, long rttNanos,
                         int dataLength, int ttl, String detail) {

    /** What came of a ping. */
    public enum Status {
        /** An echo reply arrived. */
        REPLY,
        /** No reply nor error arrived before the timeout. */
        TIMEOUT,
        /** A Destination Unreachable quoting the echo request arrived; {@code detail} names the code. */
        DESTINATION_UNREACHABLE,
        /** A Time Exceeded quoting the echo request arrived (TTL ran out, or reassembly timed out). */
        TIME_EXCEEDED,
        /** The layer did not send the request: too many pings outstanding, or the same one outstanding. */
        REFUSED
    }

    /** True for {@link Status#REPLY}. */
    public boolean isReply() {
        return status == Status.REPLY;
    }
}
