package org.cspstack.protocols.tcp;

/**
 * What identifies a connection at this host: our port, the remote address and port. Keys made with the
 * constructor never change, and they are the only ones stored (in the layer's maps, in events).
 *
 * <p>The one exception is the TCP layer's lookup probe ({@link #probe()}): a key that the layer's thread refills
 * ({@link #set}) for every arriving segment, so that finding the segment's connection makes no key. A probe is
 * only ever passed to a lookup ({@code get}, {@code containsKey}), never stored, and never leaves the layer's
 * thread. Equality and hash are over the three numbers, so a probe finds the stored key equal to it.
 */
public final class ConnKey {
    private int localPort;
    private int remoteAddress;
    private int remotePort;
    private final boolean probe;

    public ConnKey(int localPort, int remoteAddress, int remotePort) {
        this(localPort, remoteAddress, remotePort, false);
    }

    private ConnKey(int localPort, int remoteAddress, int remotePort, boolean probe) {
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.probe = probe;
    }

    /** A key to refill for lookups only (see the class comment). */
    static ConnKey probe() {
        return new ConnKey(0, 0, 0, true);
    }

    /**
     * Makes this probe the key of another connection, for a lookup; only a {@link #probe()} changes.
     *
     * @throws IllegalStateException on a key made by the constructor
     */
    ConnKey set(int localPort, int remoteAddress, int remotePort) {
        if (!probe) {
            throw new IllegalStateException("only a lookup probe changes; " + this + " is a stored key");
        }
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        return this;
    }

    public int localPort() {
        return localPort;
    }

    /** The remote IPv4 address as an int ({@link org.cspstack.core.wire.Ipv4Address#toInt()}). */
    public int remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnKey k && k.localPort == localPort && k.remoteAddress == remoteAddress
                && k.remotePort == remotePort;
    }

    @Override
    public int hashCode() {
        return (localPort * 31 + remoteAddress) * 31 + remotePort;
    }

    @Override
    public String toString() {
        return "ConnKey[localPort=" + localPort + ", remoteAddress=" + remoteAddress + ", remotePort=" + remotePort
                + "]";
    }
}
