package io.jurunc.bench.spawn;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Two horizontal bar panels, one row per subject: the median time to the first HTTP answer (each
 * run drawn as a dot on its bar) and the median host PSS per sandbox (sandbox + shim). Java2D only.
 */
public final class SpawnChart {
    private static final int WIDTH = 1100;
    private static final int ROW = 34;
    private static final int TOP = 56;
    private static final int LABEL = 120;
    private static final int PANEL = 430;
    private static final int GAP = 40;
    private static final Color BAR = new Color(0x4C78A8);
    private static final Color MEM = new Color(0xF58518);

    private SpawnChart() {}

    public static BufferedImage draw(List<SubjectSummary> summaries, List<Sample> samples, String title) {
        int height = TOP + ROW * summaries.size() + 40;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int x0 = LABEL + 10;
            double maxMs = Math.max(
                    1,
                    samples.stream()
                            .filter(Sample::ok)
                            .mapToDouble(Sample::spawnMs)
                            .max()
                            .orElse(1));
            panel(
                    g,
                    summaries,
                    x0,
                    "time to first HTTP answer (ms; bar = median, dots = runs)",
                    maxMs,
                    s -> s.spawnMs(),
                    BAR,
                    s -> samples.stream()
                            .filter(x -> x.subject().equals(s.subject()) && x.ok())
                            .mapToDouble(Sample::spawnMs)
                            .toArray());
            double maxMiB = Math.max(
                    1,
                    summaries.stream().mapToDouble(s -> host(s).orElse(0)).max().orElse(1));
            panel(
                    g,
                    summaries,
                    x0 + PANEL + GAP,
                    "host PSS per idle sandbox, incl. shim (MiB, median)",
                    maxMiB,
                    SpawnChart::host,
                    MEM,
                    s -> new double[0]);
            for (int i = 0; i < summaries.size(); i++) {
                g.setColor(Color.BLACK);
                g.drawString(summaries.get(i).subject(), 10, TOP + i * ROW + ROW / 2 + 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    public static void write(BufferedImage img, Path png) throws IOException {
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static OptionalDouble host(SubjectSummary s) {
        return s.sandboxPssMiB().isPresent()
                ? OptionalDouble.of(
                        s.sandboxPssMiB().getAsDouble() + s.shimPssMiB().orElse(0))
                : OptionalDouble.empty();
    }

    private static void panel(
            Graphics2D g,
            List<SubjectSummary> rows,
            int x,
            String caption,
            double max,
            Function<SubjectSummary, OptionalDouble> value,
            Color color,
            Function<SubjectSummary, double[]> dots) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(caption, x, TOP - 12);
        double scale = (PANEL - 60) / max;
        for (int i = 0; i < rows.size(); i++) {
            int y = TOP + i * ROW;
            OptionalDouble v = value.apply(rows.get(i));
            double[] runs = dots.apply(rows.get(i));
            if (v.isPresent()) {
                int w = (int) Math.round(v.getAsDouble() * scale);
                int text = (int) Math.round(Math.max(
                                        v.getAsDouble(),
                                        java.util.Arrays.stream(runs).max().orElse(0))
                                * scale)
                        + 8;
                g.setColor(color);
                g.fillRect(x, y + 6, Math.max(1, w), ROW - 12);
                g.setColor(Color.BLACK);
                g.drawString(
                        String.format(Locale.ROOT, v.getAsDouble() >= 100 ? "%.0f" : "%.1f", v.getAsDouble()),
                        x + text,
                        y + ROW / 2 + 4);
            } else {
                g.setColor(Color.GRAY);
                g.drawString("no data", x + 4, y + ROW / 2 + 4);
            }
            g.setColor(Color.BLACK);
            for (double d : runs) {
                int dx = x + (int) Math.round(d * scale);
                g.fillOval(dx - 3, y + ROW / 2 - 3, 6, 6);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x, TOP, x, TOP + ROW * rows.size());
    }
}
