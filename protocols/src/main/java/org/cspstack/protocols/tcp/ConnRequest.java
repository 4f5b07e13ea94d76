package org.cspstack.protocols.tcp;

import org.jcsp.lang.ChannelOutput;

/**
 * What an application asks of one connection's process, on that connection's request channel. Each request is
 * answered exactly once on the client's own (capacity-1) reply channel; {@link Write} and {@link Read} are
 * answered when they can be (back-pressure and waiting for data), the others at once.
 */
public sealed interface ConnRequest {

    /**
     * Queue {@code data[off, off+len)} for sending; answered with {@code len} once all of it is in the send
     * buffer, or -1 when the connection can no longer send (reset, closed, shut down). The array is lent, not
     * given: the process reads it only until it answers (or is poisoned), and the client waits for the answer.
     */
    record Write(byte[] data, int off, int len, ChannelOutput<Integer> replyTo) implements ConnRequest {
    }

    /**
     * Up to {@code max} bytes, answered as soon as at least one byte, the end of the stream, or an error is there.
     * Without {@code into} the answer carries a new array of exactly the bytes read. With {@code into} the bytes
     * are copied to {@code into[off, off+max)} and the answer carries {@code into} itself and their number: the
     * array is lent, as a {@link Write}'s is (the process writes it only until it answers or is poisoned), so a
     * client that reuses one array reads without garbage.
     */
    record Read(int max, byte[] into, int off, ChannelOutput<ReadResult> replyTo) implements ConnRequest {
        public Read {
            if (into != null && (off < 0 || max < 0 || off + max > into.length)) {
                throw new IndexOutOfBoundsException("cannot read " + max + " bytes into [" + off + ", ...) of "
                        + into.length);
            }
        }

        /** A read answered with a new array. */
        public Read(int max, ChannelOutput<ReadResult> replyTo) {
            this(max, null, 0, replyTo);
        }
    }

    /** Send FIN after the queued data (half-close); answered at once. */
    record ShutdownOutput(ChannelOutput<Boolean> replyTo) implements ConnRequest {
    }

    /**
     * Close: FIN after the queued data (RST if received data was left unread); answered at once. The process
     * finishes the closing handshake and TIME_WAIT on its own.
     */
    record Close(ChannelOutput<Boolean> replyTo) implements ConnRequest {
    }

    /** Reset the connection now; answered at once. */
    record Abort(ChannelOutput<Boolean> replyTo) implements ConnRequest {
    }

    /**
     * The bytes of a {@link Read}: {@code data[0, length)} for a new array, or the lent array with {@code length}
     * bytes at the read's offset; {@code data} null at the end of the stream; {@code error} set on failure.
     */
    record ReadResult(byte[] data, String error, int length) {
        /** A new array of exactly the bytes read, or no data. */
        public ReadResult(byte[] data, String error) {
            this(data, error, data == null ? 0 : data.length);
        }

        public boolean endOfStream() {
            return data == null && error == null;
        }
    }
}
