/** Packet buffers with headroom; ownership of a buffer passes with a channel write. */
package org.cspstack.core.buffer;
