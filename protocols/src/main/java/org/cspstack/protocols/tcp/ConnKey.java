package org.cspstack.protocols.tcp;

/** What identifies a connection at this host: our port, the remote address and port. */
public record ConnKey(int localPort, int remoteAddress, int remotePort) {
}
