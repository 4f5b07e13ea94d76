package org.cspstack.protocols.services;

import java.net.BindException;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.protocols.tcp.ConnRequest;
import org.cspstack.protocols.tcp.Tcp;
import org.cspstack.protocols.tcp.TcpConnectionHandle;
import org.jcsp.lang.CSProcess;

/**
 * One of the classic services on TCP: a listener process that accepts connections and starts a process per
 * connection (on the fly, on virtual threads where the JDK has them), which serves it as the RFC says:
 * echo (RFC 862) writes back what it reads until the peer's FIN, then closes; discard (RFC 863) reads until
 * FIN; chargen (RFC 864) writes the rotating 72-column pattern until the peer goes away.
 *
 * <p><b>Termination.</b> The listener waits in Accept forever; when the stack shuts down its request fails and
 * it returns. Connection processes end with their connection.
 */
public final class TcpService implements CSProcess {
    private final Service service;
    private final Tcp tcp;
    private final ProcessNetwork network;
    private final String prefix;
    private final ServiceCounters counters;
    private long served;

    public TcpService(Service service, Tcp tcp, ProcessNetwork network, String prefix, ServiceCounters counters) {
        this.service = service;
        this.tcp = tcp;
        this.network = network;
        this.prefix = prefix;
        this.counters = counters;
    }

    @Override
    public void run() {
        try {
            tcp.listen(service.port(), 128);
        } catch (BindException e) {
            throw new IllegalStateException("TCP " + service.label() + " cannot start: " + e.getMessage(), e);
        } catch (IllegalStateException stackGone) {
            return;
        }
        while (true) {
            TcpConnectionHandle c;
            try {
                c = tcp.accept(service.port(), null);
            } catch (IllegalStateException | java.io.IOException stackGoneOrStopped) {
                return;
            }
            String name = prefix + "tcp-" + service.label() + "#" + (++served);
            if (!network.spawn(name, "tcp-service", () -> serve(c), true)) {
                c.abort();
                return;
            }
        }
    }

    /** One connection; runs in a process of its own. Counters are updated from many processes: gauges only. */
    private void serve(TcpConnectionHandle c) {
        try {
            switch (service) {
                case ECHO -> {
                    byte[] buf = new byte[65_536]; // lent to the connection for each read, then to it for the write
                    while (true) {
                        ConnRequest.ReadResult r = c.read(buf, 0, buf.length);
                        if (r.data() == null) {
                            break;
                        }
                        if (!c.write(buf, 0, r.length())) {
                            break;
                        }
                    }
                }
                case DISCARD -> {
                    byte[] buf = new byte[65_536];
                    while (c.read(buf, 0, buf.length).data() != null) {
                        // thrown away, as RFC 863 says
                    }
                }
                case CHARGEN -> {
                    byte[] block = chargenBlock();
                    while (c.write(block, 0, block.length)) {
                        // until the peer goes away
                    }
                }
            }
            c.close();
        } catch (IllegalStateException ended) {
            // the connection's process has ended, or the stack
        }
    }

    /** 95 lines of the RFC 864 pattern: 72 printable characters and CR LF each; repeating it is the pattern. */
    static byte[] chargenBlock() {
        byte[] b = new byte[95 * 74];
        int at = 0;
        for (int line = 0; line < 95; line++) {
            for (int col = 0; col < 72; col++) {
                b[at++] = (byte) (' ' + (line + col) % 95);
            }
            b[at++] = '\r';
            b[at++] = '\n';
        }
        return b;
    }

    long served() {
        return served;
    }

    ServiceCounters counters() {
        return counters;
    }
}
