package org.cspstack.protocols.tcp;

import org.jcsp.lang.Channel;
import org.jcsp.lang.ChannelInput;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.lang.SharedChannelOutput;
import org.jcsp.util.Buffer;

/**
 * An established connection, CSP-native: its process's request channel ({@link #requests()}), on which a
 * process sends {@link ConnRequest}s with reply channels of its own and can wait for the answers in an
 * {@code Alternative}. The blocking helpers below make one request each; {@link TcpSocket} builds streams on
 * them. The request channel is poisoned when the connection's process ends: a request then fails with
 * IllegalStateException.
 */
public final class TcpConnectionHandle {
    private final SharedChannelOutput<ConnRequest> requests;
    private final Endpoint local;
    private final Endpoint remote;
    /**
     * The reply channels of {@link #write} and {@link #read}, one pair per calling thread, made on its first
     * request and reused: a blocking helper reads its answer before it returns, so nothing waits in them
     * between requests, and a stream that reads or writes in a loop makes no channel per call. A pair is only
     * ever poisoned when the connection's process ends, after which every request on this handle fails anyway.
     */
    private final ThreadLocal<ReplyChannels> replies = ThreadLocal.withInitial(ReplyChannels::new);

    private static final class ReplyChannels {
        // Their ends are taken once: JCSP makes a new end object at every in() and out().
        final One2OneChannel<Integer> written = Channel.one2one(new Buffer<>(1), 0);
        final ChannelInput<Integer> writtenIn = written.in();
        final One2OneChannel<ConnRequest.ReadResult> read = Channel.one2one(new Buffer<>(1), 0);
        final ChannelOutput<ConnRequest.ReadResult> readOut = read.out();
        final ChannelInput<ConnRequest.ReadResult> readIn = read.in();
        /** This thread's write request, aimed anew at each call and lent until answered, as its array is. */
        final ConnRequest.Write write = new ConnRequest.Write(new byte[0], 0, 0, written.out());
        /** The result every lent-array read of this thread comes back in. */
        final ConnRequest.ReadResult result = new ConnRequest.ReadResult(null, -1, null);
        /**
         * This thread's lent-array read, aimed anew at each call: the connection holds it only until it answers,
         * and this thread waits for that answer before it reads again.
         */
        ConnRequest.Read readInto;

        ConnRequest.Read readInto(byte[] into, int off, int len) {
            if (readInto == null) {
                readInto = new ConnRequest.Read(len, into, off, readOut, result);
                return readInto;
            }
            return readInto.aim(into, off, len);
        }
    }

    public TcpConnectionHandle(SharedChannelOutput<ConnRequest> requests, Endpoint local, Endpoint remote) {
        this.requests = requests;
        this.local = local;
        this.remote = remote;
    }

    public SharedChannelOutput<ConnRequest> requests() {
        return requests;
    }

    public Endpoint local() {
        return local;
    }

    public Endpoint remote() {
        return remote;
    }

    /** Blocks until all of {@code data[off, off+len)} is in the send buffer; false when the connection cannot send. */
    public boolean write(byte[] data, int off, int len) {
        ReplyChannels own = replies.get();
        try {
            return ask(own.write.aim(data, off, len), own.writtenIn) >= 0;
        } finally {
            own.write.forget(); // answered (or the connection has ended): the caller's array is its own again
        }
    }

    /** Blocks until data, the end of the stream or an error; the data comes in a new array. */
    public ConnRequest.ReadResult read(int max) {
        ReplyChannels own = replies.get();
        return ask(new ConnRequest.Read(max, own.readOut), own.readIn);
    }

    /**
     * Blocks until data, the end of the stream or an error; the bytes land in {@code into[off, off+len)} (lent to
     * the connection until this returns) and the result's {@code length} says how many (-1: none more). The
     * result is this thread's own, filled again by its next read on this handle (so that reading in a loop makes
     * no garbage): read what it says before reading again.
     */
    public ConnRequest.ReadResult read(byte[] into, int off, int len) {
        ReplyChannels own = replies.get();
        return ask(own.readInto(into, off, len), own.readIn);
    }

    public void shutdownOutput() {
        One2OneChannel<Boolean> reply = Channel.one2one(new Buffer<>(1), 0);
        ask(new ConnRequest.ShutdownOutput(reply.out()), reply.in());
    }

    /** Closes; never throws (a connection whose process has ended is closed already). */
    public void close() {
        One2OneChannel<Boolean> reply = Channel.one2one(new Buffer<>(1), 0);
        try {
            ask(new ConnRequest.Close(reply.out()), reply.in());
        } catch (IllegalStateException ended) {
            // already gone
        }
    }

    public void abort() {
        One2OneChannel<Boolean> reply = Channel.one2one(new Buffer<>(1), 0);
        try {
            ask(new ConnRequest.Abort(reply.out()), reply.in());
        } catch (IllegalStateException ended) {
            // already gone
        }
    }

    private <T> T ask(ConnRequest request, ChannelInput<T> reply) {
        try {
            requests.write(request);
            return reply.read();
        } catch (PoisonException e) {
            throw new IllegalStateException("connection " + local + " - " + remote + " has ended", e);
        }
    }

    @Override
    public String toString() {
        return "TCP " + local + " - " + remote;
    }
}
