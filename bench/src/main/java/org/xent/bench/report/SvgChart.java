package org.xent.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.xent.bench.results.BenchmarkId;
import org.xent.bench.results.JmhResult;

/**
 * A hand-written SVG line chart of throughput (G elements/s) against the class count C, both axes logarithmic
 * (throughputs span three decades, from naive Java to the roofline). It plots the float32 kernels of one loss
 * (soft-label cross-entropy when the run has it, else the first loss in the results), with the two roofline
 * references as dashed lines; with several shapes of the same C the first one in display order is used.
 */
public final class SvgChart {

    private static final String PREFERRED_LOSS = "SoftCrossEntropy";
    private static final int W = 820;
    private static final int H = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private record Series(BenchmarkId id, String color, boolean dashed) {}

    private static final String[][] KERNELS = {
            {"vector", "false", "#d62728"}, {"vector", "true", "#ff7f0e"},
            {"scalar", "false", "#1f77b4"}, {"scalar", "true", "#17becf"},
            {"naive", "false", "#2ca02c"}, {"naive", "true", "#98df8a"},
            {"torch", "false", "#9467bd"}, {"torch", "true", "#c5b0d5"}};

    private static List<Series> series(String loss) {
        List<Series> list = new ArrayList<>();
        list.add(new Series(new BenchmarkId(BenchmarkId.ROOFLINE, "dot", false, 32), "#555555", true));
        list.add(new Series(new BenchmarkId(BenchmarkId.ROOFLINE, "stream", true, 32), "#999999", true));
        for (String[] k : KERNELS) {
            list.add(new Series(new BenchmarkId(loss, k[0], Boolean.parseBoolean(k[1]), 32), k[2], false));
        }
        return list;
    }

    /** The loss to plot: soft-label cross-entropy if measured, else the first loss found, else null. */
    static String chosenLoss(List<Measured> all) {
        String first = null;
        for (Measured m : all) {
            if (!m.id().isRoofline() && m.id().bits() == 32) {
                if (m.id().loss().equals(PREFERRED_LOSS)) {
                    return PREFERRED_LOSS;
                }
                if (first == null) {
                    first = m.id().loss();
                }
            }
        }
        return first;
    }

    private SvgChart() {}

    /**
     * The chart; its title is the plotted loss followed by {@code subtitle}. A run whose kernels are all threaded
     * (a {@code threads} parameter, as in {@code bench --threads}) gets {@link #scaling} instead.
     */
    public static String render(String subtitle, List<JmhResult> results) {
        List<Measured> all = Measured.from(results);
        if (all.stream().anyMatch(m -> m.threads() > 0)
                && all.stream().noneMatch(m -> m.threads() == 0 && !m.id().isRoofline())) {
            return scaling(subtitle, all);
        }
        String loss = chosenLoss(all);
        String title = (loss == null ? "No loss measured" : loss + ", float32") + ", " + subtitle;
        List<TreeMap<Integer, Measured>> points = new ArrayList<>();
        List<Series> shown = new ArrayList<>();
        double minC = Double.MAX_VALUE;
        double maxC = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : loss == null ? List.<Series>of() : series(loss)) {
            TreeMap<Integer, Measured> byC = new TreeMap<>();
            for (Measured m : all) {
                if (m.id().equals(s.id) && m.gelems() > 0 && !m.shape().hot()) { // one regime per curve
                    byC.putIfAbsent(m.shape().classes(), m);
                }
            }
            if (byC.isEmpty()) {
                continue;
            }
            shown.add(s);
            points.add(byC);
            for (Measured m : byC.values()) {
                minC = Math.min(minC, m.shape().classes());
                maxC = Math.max(maxC, m.shape().classes());
                minY = Math.min(minY, m.gelems());
                maxY = Math.max(maxY, m.gelems());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        if (shown.isEmpty()) {
            sb.append("<text x=\"70\" y=\"100\">no float32 loss results to plot</text>\n</svg>\n");
            return sb.toString();
        }
        double x0 = Math.log10(minC) - 0.15;
        double x1 = Math.log10(maxC) + 0.15;
        double y0 = Math.floor(Math.log10(minY));
        double y1 = Math.ceil(Math.log10(maxY));
        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        // axes, decade grid lines and labels
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"black\"/>%n", LEFT, TOP, plotW, plotH));
        for (int d = (int) y0; d <= (int) y1; d++) {
            double y = py(d, y0, y1, plotH);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, decade(d)));
        }
        for (int d = (int) Math.ceil(x0); d <= (int) Math.floor(x1); d++) {
            double x = px(d, x0, x1, plotW);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>%n",
                    x, TOP, x, TOP + plotH));
        }
        TreeMap<Integer, Boolean> ticks = new TreeMap<>();
        for (TreeMap<Integer, Measured> p : points) {
            for (Integer c : p.keySet()) {
                ticks.put(c, Boolean.TRUE);
            }
        }
        for (Integer c : ticks.keySet()) {
            double x = px(Math.log10(c), x0, x1, plotW);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                    x, TOP + plotH, x, TOP + plotH + 5));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, TOP + plotH + 18, c));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">classes C (log scale)</text>%n",
                LEFT + plotW / 2, H - 18));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">"
                + "G elements/s (log scale)</text>%n", TOP + plotH / 2));
        // series and legend
        for (int i = 0; i < shown.size(); i++) {
            Series s = shown.get(i);
            StringBuilder line = new StringBuilder();
            for (Measured m : points.get(i).values()) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(Math.log10(m.shape().classes()), x0, x1, plotW),
                        py(Math.log10(m.gelems()), y0, y1, plotH)));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    line.toString().trim(), s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            if (!s.dashed) {
                for (Measured m : points.get(i).values()) {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s:"
                                    + " %.3f Gelem/s</title></circle>%n",
                            px(Math.log10(m.shape().classes()), x0, x1, plotW), py(Math.log10(m.gelems()), y0, y1, plotH),
                            s.color, escape(m.id().label()), m.shape(), m.gelems()));
                }
            }
            int ly = TOP + 10 + 20 * i;
            int lx = LEFT + plotW + 15;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    lx, ly, lx + 24, ly, s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 30, ly + 4,
                    escape(s.id.label())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    // ---------------------------------------------------------------- thread scaling

    private static final int PANEL_W = 220;
    private static final int PANEL_H = 230;
    private static final int PANEL_LEFT = 62;
    private static final int PANEL_GAP = 24;
    private static final int PANEL_TOP = 56;
    private static final int PANEL_BOTTOM = 52;

    /**
     * Throughput against thread count, one panel per streamed shape (each with its own linear axis from 0): the
     * threaded kernel's forward and forward + gradient, the rooflines split over as many threads (dashed) and
     * PyTorch on as many intra-op threads when the run has it; error bars are JMH's 99.9 % half-widths.
     */
    static String scaling(String subtitle, List<Measured> all) {
        List<Measured> threaded = all.stream().filter(m -> m.threads() > 0 && m.id().bits() == 32
                && !m.shape().hot()).toList();
        Measured first = threaded.stream().filter(m -> !m.id().isRoofline()
                && !m.id().implementation().equals("torch")).findFirst().orElse(null);
        String loss = first == null ? null : first.id().loss();
        List<Series> series = new ArrayList<>();
        series.add(new Series(new BenchmarkId(BenchmarkId.PARALLEL_ROOFLINE, "dot", false, 32), "#555555", true));
        series.add(new Series(new BenchmarkId(BenchmarkId.PARALLEL_ROOFLINE, "stream", true, 32), "#999999", true));
        if (first != null) {
            String impl = first.id().implementation();
            series.add(new Series(new BenchmarkId(loss, impl, false, 32), "#d62728", false));
            series.add(new Series(new BenchmarkId(loss, impl, true, 32), "#ff7f0e", false));
            series.add(new Series(new BenchmarkId(loss, "torch", false, 32), "#9467bd", false));
            series.add(new Series(new BenchmarkId(loss, "torch", true, 32), "#c5b0d5", false));
        }
        List<Series> shown = new ArrayList<>();
        for (Series s : series) {
            if (threaded.stream().anyMatch(m -> m.id().equals(s.id))) {
                shown.add(s);
            }
        }
        java.util.TreeSet<Integer> threadCounts = new java.util.TreeSet<>();
        java.util.LinkedHashSet<org.xent.bench.jmh.Shape> shapes = new java.util.LinkedHashSet<>();
        for (Measured m : threaded) {
            if (shown.stream().anyMatch(s -> s.id.equals(m.id()))) {
                threadCounts.add(m.threads());
                shapes.add(m.shape());
            }
        }
        int cols = Math.max(1, Math.min(4, shapes.size()));
        int rows = Math.max(1, (shapes.size() + cols - 1) / cols);
        int cellW = PANEL_LEFT + PANEL_W + PANEL_GAP;
        int cellH = PANEL_TOP + PANEL_H + PANEL_BOTTOM;
        int width = 20 + cols * cellW;
        int legendRows = (shown.size() + 2) / 3;
        int height = 40 + rows * cellH + 20 * legendRows + 20;
        String title = (loss == null ? "No threaded loss measured" : loss + ", float32") + ", " + subtitle
                + ": throughput against threads";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        if (shapes.isEmpty()) {
            sb.append("<text x=\"20\" y=\"70\">no threaded float32 results to plot</text>\n</svg>\n");
            return sb.toString();
        }
        List<Integer> xs = new ArrayList<>(threadCounts);
        int panel = 0;
        for (org.xent.bench.jmh.Shape shape : shapes) {
            int left = 20 + (panel % cols) * cellW + PANEL_LEFT;
            int top = 40 + (panel / cols) * cellH + PANEL_TOP - 26;
            panel++;
            double max = 0;
            for (Measured m : threaded) {
                if (m.shape().equals(shape) && shown.stream().anyMatch(s -> s.id.equals(m.id()))) {
                    max = Math.max(max, m.gelems() + m.gelemsError());
                }
            }
            double step = niceStep(max / 4);
            double yMax = step * Math.max(1, Math.ceil(max / step));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" text-anchor=\"middle\">%s</text>%n",
                    left + PANEL_W / 2, top - 8, escape(shape.toString())));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                    + " stroke=\"black\"/>%n", left, top, PANEL_W, PANEL_H));
            for (double v = 0; v <= yMax * (1 + 1e-9); v += step) {
                double y = top + PANEL_H - v / yMax * PANEL_H;
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
                        left, y, left + PANEL_W, y));
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                        left - 5, y + 4, tick(v)));
            }
            for (int i = 0; i < xs.size(); i++) {
                double x = threadX(i, xs.size(), left);
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                        x, top + PANEL_H, x, top + PANEL_H + 5));
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                        x, top + PANEL_H + 18, xs.get(i)));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">threads</text>%n",
                    left + PANEL_W / 2, top + PANEL_H + 34));
            sb.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %d) rotate(-90)\" text-anchor=\"middle\">"
                    + "G elements/s</text>%n", left - 46, top + PANEL_H / 2));
            for (Series s : shown) {
                StringBuilder line = new StringBuilder();
                StringBuilder marks = new StringBuilder();
                for (int i = 0; i < xs.size(); i++) {
                    Measured m = Measured.find(threaded, s.id, shape, xs.get(i));
                    if (m == null) {
                        continue;
                    }
                    double x = threadX(i, xs.size(), left);
                    double y = top + PANEL_H - m.gelems() / yMax * PANEL_H;
                    double e = m.gelemsError() / yMax * PANEL_H;
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    marks.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                            + " stroke=\"%s\"/>%n", x, y - e, x, y + e, s.color));
                    marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                            + "<title>%s %s: %.3f ± %.3f Gelem/s</title></circle>%n", x, y, s.color,
                            escape(m.label()), m.shape(), m.gelems(), m.gelemsError()));
                }
                if (line.isEmpty()) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                        + " stroke-width=\"2\"%s/>%n", line.toString().trim(), s.color,
                        s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
                sb.append(marks);
            }
        }
        int legendTop = 40 + rows * cellH;
        for (int i = 0; i < shown.size(); i++) {
            Series s = shown.get(i);
            int lx = 20 + PANEL_LEFT + (i % 3) * 340;
            int ly = legendTop + 20 * (i / 3);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", lx, ly, lx + 24, ly, s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 30, ly + 4,
                    escape(s.id.isRoofline() ? s.id.label() + ", same threads" : s.id.implementation().equals("torch")
                            ? s.id.label() + ", same intra-op threads" : s.id.label())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** A grid value without trailing zeros: 0, 2.5, 10. */
    private static String tick(double v) {
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("\\.?0+$", "") : s;
    }

    /** The x of the {@code i}-th of {@code n} thread counts in a panel starting at {@code left}. */
    private static double threadX(int i, int n, int left) {
        return n == 1 ? left + PANEL_W / 2.0 : left + 24 + (PANEL_W - 48) * (double) i / (n - 1);
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at least {@code raw} (a grid step). */
    private static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * decade >= raw * (1 - 1e-9)) {
                return f * decade;
            }
        }
        return 10 * decade;
    }

    private static double px(double logC, double x0, double x1, int plotW) {
        return LEFT + (logC - x0) / (x1 - x0) * plotW;
    }

    private static double py(double logY, double y0, double y1, int plotH) {
        return TOP + (1 - (logY - y0) / (y1 - y0)) * plotH;
    }

    private static String decade(int d) {
        return d >= 0 ? String.format(Locale.ROOT, "%.0f", Math.pow(10, d)) : String.format(Locale.ROOT, "%s", Math.pow(10, d));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
