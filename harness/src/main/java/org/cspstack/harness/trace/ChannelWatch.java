package org.cspstack.harness.trace;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cspstack.core.csp.ChannelObserver;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.ProcessNetwork;

/**
 * The {@code --trace} and {@code --pcap-tap} of a command, together: give {@link #observer()} to the network
 * before building the stack, {@link #open} the taps once it is built, {@link #close()} at exit and print
 * {@link #report()}.
 */
public final class ChannelWatch implements AutoCloseable {
    private final TraceWriter trace;
    private final ChannelPcapTaps taps;

    private ChannelWatch(TraceWriter trace, ChannelPcapTaps taps) {
        this.trace = trace;
        this.taps = taps;
    }

    /**
     * From the options ({@code trace} may be null, {@code pcapTaps} empty). Throws IllegalArgumentException
     * for a malformed tap option or a limit below 1, UncheckedIOException when the trace file cannot be made.
     */
    public static ChannelWatch of(Path trace, long traceLimit, List<String> pcapTaps) {
        ChannelPcapTaps taps = ChannelPcapTaps.parse(pcapTaps == null ? List.of() : pcapTaps);
        TraceWriter writer = trace == null ? null : new TraceWriter(trace, traceLimit);
        return new ChannelWatch(writer, taps);
    }

    /** True when there is nothing to watch (no trace, no taps): the network then gets no observer. */
    public boolean isEmpty() {
        return trace == null && taps.isEmpty();
    }

    /** The observer to give the network, or null when there is nothing to watch. */
    public ChannelObserver observer() {
        return ChannelObserver.both(trace, taps.isEmpty() ? null : taps);
    }

    /** Gives the network the observer (when there is one): before any channel is made. */
    public void observe(ProcessNetwork net) {
        ChannelObserver o = observer();
        if (o != null) {
            net.observe(o);
        }
    }

    /** Checks the tapped channels against the built network's and creates the pcap files. */
    public void open(List<ChannelSpec> channels) {
        if (!taps.isEmpty()) {
            taps.open(channels);
        }
    }

    public TraceWriter trace() {
        return trace;
    }

    public ChannelPcapTaps taps() {
        return taps;
    }

    /** What was written where, one line each. */
    public List<String> report() {
        List<String> lines = new ArrayList<>(taps.report());
        if (trace != null) {
            lines.add("trace: " + trace.lines() + " communications written to " + trace.path()
                    + (trace.truncated() ? " (limit reached: the rest left out)" : ""));
        }
        return lines;
    }

    /** Flushes and closes every file; throws the first error any of them had. */
    @Override
    public void close() {
        RuntimeException first = null;
        try {
            taps.close();
        } catch (RuntimeException e) {
            first = e;
        }
        if (trace != null) {
            try {
                trace.close();
            } catch (UncheckedIOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
