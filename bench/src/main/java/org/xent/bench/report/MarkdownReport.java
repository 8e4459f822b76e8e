package org.xent.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xent.bench.jmh.Shape;
import org.xent.bench.results.JmhResult;

/**
 * The Markdown report: a header describing the machine and the kernel family, then one table per shape with
 * throughput (G elements/s ± JMH's 99.9 % error), memory traffic (GB/s), speedup over the naive Java form of
 * the same loss, operation and precision, and the fraction of the same run's roofline (dot for forward, stream
 * for forward + gradient) in bytes moved per second, so that a loss reading one N x C array (hard labels) is
 * not credited with the second array the dot reads.
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
        sb.append(tables(results));
        return sb.toString();
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
            Measured naive = m.id().isRoofline() ? null : Measured.find(all, m.id().naive(), m.shape());
            Measured roof = m.id().isRoofline() ? null : Measured.find(all, m.id().roofline(), m.shape());
            t.append(String.format(Locale.ROOT, "| %s | %s | %.3f ± %.3f | %.1f | %s | %s |%n",
                    m.id().loss(), m.id().label(), m.gelems(), m.gelemsError(), m.gbytes(),
                    naive == null ? "" : String.format(Locale.ROOT, "%.1fx", m.opsPerSecond() / naive.opsPerSecond()),
                    roof == null ? "" : String.format(Locale.ROOT, "%.2f", m.gbytes() / roof.gbytes())));
        }
        StringBuilder sb = new StringBuilder();
        for (StringBuilder t : byShape.values()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
