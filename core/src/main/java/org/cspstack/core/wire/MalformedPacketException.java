package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A received packet that cannot be accepted, with a machine-readable {@link Reason} that a layer can count
 * ("malformed: bad checksum") and a message for logs that names the field and the value.
 *
 * <p>This is thrown for hostile or broken input on the hot path, so it is cheap: it records no stack trace
 * (the throw site is always a {@code wrapChecked} or {@code parse} method, which the reason and message
 * already identify).
 */
public class MalformedPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a packet was rejected. */
    public enum Reason {
        /** Fewer bytes than the format's fixed part (or than a length field promises). */
        TRUNCATED,
        /** A version field other than the one this format handles (e.g. IPv4 version != 4). */
        BAD_VERSION,
        /** A header-length field that is too small or points past the end of the data. */
        BAD_HEADER_LENGTH,
        /** An IPv4 total length that is smaller than the header or larger than the data. */
        BAD_TOTAL_LENGTH,
        /** Some other length field that does not fit (e.g. a UDP length). */
        BAD_LENGTH,
        /** The checksum does not match the data. */
        BAD_CHECKSUM,
        /** Well-formed but not handled: another hardware type, operation, message type, ... */
        UNSUPPORTED
    }

    private final Reason reason;

    /**
     * @param reason  why the packet was rejected
     * @param message what exactly was wrong, naming the field and value; prefixed with the reason
     */
    public MalformedPacketException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message);
        this.reason = reason;
    }

    /** Why the packet was rejected. */
    public Reason reason() {
        return reason;
    }

    /** Records no stack trace: this exception is control flow for bad input, not a bug report. */
    @Override
    public Throwable fillInStackTrace() {
        return this;
    }
}
