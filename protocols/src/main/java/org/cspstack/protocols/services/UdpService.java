package org.cspstack.protocols.services;

import java.net.BindException;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.protocols.udp.Udp;
import org.cspstack.protocols.udp.UdpDatagram;
import org.cspstack.protocols.udp.UdpEndpoint;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.PoisonException;

/**
 * One of the classic services on UDP, as an application process of the network: it binds its port, then
 * reads datagrams from the socket's receive channel and answers each as its RFC says.
 *
 * <pre>
 *   udp --received (upward, drops when full)--&gt; [ udp-echo ] --send requests (shared, rendezvous)--&gt; udp
 * </pre>
 *
 * <ul>
 *   <li>echo (RFC 862): the same data back to the sender, in the same buffer (its headroom still has room for
 *       the headers);</li>
 *   <li>discard (RFC 863): nothing back;</li>
 *   <li>chargen (RFC 864): a datagram of 0 to 512 characters of the rotating 72-column pattern.</li>
 * </ul>
 * <b>Termination:</b> when the stack shuts down the layer poisons the socket's receive channel and the
 * process returns. It never poisons the layer's request channel: that channel is shared by every client and
 * belongs to the layer. A port already bound is a startup error: the process throws and the runner shuts
 * the network down with the reason.
 */
public final class UdpService implements CSProcess {
    /** RFC 864's printable characters, 95 of them, from which 72-character lines are cut. */
    private static final byte[] CHARS = new byte[95];

    static {
        for (int i = 0; i < CHARS.length; i++) {
            CHARS[i] = (byte) (' ' + i);
        }
    }

    private final Service service;
    private final Udp udp;
    private final ServiceCounters counters;
    private long chargenLine;
    private long chargenLengths = 0x2545F4914F6CDD1DL;

    public UdpService(Service service, Udp udp, ServiceCounters counters) {
        this.service = service;
        this.udp = udp;
        this.counters = counters;
    }

    @Override
    public void run() {
        UdpEndpoint endpoint;
        try {
            endpoint = udp.bind(service.port());
        } catch (BindException e) {
            throw new IllegalStateException("UDP " + service.label() + " cannot start: " + e.getMessage(), e);
        } catch (IllegalStateException stackGone) {
            return;
        }
        try {
            while (true) {
                Batch<UdpDatagram> batch = endpoint.received().read();
                for (UdpDatagram d : batch) {
                    answer(endpoint, d);
                }
                batch.recycle(); // handled: the writer reuses it
            }
        } catch (PoisonException e) {
            // The port was closed or the stack is shutting down.
        }
    }

    private void answer(UdpEndpoint endpoint, UdpDatagram d) {
        counters.received.increment();
        counters.bytesReceived.add(d.payload().length());
        PacketBuffer answer = switch (service) {
            case ECHO -> d.payload();
            case CHARGEN -> chargen();
            case DISCARD -> null;
        };
        if (answer != null) {
            counters.sent.increment();
            counters.bytesSent.add(answer.length());
            endpoint.send(d.source(), d.sourcePort(), answer);
        }
        if (answer != d.payload()) {
            d.payload().release(); // counted (discard) or answered with other bytes (chargen): the last owner
        }
    }

    /** The next chargen datagram: a pseudo-random length in 0..512, lines of 72 characters and CR LF. */
    private PacketBuffer chargen() {
        chargenLengths ^= chargenLengths << 13;
        chargenLengths ^= chargenLengths >>> 7;
        chargenLengths ^= chargenLengths << 17;
        int length = (int) Math.floorMod(chargenLengths, 513L);
        PacketBuffer buf = PacketBuffer.allocate(length);
        byte[] b = buf.array();
        int at = buf.start();
        int col = 0;
        long line = chargenLine++;
        for (int i = 0; i < length; i++) {
            if (col == 72) {
                b[at + i] = '\r';
                col++;
            } else if (col == 73) {
                b[at + i] = '\n';
                col = 0;
                line++;
            } else {
                b[at + i] = CHARS[(int) ((line + col) % CHARS.length)];
                col++;
            }
        }
        return buf;
    }
}
