package org.cspstack.harness.experiments;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress report for a long experiment step: its name, a bar, done/total units, the time elapsed
 * and an estimate of the time left, for example
 * <pre>
 *   reproduce 2/5 1:40 | udp [########------------] 4/10 trials, 0:42 elapsed, ETA 1:03
 * </pre>
 * On a terminal ({@code System.console() != null} and the console is {@code System.out}) the line is redrawn in
 * place with {@code '\r'}, at most {@value #TERMINAL_REDRAWS_PER_SECOND} times a second, and once a second while
 * nothing advances (so that the elapsed time moves). Elsewhere (CI logs, files) it is printed as a plain line
 * when the step starts and ends, and in between at most once every {@value #PLAIN_LINE_SECONDS} s: never more
 * than a few lines a second.
 *
 * <p>Lines the step prints itself go through {@link #console()}: each complete line is printed above the bar (the
 * bar is erased, the line printed, the bar redrawn), so that log lines and the bar never mix. A step that starts
 * a {@code Progress} on the console of another one nests in it: the line then shows the outer step's count and
 * time before the inner one's, and the outer line returns when the inner one is closed.
 *
 * <p>ETA is linear: elapsed x (total - done) / done, so it assumes the units left cost what the units so far did;
 * "ETA ?" until the first unit is done. Thread-safe: every method locks the display the progress belongs to.
 * {@link #close()} prints a last line ("udp: 10/10 trials in 1:45").
 */
public final class Progress implements AutoCloseable {
    static final int TERMINAL_REDRAWS_PER_SECOND = 4;
    static final long PLAIN_LINE_SECONDS = 15;
    static final int BAR_WIDTH = 20;
    /** Longest line drawn on a terminal (longer ones are cut, so that '\r' redraws one line). */
    static final int MAX_TERMINAL_LINE = 118;

    private final Display display;
    private final Display.Console console;
    private final Progress parent;
    private final String step;
    private final long total;
    private final String unit;
    private final long startNanos;
    private long done;
    private boolean closed;

    private Progress(Display display, Display.Console console, Progress parent, String step, long total,
                     String unit) {
        if (total < 0) {
            throw new IllegalArgumentException("total " + total + " < 0");
        }
        this.display = display;
        this.console = console;
        this.parent = parent;
        this.step = step;
        this.total = total;
        this.unit = unit;
        this.startNanos = display.clock.getAsLong();
    }

    /**
     * Starts a progress report of {@code total} {@code unit}s on {@code console}: nested in the progress whose
     * {@link #console()} that is, otherwise on a display of its own (a terminal one when {@code console} is
     * {@code System.out} and the JVM has a console). Close it when the step ends.
     */
    public static Progress start(String step, long total, String unit, PrintStream console) {
        if (console instanceof Display.Console c) {
            return c.display().start(step, total, unit, c);
        }
        Display d = new Display(console, console == System.out && System.console() != null, System::nanoTime);
        Progress p = d.start(step, total, unit, d.console);
        d.startTicker();
        return p;
    }

    /** Where the step prints its own lines: above the bar. */
    public PrintStream console() {
        return console;
    }

    /**
     * A console like {@link #console()} whose complete lines also go to {@code copy} (a step's log file); a
     * progress report started on it nests in this one, and its bar never reaches {@code copy}.
     */
    public PrintStream tee(OutputStream copy) {
        return new Display.Console(display, copy);
    }

    /** One more unit done. */
    public void advance() {
        advance(1);
    }

    /** {@code units} more done (the count stops at the total). */
    public void advance(long units) {
        synchronized (display) {
            done = Math.min(total, done + Math.max(0, units));
            display.abandonAbove(this);
            display.refresh(false);
        }
    }

    public long done() {
        synchronized (display) {
            return done;
        }
    }

    /** Ends this report (and any nested one still open) with a plain line; idempotent. */
    @Override
    public void close() {
        synchronized (display) {
            if (closed) {
                return;
            }
            display.abandonAbove(this);
            long elapsed = display.clock.getAsLong() - startNanos;
            closed = true;
            String pending = console.drain();
            if (!pending.isEmpty()) {
                display.line(pending);
            }
            display.finish(this, String.format(Locale.ROOT, "%s: %d/%d %s in %s", step, done, total, unit,
                    clock(elapsed)));
        }
    }

    /** The line as drawn now: the outer steps' count and time, then this step's bar. */
    String line() {
        long now = display.clock.getAsLong();
        StringBuilder sb = new StringBuilder();
        List<Progress> outer = new ArrayList<>();
        for (Progress p = parent; p != null; p = p.parent) {
            outer.add(0, p);
        }
        for (Progress p : outer) {
            sb.append(p.step).append(' ').append(p.done).append('/').append(p.total).append(' ')
                    .append(clock(now - p.startNanos)).append(" | ");
        }
        sb.append(format(step, done, total, unit, now - startNanos));
        return sb.toString();
    }

    /** {@code udp [####----] 4/10 trials, 0:42 elapsed, ETA 1:03} (elapsed in nanoseconds). */
    static String format(String step, long done, long total, String unit, long elapsedNanos) {
        int filled = total <= 0 ? BAR_WIDTH : (int) (BAR_WIDTH * Math.min(done, total) / total);
        String eta;
        if (total > 0 && done >= total) {
            eta = "ETA 0:00";
        } else if (done <= 0) {
            eta = "ETA ?";
        } else {
            eta = "ETA " + clock((long) (elapsedNanos * ((double) (total - done) / done)));
        }
        return step + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total + " "
                + unit + ", " + clock(elapsedNanos) + " elapsed, " + eta;
    }

    /** m:ss, or h:mm:ss from an hour on; negative counts as 0. */
    static String clock(long nanos) {
        long s = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nanos));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * Where progress lines go: one output stream, the stack of open progress reports on it (innermost last), the
     * bar currently drawn (terminal) and the rate limits. All state is guarded by the display's monitor.
     */
    static final class Display {
        private final PrintStream raw;
        private final boolean terminal;
        private final LongSupplier clock;
        private final List<Progress> open = new ArrayList<>();
        final Console console;
        private int drawn; // characters of the bar on screen now (terminal), 0 when none
        private long lastDraw = Long.MIN_VALUE;
        private long lastPlain = Long.MIN_VALUE;
        private Thread ticker;

        Display(PrintStream raw, boolean terminal, LongSupplier clock) {
            this.raw = raw;
            this.terminal = terminal;
            this.clock = clock;
            this.console = new Console(this, null);
        }

        /** Starts a report on this display's own console. */
        Progress start(String step, long total, String unit) {
            return start(step, total, unit, console);
        }

        synchronized Progress start(String step, long total, String unit, Console on) {
            Progress parent = open.isEmpty() ? null : open.get(open.size() - 1);
            Progress p = new Progress(this, on, parent, step, total, unit);
            open.add(p);
            refresh(true);
            return p;
        }

        /** Redraws (terminal) or prints (plain) the innermost open line, unless it is too soon. */
        synchronized void refresh(boolean force) {
            if (open.isEmpty()) {
                return;
            }
            long now = clock.getAsLong();
            String line = open.get(open.size() - 1).line();
            if (terminal) {
                if (force || lastDraw == Long.MIN_VALUE
                        || now - lastDraw >= TimeUnit.SECONDS.toNanos(1) / TERMINAL_REDRAWS_PER_SECOND) {
                    draw(line);
                    lastDraw = now;
                }
            } else if (force || lastPlain == Long.MIN_VALUE
                    || now - lastPlain >= TimeUnit.SECONDS.toNanos(PLAIN_LINE_SECONDS)) {
                raw.println(line);
                raw.flush();
                lastPlain = now;
            }
        }

        /** Called about once a second: moves the elapsed time on a terminal, a heartbeat line elsewhere. */
        synchronized void tick() {
            refresh(false);
        }

        /** A complete line printed by a step: above the bar. */
        synchronized void line(String text) {
            erase();
            raw.println(text);
            if (terminal && !open.isEmpty()) {
                draw(open.get(open.size() - 1).line());
            }
            raw.flush();
        }

        /** Closes, without a line, reports nested in {@code p} that their steps left open. */
        synchronized void abandonAbove(Progress p) {
            int i = open.indexOf(p);
            while (i >= 0 && open.size() > i + 1) {
                open.remove(open.size() - 1).closed = true;
            }
        }

        synchronized void finish(Progress p, String last) {
            open.remove(p);
            line(last);
            if (open.isEmpty() && ticker != null) {
                ticker.interrupt();
                ticker = null;
            }
        }

        synchronized void startTicker() {
            Thread t = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        tick();
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            }, "progress");
            t.setDaemon(true);
            ticker = t;
            t.start();
        }

        private void draw(String line) {
            String s = line.length() > MAX_TERMINAL_LINE ? line.substring(0, MAX_TERMINAL_LINE) : line;
            raw.print("\r" + s + " ".repeat(Math.max(0, drawn - s.length())));
            if (drawn > s.length()) {
                raw.print("\r" + s);
            }
            drawn = s.length();
            raw.flush();
        }

        private void erase() {
            if (drawn > 0) {
                raw.print("\r" + " ".repeat(drawn) + "\r");
                drawn = 0;
            }
        }

        /**
         * A console of a display: a print stream whose complete lines go above the bar, and also to {@code copy}
         * when there is one.
         */
        static final class Console extends PrintStream {
            private final Display display;

            Console(Display display, OutputStream copy) {
                super(new LineSplitter(display, copy), true, StandardCharsets.UTF_8);
                this.display = display;
            }

            Display display() {
                return display;
            }

            /** The line begun but not ended yet, now taken out of the buffer. */
            String drain() {
                synchronized (display) {
                    return ((LineSplitter) out).drain();
                }
            }
        }

        /** Collects bytes into lines for {@link Display#line}. */
        private static final class LineSplitter extends OutputStream {
            private final Display display;
            private final OutputStream copy;
            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            LineSplitter(Display display, OutputStream copy) {
                this.display = display;
                this.copy = copy;
            }

            @Override
            public void write(int b) throws java.io.IOException {
                synchronized (display) {
                    if (b == '\n') {
                        String line = drain();
                        display.line(line);
                        if (copy != null) {
                            copy.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    } else if (b != '\r') {
                        partial.write(b);
                    }
                }
            }

            String drain() {
                String s = partial.toString(StandardCharsets.UTF_8);
                partial.reset();
                return s;
            }
        }
    }
}
