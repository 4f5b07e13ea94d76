package org.cspstack.harness.trace;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cspstack.core.csp.ChannelKind;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.ChannelStats;
import org.cspstack.core.csp.Summarizable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterTest {
    @TempDir
    Path dir;

    static ChannelSpec channel(String name, String writer, String reader) {
        return new ChannelSpec(name, writer, reader, ChannelKind.UPWARD_DROPPING, 4, new ChannelStats(name));
    }

    @Test
    void escapesEverySummaryIntoLinesThatJqReadsBack() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 lone \ud800 ok \ud83d\ude00 é";
        Path file = dir.resolve("t.jsonl");
        try (TraceWriter w = new TraceWriter(file, 10)) {
            w.written(channel("a.x\"y", "a.w", "a.r"), (Summarizable) () -> nasty, false);
            w.written(channel("a.up", "a.w", "a.r"), (Summarizable) () -> "plain", true);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines, hasSize(2));
        String back = Tools.run("jq", "-r", ".summary", file.toString());
        String expected = nasty.replace("\ud800", "\ufffd") + "\nplain\n";
        // A lone surrogate is not text: the trace writes U+FFFD for it; everything else comes back as is.
        assertThat(back, equalTo(expected));
        assertThat(Tools.run("jq", "-r", "[.channel, .writer, .reader, .kind, (.dropped|tostring), (.t_us|type)] | @tsv",
                file.toString()), equalTo("a.x\"y\ta.w\ta.r\tupward_dropping\tfalse\tnumber\n"
                        + "a.up\ta.w\ta.r\tupward_dropping\ttrue\tnumber\n"));
    }

    @Test
    void stopsAtTheLimitWithOneFinalNote() throws Exception {
        Path file = dir.resolve("limit.jsonl");
        TraceWriter w = new TraceWriter(file, 3);
        for (int i = 0; i < 10; i++) {
            w.written(channel("c", "w", "r"), (Summarizable) () -> "m", false);
        }
        w.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines, hasSize(4));
        assertThat(lines.get(3), containsString("trace limit of 3 lines reached"));
        assertThat(w.lines(), equalTo(3L));
        assertThat(Tools.run("jq", "-s", "length", file.toString()).strip(), equalTo("4"));
    }

    @Test
    void writesNothingAfterClose() throws Exception {
        Path file = dir.resolve("closed.jsonl");
        TraceWriter w = new TraceWriter(file, 3);
        w.close();
        w.written(channel("c", "w", "r"), "late", false);
        assertThat(Files.size(file), equalTo(0L));
    }
}
