package org.xent.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve as a self-contained SVG line chart: the training objective and the held-out cross-entropy per
 * epoch, with axes, ticks at round values, labels and a legend. Written by hand so that the example needs nothing
 * but the library.
 */
public final class LossCurveSvg {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String TRAIN_COLOUR = "#1f77b4";
    private static final String HELD_OUT_COLOUR = "#d62728";

    private LossCurveSvg() {}

    /**
     * Writes the chart of {@code history} to {@code file}, creating its parent folders.
     *
     * @param file    where to write
     * @param history the epochs, at least one
     * @param title   the chart's title
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, List<EpochStats> history, String title) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(history, title), StandardCharsets.UTF_8);
    }

    /**
     * The chart of {@code history} as SVG text.
     *
     * @param history the epochs, at least one
     * @param title   the chart's title
     * @return the SVG document
     */
    public static String render(List<EpochStats> history, String title) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("no epochs to draw");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (EpochStats e : history) {
            lo = Math.min(lo, Math.min(e.trainingObjective(), e.heldOutLoss()));
            hi = Math.max(hi, Math.max(e.trainingObjective(), e.heldOutLoss()));
        }
        if (!(hi > lo)) { // one value (or NaN): give the axis some height
            lo -= 0.5;
            hi += 0.5;
        }
        double yStep = niceStep((hi - lo) / 5);
        double yMin = Math.floor(lo / yStep) * yStep;
        double yMax = Math.ceil(hi / yStep) * yStep;
        int firstEpoch = history.getFirst().epoch();
        int lastEpoch = Math.max(history.getLast().epoch(), firstEpoch + 1);
        double xStep = Math.max(1, niceStep((lastEpoch - firstEpoch) / 10.0));
        Scale x = new Scale(firstEpoch, lastEpoch, LEFT, WIDTH - RIGHT);
        Scale y = new Scale(yMin, yMax, HEIGHT - BOTTOM, TOP);

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(WIDTH / 2.0, 24, "middle", 15, escape(title)));

        // grid lines and tick labels
        long yTicks = Math.round((yMax - yMin) / yStep);
        for (long i = 0; i <= yTicks; i++) { // counted, not stepped: no drift in the tick values
            double v = yMin + i * yStep;
            double py = y.at(v);
            s.append(line(LEFT, py, WIDTH - RIGHT, py, "#e0e0e0", 1));
            s.append(text(LEFT - 8, py + 4, "end", 12, format(v, yStep)));
        }
        for (long i = 0; firstEpoch + i * xStep <= lastEpoch; i++) {
            double v = firstEpoch + i * xStep;
            double px = x.at(v);
            s.append(line(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5, "black", 1));
            s.append(text(px, HEIGHT - BOTTOM + 20, "middle", 12, format(v, xStep)));
        }
        // axes and their labels
        s.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "black", 1));
        s.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "black", 1));
        s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 15, "middle", 13, "epoch"));
        s.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" "
                + "transform=\"rotate(-90 18 %.1f)\">loss</text>\n", (TOP + HEIGHT - BOTTOM) / 2.0,
                (TOP + HEIGHT - BOTTOM) / 2.0));

        series(s, history, x, y, true, TRAIN_COLOUR);
        series(s, history, x, y, false, HELD_OUT_COLOUR);

        // legend, top right inside the plot
        double lx = WIDTH - RIGHT - 190;
        s.append(line(lx, TOP + 14, lx + 24, TOP + 14, TRAIN_COLOUR, 2));
        s.append(text(lx + 30, TOP + 18, "start", 12, "training objective"));
        s.append(line(lx, TOP + 32, lx + 24, TOP + 32, HELD_OUT_COLOUR, 2));
        s.append(text(lx + 30, TOP + 36, "start", 12, "held-out cross-entropy"));
        s.append("</svg>\n");
        return s.toString();
    }

    private static void series(StringBuilder s, List<EpochStats> history, Scale x, Scale y, boolean training,
                               String colour) {
        StringBuilder points = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (EpochStats e : history) {
            double v = training ? e.trainingObjective() : e.heldOutLoss();
            String point = String.format(Locale.ROOT, "%.1f,%.1f", x.at(e.epoch()), y.at(v));
            points.append(points.isEmpty() ? "" : " ").append(point);
            marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                    x.at(e.epoch()), y.at(v), colour));
        }
        s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                + "points=\"%s\"/>\n", colour, points));
        s.append(marks);
    }

    /** A step of 1, 2 or 5 times a power of ten, at least {@code raw}: ticks at round values. */
    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= raw * (1 - 1e-9)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    /** A tick value with as many decimals as its step needs. */
    private static String format(double value, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, int width) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"%d\"/>\n", x1, y1, x2, y2, colour, width);
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
                x, y, anchor, size, content);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A linear map from data values to SVG coordinates. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double value) {
            return pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
