package org.xent.bench.results;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark measures, read from its JMH name. Loss benchmarks live in {@code <Loss>Bench} classes with
 * methods {@code <implementation><Operation><bits>}, e.g. {@code SoftCrossEntropyBench.vectorForwardBackward32};
 * the roofline references are {@code RooflineBench.dot32}, {@code stream32}, {@code dot64}, {@code stream64}.
 * Adding a loss therefore needs no change here: a new class following the pattern is picked up by the report
 * and the gate. A loss measured over several threads is a class {@code Parallel<Loss>Bench} with a
 * {@code threads} parameter; its rooflines are {@code ParallelRooflineBench}'s, at the same thread count.
 *
 * @param loss           the loss, e.g. {@code SoftCrossEntropy}; {@code Roofline} for the references
 *                       ({@code ParallelRoofline} for those of the {@code Parallel<Loss>} benchmarks)
 * @param implementation {@code naive}, {@code scalar}, {@code vector}, {@code torch}, or {@code dot} / {@code stream}
 * @param backward       true for forward + gradient (compared with the stream roofline), false for forward only
 * @param bits           32 or 64; 16 for bfloat16 / float16 storage (its rooflines move the same bytes)
 */
public record BenchmarkId(String loss, String implementation, boolean backward, int bits) {

    public static final String ROOFLINE = "Roofline";
    /** The prefix of a loss measured over {@code threads} threads, e.g. {@code ParallelSoftCrossEntropy}. */
    public static final String PARALLEL = "Parallel";
    /** The rooflines of the {@link #PARALLEL} benchmarks: split over the same threads as they are. */
    public static final String PARALLEL_ROOFLINE = PARALLEL + ROOFLINE;

    private static final Pattern LOSS_METHOD = Pattern.compile("([a-z]+)(Forward|ForwardBackward)(16|32|64)");
    private static final Pattern ROOFLINE_METHOD = Pattern.compile("(dot|stream)(16|32|64)");

    /** Parses a fully qualified JMH benchmark name, or returns null when it follows neither pattern. */
    public static BenchmarkId parse(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String method = benchmark.substring(dot + 1);
        String cls = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
        if (!cls.endsWith("Bench") || cls.length() == "Bench".length()) {
            return null;
        }
        String loss = cls.substring(0, cls.length() - "Bench".length());
        if (loss.equals(ROOFLINE) || loss.equals(PARALLEL_ROOFLINE)) {
            Matcher m = ROOFLINE_METHOD.matcher(method);
            return m.matches() ? new BenchmarkId(loss, m.group(1), m.group(1).equals("stream"),
                    Integer.parseInt(m.group(2))) : null;
        }
        Matcher m = LOSS_METHOD.matcher(method);
        return m.matches() ? new BenchmarkId(loss, m.group(1), m.group(2).equals("ForwardBackward"),
                Integer.parseInt(m.group(3))) : null;
    }

    public boolean isRoofline() {
        return loss.equals(ROOFLINE) || loss.equals(PARALLEL_ROOFLINE);
    }

    /**
     * The roofline this benchmark is normalised by: dot for forward passes, stream for forward + gradient; the
     * threaded one ({@link #PARALLEL_ROOFLINE}, to be taken at the same thread count) for a {@link #PARALLEL} loss.
     */
    public BenchmarkId roofline() {
        return new BenchmarkId(loss.startsWith(PARALLEL) ? PARALLEL_ROOFLINE : ROOFLINE, backward ? "stream" : "dot",
                backward, bits);
    }

    /** The naive form of the same loss and operation, the baseline of the report's speedup column. */
    public BenchmarkId naive() {
        return new BenchmarkId(loss, "naive", backward, bits);
    }

    /**
     * Bytes one element costs in memory traffic: the N x C arrays read (logits, and targets or teacher logits,
     * except for hard labels, whose targets are one index per row), plus the gradient written when
     * {@link #backward}. The stream roofline reads two and writes one.
     */
    public int bytesPerElement() {
        int arraysRead = loss.endsWith("HardCrossEntropy") ? 1 : 2;
        return (arraysRead + (backward ? 1 : 0)) * (bits / 8);
    }

    /** Short label for tables and charts, e.g. {@code vector fwd+grad f32}. */
    public String label() {
        if (isRoofline()) {
            return "roofline " + (backward ? "stream r2w1" : "dot") + " f" + bits;
        }
        return implementation + (backward ? " fwd+grad" : " fwd") + (bits == 16 ? " 16-bit" : " f" + bits);
    }
}
