package org.xent.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xent.bench.jmh.Shape;
import org.xent.bench.results.BenchmarkId;
import org.xent.bench.results.JmhResult;

/**
 * The Markdown report: a header describing the machine and the kernel family, then one table per shape with
 * throughput (G elements/s ± JMH's 99.9 % error), memory traffic (GB/s), speedup over the naive Java form of
 * the same loss, operation and precision, and the fraction of the same run's roofline (dot for forward, stream
 * for forward + gradient) in bytes moved per second, so that a loss reading one N x C array (hard labels) is
 * not credited with the second array the dot reads. A run with threaded benchmarks ({@code bench --threads})
 * first gets a thread-scaling table ({@link #scaling}).
 */
public final class MarkdownReport {

    private MarkdownReport() {}

    /** The whole report: {@code header} lines as a key/value list, then {@link #tables}. */
    public static String render(String title, Map<String, String> header, List<JmhResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        for (Map.Entry<String, String> e : header.entrySet()) {
            sb.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
        }
        sb.append("\nOne element is one of the N x C logits; GB/s counts the N x C arrays read (and the gradient"
                + " written); \"x naive\" compares with the hand-written Java form of the same operation;"
                + " \"of roofline\" divides the GB/s by those of the dot (forward) or read-2-write-1 stream"
                + " (forward + gradient) reference measured in the same run on the same inputs.\n\n");
        sb.append(body(results));
        return sb.toString();
    }

    /** What follows the header: {@link #scaling} (a threaded run only), then {@link #tables}. */
    public static String body(List<JmhResult> results) {
        return scaling(results) + tables(results);
    }

    /** One table per shape. */
    public static String tables(List<JmhResult> results) {
        List<Measured> all = Measured.from(results);
        Map<Shape, StringBuilder> byShape = new LinkedHashMap<>();
        for (Measured m : all) {
            StringBuilder t = byShape.computeIfAbsent(m.shape(), s -> new StringBuilder()
                    .append("### ").append(s).append(" (N=").append(s.rows()).append(", C=").append(s.classes())
                    .append(")\n\n| loss | kernel | Gelem/s | GB/s | x naive | of roofline |\n")
                    .append("|---|---|---:|---:|---:|---:|\n"));
            Measured naive = m.id().isRoofline() ? null : Measured.find(all, m.id().naive(), m.shape(), m.threads());
            Measured roof = m.id().isRoofline() ? null : Measured.find(all, m.id().roofline(), m.shape(), m.threads());
            t.append(String.format(Locale.ROOT, "| %s | %s | %.3f ± %.3f | %.1f | %s | %s |%n",
                    m.id().loss(), m.label(), m.gelems(), m.gelemsError(), m.gbytes(),
                    naive == null ? "" : String.format(Locale.ROOT, "%.1fx", m.opsPerSecond() / naive.opsPerSecond()),
                    roof == null ? "" : String.format(Locale.ROOT, "%.2f", m.gbytes() / roof.gbytes())));
        }
        StringBuilder sb = new StringBuilder();
        for (StringBuilder t : byShape.values()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    /**
     * The thread scaling of a threaded run ({@code bench --threads LIST}): for every kernel with a {@code threads}
     * parameter (PyTorch's and the rooflines aside), per shape and pass, one row per thread count with its
     * throughput, its speedup over the same kernel on 1 thread, the roofline on as many threads and its own
     * speedup, the fraction of that roofline, and, when the run has PyTorch at the same thread count, PyTorch's
     * throughput and the ratio to it. Errors are JMH's 99.9 % half-widths, propagated through each ratio (relative
     * errors in quadrature). Empty when no benchmark has a thread count, so other reports do not change.
     */
    public static String scaling(List<JmhResult> results) {
        List<Measured> all = Measured.from(results);
        List<Measured> kernels = new ArrayList<>();
        boolean torch = false;
        for (Measured m : all) {
            if (m.threads() > 0 && !m.id().isRoofline() && !m.id().implementation().equals(TORCH)) {
                kernels.add(m);
                torch |= Measured.find(all, torch(m.id()), m.shape(), m.threads()) != null;
            }
        }
        if (kernels.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## Thread scaling\n\n");
        sb.append("Gelem/s ± 99.9 % error at each thread count; \"x 1 thread\" is the speedup over the same kernel"
                + " on 1 thread, \"roofline\" the dot (forward) or read-2-write-1 stream (forward + gradient) split"
                + " over as many threads in the same parts, \"of roofline\" the kernel's GB/s over the roofline's");
        sb.append(torch ? "; \"x PyTorch\" is the kernel's throughput over PyTorch's on as many intra-op threads."
                : ".");
        sb.append(" Ratios carry the errors of both sides (relative errors in quadrature).\n\n");
        sb.append("| shape | loss | kernel | threads | Gelem/s | x 1 thread | roofline Gelem/s | roofline x 1 thread"
                + " | of roofline |").append(torch ? " PyTorch Gelem/s | x PyTorch |" : "").append('\n');
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|").append(torch ? "---:|---:|" : "").append('\n');
        for (Measured m : kernels) {
            Measured one = Measured.find(all, m.id(), m.shape(), 1);
            Measured roof = Measured.find(all, m.id().roofline(), m.shape(), m.threads());
            Measured roofOne = Measured.find(all, m.id().roofline(), m.shape(), 1);
            Measured pt = Measured.find(all, torch(m.id()), m.shape(), m.threads());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %s |", m.shape(),
                    m.id().loss(), m.id().label(), m.threads(), gelems(m), ratio(m, one), gelems(roof),
                    ratio(roof, roofOne), roof == null ? "" : String.format(Locale.ROOT, "%.2f",
                            m.gbytes() / roof.gbytes())));
            if (torch) {
                sb.append(String.format(Locale.ROOT, " %s | %s |", gelems(pt), ratio(m, pt)));
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }

    private static final String TORCH = "torch";

    /** PyTorch's benchmark of the same loss, pass and precision. */
    private static BenchmarkId torch(BenchmarkId id) {
        return new BenchmarkId(id.loss(), TORCH, id.backward(), id.bits());
    }

    private static String gelems(Measured m) {
        return m == null ? "" : String.format(Locale.ROOT, "%.3f ± %.3f", m.gelems(), m.gelemsError());
    }

    /** {@code a / b} in operations per second with its propagated error; "1.00" for a row over itself. */
    private static String ratio(Measured a, Measured b) {
        if (a == null || b == null) {
            return "";
        }
        if (a == b) {
            return "1.00";
        }
        double r = a.opsPerSecond() / b.opsPerSecond();
        return String.format(Locale.ROOT, "%.2f ± %.2f", r, r * Math.hypot(a.relativeError(), b.relativeError()));
    }
}
