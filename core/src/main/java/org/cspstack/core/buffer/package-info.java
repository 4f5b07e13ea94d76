/**
 * Packet buffers with headroom, and the pool they go back to: ownership of a buffer passes with a channel
 * write, and the last owner (the link transmitter, the TCP connection that copied the payload, the layer that
 * drops the packet) releases it to its {@link org.cspstack.core.buffer.BufferPool}.
 */
package org.cspstack.core.buffer;
