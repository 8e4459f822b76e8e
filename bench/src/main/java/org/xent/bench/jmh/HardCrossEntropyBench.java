package org.xent.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xent.Reduction;
import org.xent.HardCrossEntropy;
import org.xent.internal.HardCrossEntropyKernel;
import org.xent.internal.KernelProvider;

/**
 * Cross-entropy with class-index targets (float32 and float64), sum reduction, no weights, no smoothing. Naming and
 * measurement as in {@link SoftCrossEntropyBench}; the labels are uniform class indices.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class HardCrossEntropyBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256"})
    public String shape;

    private final HardCrossEntropy provider = HardCrossEntropy.builder().reduction(Reduction.SUM).build();
    private final HardCrossEntropyKernel scalar = KernelProvider.scalar().hardCrossEntropy();
    private int[][] labels;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        labels = Derived.classIndices(in.logits.length, in.rows, in.classes, InputSets.SEED + 1);
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForward(in.logits[s], labels[s], in.rows, in.classes, in.scratch);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForwardBackward(in.logits[s], labels[s], in.rows, in.classes, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, labels[s], 0, in.rows, in.classes, null, 0f,
                HardCrossEntropy.DEFAULT_IGNORE_INDEX, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, labels[s], 0, in.rows, in.classes, null, 0f,
                HardCrossEntropy.DEFAULT_IGNORE_INDEX, null, 0, in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, labels[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, labels[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 labels (the same class indices as the float32 ones), derived in double from the
     * {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        int[][] labels;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            labels = Derived.classIndices(in.logits.length, in.rows, in.classes, InputSets.SEED + 1);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.labels[s], 0, in.rows, in.classes, null, 0.0,
                HardCrossEntropy.DEFAULT_IGNORE_INDEX, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.labels[s], 0, in.rows, in.classes, null, 0.0,
                HardCrossEntropy.DEFAULT_IGNORE_INDEX, null, 0, in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, d.labels[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, d.labels[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /** By hand: softmax into a temporary, then the log of the target's probability. */
    static double naiveForward(float[] x, int[] t, int rows, int classes, float[] tmp) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                tmp[c] = e;
                sum += e;
            }
            total -= (float) Math.log(tmp[t[r]] / sum);
        }
        return total;
    }

    /** By hand: softmax into the gradient, the log of the target's probability, then subtract the one-hot. */
    static double naiveForwardBackward(float[] x, int[] t, int rows, int classes, float[] g) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                g[o + c] /= sum;
            }
            total -= (float) Math.log(g[o + t[r]]);
            g[o + t[r]] -= 1f;
        }
        return total;
    }
}
