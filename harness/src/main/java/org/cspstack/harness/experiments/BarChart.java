package org.cspstack.harness.experiments;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A horizontal bar chart drawn with Java2D (the companion of {@link Plot} for categories, such as one bar per
 * benchmark): a label on the left of each bar, the value (and its error, when known) at its end, an optional
 * error whisker, a linear or log value axis. Bars without a value (NaN) are listed with their note instead.
 * Headless-safe.
 */
public final class BarChart {
    /** One bar: {@code error} is a half-width (NaN when unknown); {@code group} picks the colour. */
    public record Bar(String label, double value, double error, int group, String note) {
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private final String title;
    private final String valueLabel;
    private final boolean log;
    private final List<Bar> bars = new ArrayList<>();

    public BarChart(String title, String valueLabel, boolean log) {
        this.title = title;
        this.valueLabel = valueLabel;
        this.log = log;
    }

    public BarChart add(String label, double value, double error, int group) {
        bars.add(new Bar(label, value, error, group, ""));
        return this;
    }

    /** A bar that could not be measured, shown as its label and {@code note}. */
    public BarChart missing(String label, String note, int group) {
        bars.add(new Bar(label, Double.NaN, Double.NaN, group, note));
        return this;
    }

    public List<Bar> bars() {
        return List.copyOf(bars);
    }

    /** Draws the chart to {@code file}: 900 pixels wide, 34 pixels per bar. */
    public void write(Path file) {
        System.setProperty("java.awt.headless", "true");
        int w = 900;
        int rowH = 34;
        int top = 45;
        int bottom = 50;
        int h = top + bottom + Math.max(1, bars.size()) * rowH;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(plain);
        FontMetrics fm = g.getFontMetrics();
        int left = 20;
        for (Bar b : bars) {
            left = Math.max(left, fm.stringWidth(b.label()) + 20);
        }
        left = Math.min(left, w / 2);
        int right = 130;
        int pw = w - left - right;

        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Bar b : bars) {
            if (usable(b.value())) {
                double hi = b.value() + (Double.isNaN(b.error()) ? 0 : b.error());
                min = Math.min(min, b.value());
                max = Math.max(max, hi);
            }
        }
        double lo;
        double hi;
        if (min > max) {
            lo = 0;
            hi = 1;
        } else if (log) {
            lo = Math.floor(Math.log10(min));
            hi = Math.ceil(Math.log10(max));
            if (hi == lo) {
                hi = lo + 1;
            }
        } else {
            lo = 0;
            hi = max * 1.05;
        }

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 10, 25);
        g.setFont(plain);
        int ph = bars.size() * rowH;
        int ticks = log ? (int) (hi - lo) : 5;
        for (int i = 0; i <= ticks; i++) {
            double v = lo + (hi - lo) * i / ticks;
            int x = left + (int) (pw * (double) i / ticks);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.BLACK);
            String s = label(log ? Math.pow(10, v) : v);
            g.drawString(s, x - fm.stringWidth(s) / 2, top + ph + 15);
        }
        String axis = valueLabel + (log ? " (log scale)" : "");
        g.drawString(axis, left + pw / 2 - fm.stringWidth(axis) / 2, h - 15);
        g.drawRect(left, top, pw, ph);

        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * rowH;
            g.setColor(Color.BLACK);
            g.drawString(b.label(), left - 10 - fm.stringWidth(b.label()), y + rowH / 2 + 4);
            if (!usable(b.value())) {
                g.setColor(Color.GRAY);
                g.drawString(b.note().isEmpty() ? "not measured" : b.note(), left + 8, y + rowH / 2 + 4);
                continue;
            }
            int x1 = left + (int) (pw * (t(b.value()) - lo) / (hi - lo));
            x1 = Math.max(left + 1, Math.min(left + pw, x1));
            g.setColor(COLORS[Math.floorMod(b.group(), COLORS.length)]);
            g.fillRect(left + 1, y + 6, x1 - left - 1, rowH - 12);
            int textX = x1 + 6;
            if (!Double.isNaN(b.error()) && b.error() > 0) {
                int xe = left + (int) (pw * (t(b.value() + b.error()) - lo) / (hi - lo));
                int xs = left + (int) (pw * (t(Math.max(b.value() - b.error(), log ? b.value() / 10 : 0)) - lo)
                        / (hi - lo));
                xe = Math.min(left + pw, xe);
                xs = Math.max(left, xs);
                g.setColor(Color.BLACK);
                g.drawLine(xs, y + rowH / 2, xe, y + rowH / 2);
                g.drawLine(xe, y + 10, xe, y + rowH - 10);
                g.drawLine(xs, y + 10, xs, y + rowH - 10);
                textX = Math.max(textX, xe + 6);
            }
            g.setColor(Color.BLACK);
            String v = label(b.value()) + (Double.isNaN(b.error()) ? "" : " ± " + label(b.error()));
            if (textX + fm.stringWidth(v) > w - 4) {
                textX = w - 4 - fm.stringWidth(v);
            }
            g.drawString(v, textX, y + rowH / 2 + 4);
        }
        g.dispose();
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private boolean usable(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && (!log || v > 0);
    }

    private double t(double v) {
        return log ? Math.log10(Math.max(v, Double.MIN_NORMAL)) : v;
    }

    static String label(double v) {
        if (v != 0 && (Math.abs(v) >= 1_000_000 || Math.abs(v) < 0.01)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
