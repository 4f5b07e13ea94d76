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
     * With {@code into} null the answer brings a new array of the bytes; otherwise they are copied into
     * {@code into[off, off+max)}, which is lent as a Write's array is: the process writes it only until it
     * answers, and the answer's {@code data} is {@code into} itself (no garbage per read, one copy). With
     * {@code result} given (the client's own, kept from read to read) the process fills it and answers with it
     * instead of a new ReadResult: a client reading in a loop then makes nothing per read.
     */
    record Read(int max, byte[] into, int off, ChannelOutput<ReadResult> replyTo, ReadResult result)
            implements ConnRequest {
        public Read {
            if (into != null && (off < 0 || max < 0 || off > into.length - max)) {
                throw new IndexOutOfBoundsException("read of " + max + " bytes at " + off + " into an array of "
                        + into.length);
            }
        }

        /** A read into {@code into} (or a new array when null), answered with a new {@link ReadResult}. */
        public Read(int max, byte[] into, int off, ChannelOutput<ReadResult> replyTo) {
            this(max, into, off, replyTo, null);
        }

        /** A read answered with a new array. */
        public Read(int max, ChannelOutput<ReadResult> replyTo) {
            this(max, null, 0, replyTo, null);
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
     * The bytes of a {@link Read}: {@code length} bytes of {@code data} (from the read's {@code off} when it lent
     * an array, else from 0); {@code data} null and {@code length} -1 at the end of the stream or on failure,
     * when {@code error} says why. A result that came back in a {@link Read}'s own {@code result} is the
     * client's and changes with its next such read.
     */
    final class ReadResult {
        private byte[] data;
        private int length;
        private String error;

        public ReadResult(byte[] data, int length, String error) {
            fill(data, length, error);
        }

        /** The answer to a read that asked for a new array: all of {@code data}. */
        public ReadResult(byte[] data, String error) {
            this(data, data == null ? -1 : data.length, error);
        }

        /** By the connection's process, for a {@link Read} that brought its own result. */
        ReadResult fill(byte[] data, int length, String error) {
            this.data = data;
            this.length = length;
            this.error = error;
            return this;
        }

        public byte[] data() {
            return data;
        }

        public int length() {
            return length;
        }

        public String error() {
            return error;
        }

        public boolean endOfStream() {
            return data == null && error == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ReadResult r && r.data == data && r.length == length
                    && java.util.Objects.equals(r.error, error);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(System.identityHashCode(data), length, error);
        }

        @Override
        public String toString() {
            return "ReadResult[" + (data == null ? "no data" : length + " bytes") + (error == null ? "" : ", " + error)
                    + "]";
        }
    }
}
