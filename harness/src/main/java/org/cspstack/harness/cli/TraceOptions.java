package org.cspstack.harness.cli;

import java.nio.file.Path;
import java.util.List;

import org.cspstack.harness.trace.ChannelWatch;
import picocli.CommandLine.Option;

/** {@code --trace FILE}, {@code --trace-limit N} and {@code --pcap-tap CHANNEL=FILE}, for {@code run} and {@code demo}. */
final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE", description = "write every channel communication to FILE as JSON "
            + "lines (t_us, channel, writer, reader, kind, dropped, thread, summary); for jq")
    Path trace;

    @Option(names = "--trace-limit", paramLabel = "LINES", defaultValue = "1000000",
            description = "stop the trace after this many lines, with a final note (default: ${DEFAULT-VALUE})")
    long traceLimit;

    @Option(names = "--pcap-tap", paramLabel = "CHANNEL=FILE", description = "write the packets crossing CHANNEL "
            + "(such as ipToIcmp or linkToEth; in the demo a.ipToIcmp) to a pcap file, for tcpdump -r; repeatable")
    List<String> pcapTaps = List.of();

    /** The trace and taps asked for; user errors for bad values. */
    ChannelWatch watch() {
        if (traceLimit < 1) {
            throw new Main.UserError("--trace-limit " + traceLimit + ": must be at least 1");
        }
        try {
            return ChannelWatch.of(trace, traceLimit, pcapTaps);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Main.UserError(e.getMessage());
        }
    }
}
