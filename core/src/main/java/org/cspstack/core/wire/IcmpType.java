package org.cspstack.core.wire;

/**
 * ICMP message types and codes (RFC 792; fragmentation needed with next-hop MTU from RFC 1191). Codes are
 * named after their type, since each type numbers its codes from 0.
 */
public final class IcmpType {

    /** Echo reply (code 0). */
    public static final int ECHO_REPLY = 0;
    /** Destination unreachable; codes {@code UNREACHABLE_*}. */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** Echo request (code 0). */
    public static final int ECHO_REQUEST = 8;
    /** Time exceeded; codes {@code TIME_EXCEEDED_*}. */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter problem (pointer in byte 4). */
    public static final int PARAMETER_PROBLEM = 12;

    /** Destination unreachable code: net unreachable. */
    public static final int UNREACHABLE_NET = 0;
    /** Destination unreachable code: host unreachable. */
    public static final int UNREACHABLE_HOST = 1;
    /** Destination unreachable code: protocol unreachable. */
    public static final int UNREACHABLE_PROTOCOL = 2;
    /** Destination unreachable code: port unreachable. */
    public static final int UNREACHABLE_PORT = 3;
    /** Destination unreachable code: fragmentation needed and DF set (next-hop MTU in bytes 6-7). */
    public static final int UNREACHABLE_FRAGMENTATION_NEEDED = 4;
    /** The largest destination unreachable code assigned (15, precedence cutoff in effect; RFC 1812). */
    public static final int UNREACHABLE_MAX_CODE = 15;

    /** Time exceeded code: time to live exceeded in transit. */
    public static final int TIME_EXCEEDED_TTL = 0;
    /** Time exceeded code: fragment reassembly time exceeded. */
    public static final int TIME_EXCEEDED_REASSEMBLY = 1;

    private IcmpType() {
    }

    /** A short name for logs, e.g. "echo request", or "type N" for others. */
    public static String name(int type) {
        return switch (type) {
            case ECHO_REPLY -> "echo reply";
            case DESTINATION_UNREACHABLE -> "destination unreachable";
            case ECHO_REQUEST -> "echo request";
            case TIME_EXCEEDED -> "time exceeded";
            case PARAMETER_PROBLEM -> "parameter problem";
            default -> "type " + type;
        };
    }
}
