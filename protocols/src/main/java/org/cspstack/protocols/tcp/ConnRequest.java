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
     * A final class rather than a record for the reason {@link Read} gives: a client keeps one per thread.
     */
    final class Write implements ConnRequest {
        private static final byte[] NOTHING = new byte[0];

        private final ChannelOutput<Integer> replyTo;
        private byte[] data;
        private int off;
        private int len;
        /** {@code len} boxed, kept while it repeats: the answer of a loop writing same-sized chunks. */
        private Integer answer;

        public Write(byte[] data, int off, int len, ChannelOutput<Integer> replyTo) {
            this.replyTo = replyTo;
            aim(data, off, len);
        }

        /**
         * By the client that keeps this request (one per thread, as {@link Read}), between an answer and its
         * next request: the next write sends {@code data[off, off+len)}.
         */
        Write aim(byte[] data, int off, int len) {
            if (off < 0 || len < 0 || off > data.length - len) {
                throw new IndexOutOfBoundsException("write of " + len + " bytes at " + off + " from an array of "
                        + data.length);
            }
            this.data = data;
            this.off = off;
            this.len = len;
            if (answer == null || answer != len) {
                answer = len;
            }
            return this;
        }

        /** By the client once answered: the request no longer holds on to the client's array. */
        void forget() {
            this.data = NOTHING;
            this.off = 0;
            this.len = 0;
        }

        /** The answer once all of it is in the send buffer: {@code len}. */
        Integer done() {
            return answer;
        }

        public byte[] data() {
            return data;
        }

        public int off() {
            return off;
        }

        public int len() {
            return len;
        }

        public ChannelOutput<Integer> replyTo() {
            return replyTo;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && w.data == data && w.off == off && w.len == len && w.replyTo == replyTo;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(System.identityHashCode(data), off, len, System.identityHashCode(replyTo));
        }

        @Override
        public String toString() {
            return "Write[" + len + " bytes at " + off + "]";
        }
    }

    /**
     * Up to {@code max} bytes, answered as soon as at least one byte, the end of the stream, or an error is there.
     * With {@code into} null the answer brings a new array of the bytes; otherwise they are copied into
     * {@code into[off, off+max)}, which is lent as a Write's array is: the process writes it only until it
     * answers, and the answer's {@code data} is {@code into} itself (no garbage per read, one copy). With
     * {@code result} given (the client's own, kept from read to read) the process fills it and answers with it
     * instead of a new ReadResult: a client reading in a loop then makes nothing per read.
     *
     * <p>A final class rather than a record so that a client can keep one Read per thread and aim it at the
     * next place of its array ({@link #aim}): the request itself is then lent as its array is (the client
     * changes it only between an answer and its next request), and reading at moving offsets makes nothing
     * either. Equal by its components, like the other requests.
     */
    final class Read implements ConnRequest {
        private final ChannelOutput<ReadResult> replyTo;
        private final ReadResult result;
        private int max;
        private byte[] into;
        private int off;

        public Read(int max, byte[] into, int off, ChannelOutput<ReadResult> replyTo, ReadResult result) {
            this.replyTo = replyTo;
            this.result = result;
            aim(into, off, max);
        }

        /** A read into {@code into} (or a new array when null), answered with a new {@link ReadResult}. */
        public Read(int max, byte[] into, int off, ChannelOutput<ReadResult> replyTo) {
            this(max, into, off, replyTo, null);
        }

        /** A read answered with a new array. */
        public Read(int max, ChannelOutput<ReadResult> replyTo) {
            this(max, null, 0, replyTo, null);
        }

        /**
         * By the client that keeps this request, between an answer and its next request: the next read goes
         * into {@code into[off, off+max)}.
         */
        Read aim(byte[] into, int off, int max) {
            if (into != null && (off < 0 || max < 0 || off > into.length - max)) {
                throw new IndexOutOfBoundsException("read of " + max + " bytes at " + off + " into an array of "
                        + into.length);
            }
            this.into = into;
            this.off = off;
            this.max = max;
            return this;
        }

        public int max() {
            return max;
        }

        public byte[] into() {
            return into;
        }

        public int off() {
            return off;
        }

        public ChannelOutput<ReadResult> replyTo() {
            return replyTo;
        }

        public ReadResult result() {
            return result;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Read r && r.max == max && r.into == into && r.off == off && r.replyTo == replyTo
                    && r.result == result;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(max, System.identityHashCode(into), off, System.identityHashCode(replyTo),
                    System.identityHashCode(result));
        }

        @Override
        public String toString() {
            return "Read[max=" + max + (into == null ? ", new array" : ", into " + into.length + " bytes at " + off)
                    + "]";
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
