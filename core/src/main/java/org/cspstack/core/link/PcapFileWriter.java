package org.cspstack.core.link;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.cspstack.core.buffer.PacketBuffer;

/**
 * Writes Ethernet frames (or, with {@link #LINKTYPE_RAW}, bare IPv4 packets) to a classic libpcap capture file
 * that Wireshark and {@code tcpdump -r} read.
 *
 * <pre>
 *   global header (24 bytes, little-endian as written on x86 by libpcap):
 *     magic 0xa1b2c3d4 | major 2 | minor 4 | thiszone 0 | sigfigs 0 | snaplen 262144 | linktype 1 (Ethernet)
 *                                                                      or 101 (raw IP: packets start at the IP header)
 *   per frame (16 bytes + the captured bytes):
 *     ts_sec | ts_usec | incl_len (captured, at most snaplen) | orig_len (on the wire)
 * </pre>
 *
 * Timestamps have microsecond resolution (the magic number says so); nanoseconds are truncated. Frames longer than
 * the snap length are cut to it, and {@code orig_len} keeps the real length, as libpcap does.
 *
 * <p><b>Thread confinement.</b> An instance is not thread-safe: one thread (one process) owns it and makes all the
 * calls. Processes that want to record into the same file send their frames to the owning process over a channel.
 *
 * <p><b>Buffering.</b> Output goes through a 64 KiB buffer; a frame may sit there until {@link #flush()} or
 * {@link #close()}. I/O errors surface as {@link UncheckedIOException} naming the file.
 */
public final class PcapFileWriter implements AutoCloseable {

    public static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAP_LENGTH = 262_144;
    public static final int LINKTYPE_ETHERNET = 1;
    /** Raw IP: each packet starts at its IPv4 (or IPv6) header, no link header (tcpdump: "RAW"). */
    public static final int LINKTYPE_RAW = 101;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final int OUTPUT_BUFFER = 64 * 1024;
    /** Seconds are an unsigned 32-bit field: the format ends early in 2106. */
    private static final long MAX_SECONDS = 0xffff_ffffL;

    private final Path path;
    private final int linkType;
    private final OutputStream out;
    private final byte[] header = new byte[GLOBAL_HEADER_LENGTH];
    private boolean closed;

    /** Creates (or truncates) {@code path} and writes the global header, for Ethernet frames. */
    public PcapFileWriter(Path path) {
        this(path, LINKTYPE_ETHERNET);
    }

    /**
     * Creates (or truncates) {@code path} and writes the global header with {@code linkType}
     * ({@link #LINKTYPE_ETHERNET} or {@link #LINKTYPE_RAW}; any libpcap LINKTYPE_ value is written as given).
     */
    public PcapFileWriter(Path path, int linkType) {
        this.path = Objects.requireNonNull(path, "path");
        if (linkType < 0) {
            throw new IllegalArgumentException("pcap link type must not be negative: " + linkType);
        }
        this.linkType = linkType;
        OutputStream o;
        try {
            o = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), OUTPUT_BUFFER);
        } catch (IOException e) {
            throw failure("cannot create", e);
        }
        this.out = o;
        putInt(header, 0, MAGIC_MICROSECONDS);
        putShort(header, 4, VERSION_MAJOR);
        putShort(header, 6, VERSION_MINOR);
        putInt(header, 8, 0);               // thiszone: timestamps are UTC
        putInt(header, 12, 0);              // sigfigs
        putInt(header, 16, SNAP_LENGTH);
        putInt(header, 20, linkType);
        try {
            out.write(header, 0, GLOBAL_HEADER_LENGTH);
        } catch (IOException e) {
            closeQuietly();
            throw failure("cannot write the header of", e);
        }
    }

    /** Same as the constructor. */
    public static PcapFileWriter open(Path path) {
        return new PcapFileWriter(path);
    }

    /** Same as the constructor with a link type. */
    public static PcapFileWriter open(Path path, int linkType) {
        return new PcapFileWriter(path, linkType);
    }

    public Path path() {
        return path;
    }

    public int linkType() {
        return linkType;
    }

    /**
     * Appends one frame, {@code b[off, off + len)}, destination MAC first and without FCS (for
     * {@link #LINKTYPE_RAW}: IP header first), captured at
     * {@code epochNanos} nanoseconds since 1970-01-01 UTC.
     */
    public void write(long epochNanos, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IllegalStateException("pcap file " + path + " is closed");
        }
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        if (seconds < 0 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("timestamp " + epochNanos + " ns is outside the pcap format's range"
                    + " (1970 to 2106) for " + path);
        }
        int micros = (int) (Math.floorMod(epochNanos, 1_000_000_000L) / 1000);
        int captured = Math.min(len, SNAP_LENGTH);
        putInt(header, 0, (int) seconds);
        putInt(header, 4, micros);
        putInt(header, 8, captured);
        putInt(header, 12, len);
        try {
            out.write(header, 0, RECORD_HEADER_LENGTH);
            out.write(b, off, captured);
        } catch (IOException e) {
            throw failure("cannot write a frame to", e);
        }
    }

    /** Appends the packet bytes of {@code buf} (from {@code start} to {@code end}); the buffer is not changed. */
    public void write(long epochNanos, PacketBuffer buf) {
        write(epochNanos, buf.array(), buf.start(), buf.length());
    }

    /** Pushes buffered frames to the file (readers such as {@code tcpdump -r} then see them). */
    public void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw failure("cannot flush", e);
        }
    }

    /** Flushes and closes the file; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw failure("cannot close", e);
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        }
    }

    private UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException(what + " pcap file " + path + ": " + e, e);
    }

    private static void putShort(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
    }

    private static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }
}
