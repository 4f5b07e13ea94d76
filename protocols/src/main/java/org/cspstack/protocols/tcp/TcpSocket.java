package org.cspstack.protocols.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.cspstack.core.wire.Ipv4Address;

/**
 * The blocking face of a TCP connection, shaped like {@link java.net.Socket}: streams, {@code shutdownOutput},
 * {@code close}. Underneath, every read and write is one request to the connection's process.
 *
 * <pre>
 * try (TcpSocket s = TcpSocket.connect(stack.tcp(), Ipv4Address.parse("198.18.0.1"), 7, Duration.ofSeconds(3))) {
 *     s.getOutputStream().write("hello".getBytes());
 *     s.shutdownOutput();
 *     byte[] echo = s.getInputStream().readAllBytes();
 * }
 * </pre>
 */
public final class TcpSocket implements AutoCloseable {
    private final TcpConnectionHandle connection;
    private final InputStream in;
    private final OutputStream out;

    public TcpSocket(TcpConnectionHandle connection) {
        this.connection = connection;
        this.in = new In();
        this.out = new Out();
    }

    /** Connects with Nagle's algorithm on (the default, as on Linux). */
    public static TcpSocket connect(Tcp tcp, Ipv4Address address, int port, Duration timeout)
            throws ConnectException, SocketTimeoutException {
        return connect(tcp, address, port, timeout, true);
    }

    public static TcpSocket connect(Tcp tcp, Ipv4Address address, int port, Duration timeout, boolean nagle)
            throws ConnectException, SocketTimeoutException {
        return new TcpSocket(tcp.connect(address, port, timeout, nagle));
    }

    public TcpConnectionHandle connection() {
        return connection;
    }

    public Endpoint local() {
        return connection.local();
    }

    public Endpoint remote() {
        return connection.remote();
    }

    public InputStream getInputStream() {
        return in;
    }

    public OutputStream getOutputStream() {
        return out;
    }

    /** Sends FIN after what was written (half-close); reading goes on. */
    public void shutdownOutput() throws IOException {
        try {
            connection.shutdownOutput();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Resets the connection. */
    public void abort() {
        connection.abort();
    }

    private final class In extends InputStream {
        /** Reads of at least this many bytes go straight into the caller's array. */
        private static final int DIRECT_READ = 4096;
        /** For small reads: filled by the connection (lent), handed out from {@code at} to {@code end}. */
        private final byte[] buffer = new byte[16_384];
        private int at;
        private int end;
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (at == end) {
                if (eof) {
                    return -1;
                }
                if (len >= DIRECT_READ) {
                    // Large reads go straight into the caller's array (lent to the connection): one copy, no garbage.
                    ConnRequest.ReadResult r = ask(b, off, len);
                    return r == null ? -1 : r.length();
                }
                ConnRequest.ReadResult r = ask(buffer, 0, buffer.length);
                if (r == null) {
                    return -1;
                }
                at = 0;
                end = r.length();
            }
            int n = Math.min(len, end - at);
            System.arraycopy(buffer, at, b, off, n);
            at += n;
            return n;
        }

        /** One read request; null at the end of the stream. */
        private ConnRequest.ReadResult ask(byte[] into, int off, int len) throws IOException {
            ConnRequest.ReadResult r;
            try {
                r = connection.read(into, off, len);
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (r.error() != null) {
                throw new IOException(r.error());
            }
            if (r.data() == null) {
                eof = true;
                return null;
            }
            return r;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            boolean ok;
            try {
                // No copy: the connection process copies the bytes into its send buffer and answers only when
                // all of them are there (or refuses them, or is poisoned, after which it reads nothing more), and
                // this thread waits for that answer, so the array is the caller's again once write returns.
                ok = connection.write(b, off, len);
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (!ok) {
                throw new IOException("connection " + connection + " cannot send any more (closed or reset)");
            }
        }
    }
}
