package org.cspstack.harness.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cspstack.core.csp.ChannelObserver;
import org.cspstack.core.csp.ChannelSpec;

/**
 * {@code --trace FILE}: every communication of every channel as one JSON line,
 * <pre>
 * {"t_us":1532,"channel":"a.ipToIcmp","writer":"a.ip","reader":"a.icmp","kind":"upward_dropping",
 *  "dropped":false,"thread":"a.ip","summary":"198.18.0.2 > 198.18.0.1 ICMP echo reply id 32343 seq 1, ..."}
 * </pre>
 * {@code t_us} is microseconds since the trace began; {@code writer} and {@code reader} are the channel's ends
 * as wired (for a shared channel a pattern such as {@code a.tcp:*}; {@code thread} then names the process that
 * wrote). After {@code limit} lines it writes one last line, {@code {"note":"trace limit ... reached"}}, and
 * nothing more, so a long run cannot fill the disk.
 *
 * <p>Lines are made on the writer's thread (outside the lock) and appended under the lock through a buffer;
 * {@link #close()} flushes. An I/O error stops the trace (the stack goes on) and is reported by
 * {@link #close()}.
 */
public final class TraceWriter implements ChannelObserver, AutoCloseable {
    /** Lines written when no limit is given. */
    public static final long DEFAULT_LIMIT = 1_000_000;

    private final Path path;
    private final long limit;
    private final long t0 = System.nanoTime();
    private final Writer out;
    private long lines;
    private boolean full;
    private boolean closed;
    private IOException failure;

    public TraceWriter(Path path, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("trace limit must be at least 1 line, not " + limit);
        }
        this.path = path;
        this.limit = limit;
        try {
            this.out = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create trace file " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void written(ChannelSpec channel, Object message, boolean dropped) {
        long micros = (System.nanoTime() - t0) / 1000;
        StringBuilder sb = new StringBuilder(200);
        sb.append("{\"t_us\":").append(micros);
        field(sb, "channel", channel.name());
        field(sb, "writer", channel.writer());
        field(sb, "reader", channel.reader());
        field(sb, "kind", channel.kind().name().toLowerCase());
        sb.append(",\"dropped\":").append(dropped);
        field(sb, "thread", Thread.currentThread().getName());
        field(sb, "summary", Messages.summary(channel, message));
        sb.append("}\n");
        append(sb);
    }

    private synchronized void append(CharSequence line) {
        if (closed || full || failure != null) {
            return;
        }
        try {
            if (lines >= limit) {
                full = true;
                out.write("{\"note\":\"trace limit of " + limit + " lines reached; later communications are not "
                        + "written\"}\n");
                return;
            }
            out.append(line);
            lines++;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Lines of communications written so far (the final note not counted). */
    public synchronized long lines() {
        return lines;
    }

    /** True when the limit was reached and later communications were left out. */
    public synchronized boolean truncated() {
        return full;
    }

    public Path path() {
        return path;
    }

    /** Flushes and closes the file; throws when writing failed at any point. Closing again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("cannot write trace file " + path + ": " + failure.getMessage(), failure);
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":");
        quote(sb, value);
    }

    /**
     * Appends {@code s} as a JSON string (RFC 8259: quote, backslash and control characters escaped; a lone
     * surrogate becomes U+FFFD).
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        sb.append('\ufffd');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A lone surrogate has no UTF-8 form (and jq refuses its escape): it is written as U+FFFD instead. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
