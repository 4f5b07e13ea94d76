package org.cspstack.core.link;

import java.nio.file.Path;

import org.cspstack.core.buffer.PacketBuffer;

/**
 * A {@link FrameObserver} that writes every frame it sees to a pcap file ({@code tcpdump -r}, Wireshark).
 * Safe to share between the receive and transmit sides: writes are serialised.
 */
public final class PcapTap implements FrameObserver, AutoCloseable {
    private final PcapFileWriter writer;
    private long frames;

    public PcapTap(Path path) {
        this.writer = PcapFileWriter.open(path);
    }

    @Override
    public synchronized void frame(String from, String to, PacketBuffer frame) {
        long now = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        writer.write(now, frame);
        frames++;
    }

    public synchronized long frames() {
        return frames;
    }

    public Path path() {
        return writer.path();
    }

    @Override
    public synchronized void close() {
        writer.close();
    }
}
