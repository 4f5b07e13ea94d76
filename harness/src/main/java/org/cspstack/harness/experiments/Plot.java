package org.cspstack.harness.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
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
 * A small PNG chart drawn with Java2D, so that experiments need no plotting library: named series of (x, y)
 * points as lines with markers, linear or log axes. Headless-safe.
 */
public final class Plot {
    /** One line of the chart. */
    public record Series(String name, List<double[]> points) {
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    public Plot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    public Plot add(String name, List<double[]> points) {
        series.add(new Series(name, points));
        return this;
    }

    /** Draws the chart to {@code file} (800 x 500 PNG). */
    public void write(Path file) {
        System.setProperty("java.awt.headless", "true");
        int w = 800;
        int h = 500;
        int left = 80;
        int right = 20;
        int top = 40;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if ((logX && p[0] <= 0) || (logY && p[1] <= 0)) {
                    continue;
                }
                minX = Math.min(minX, tx(p[0]));
                maxX = Math.max(maxX, tx(p[0]));
                minY = Math.min(minY, ty(p[1]));
                maxY = Math.max(maxY, ty(p[1]));
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (!logY) {
            minY = Math.min(0, minY);
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1;
        }
        double padY = (maxY - minY) * 0.05;
        maxY += padY;
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            double vx = minX + (maxX - minX) * i / 5;
            double vy = minY + (maxY - minY) * i / 5;
            int x = left + pw * i / 5;
            int y = top + ph - ph * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLACK);
            g.drawString(label(logX ? Math.pow(10, vx) : vx), x - 15, top + ph + 15);
            g.drawString(label(logY ? Math.pow(10, vy) : vy), 5, y + 4);
        }
        g.drawString(xLabel + (logX ? " (log)" : ""), left + pw / 2 - 40, h - 20);
        g.drawString(yLabel + (logY ? " (log)" : ""), 5, top - 8);
        int legendY = top + 15;
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int[] prev = null;
            for (double[] p : s.points()) {
                if ((logX && p[0] <= 0) || (logY && p[1] <= 0)) {
                    continue;
                }
                int x = left + (int) ((tx(p[0]) - minX) / (maxX - minX) * pw);
                int y = top + ph - (int) ((ty(p[1]) - minY) / (maxY - minY) * ph);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], x, y);
                }
                prev = new int[] {x, y};
            }
            g.fillRect(left + pw - 190, legendY - 9, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), left + pw - 172, legendY + 2);
            legendY += 18;
        }
        g.dispose();
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private double tx(double x) {
        return logX ? Math.log10(x) : x;
    }

    private double ty(double y) {
        return logY ? Math.log10(y) : y;
    }

    private static String label(double v) {
        if (v != 0 && (Math.abs(v) >= 100_000 || Math.abs(v) < 0.01)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
