package org.cspstack.protocols.tcp;

import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** The blocking face of a listening port, shaped like {@link java.net.ServerSocket}. */
public final class TcpServerSocket implements AutoCloseable {
    private final Tcp tcp;
    private final int port;

    private TcpServerSocket(Tcp tcp, int port) {
        this.tcp = tcp;
        this.port = port;
    }

    public static TcpServerSocket bind(Tcp tcp, int port, int backlog) throws BindException {
        tcp.listen(port, backlog);
        return new TcpServerSocket(tcp, port);
    }

    public int port() {
        return port;
    }

    public TcpSocket accept() throws ConnectException, SocketTimeoutException {
        return new TcpSocket(tcp.accept(port, null));
    }

    /** Waits at most {@code timeout}; SocketTimeoutException when nobody connected. */
    public TcpSocket accept(Duration timeout) throws ConnectException, SocketTimeoutException {
        return new TcpSocket(tcp.accept(port, timeout));
    }

    @Override
    public void close() {
        tcp.unlisten(port);
    }
}
