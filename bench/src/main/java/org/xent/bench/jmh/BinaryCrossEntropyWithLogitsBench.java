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
import org.xent.BinaryCrossEntropyWithLogits;
import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;
import org.xent.internal.KernelProvider;

/**
 * Binary cross-entropy on logits against uniform soft binary targets, float32 and float64, sum reduction, no weights.
 * Naming and measurement as in {@link SoftCrossEntropyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BinaryCrossEntropyWithLogitsBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256"})
    public String shape;

    private final BinaryCrossEntropyWithLogits provider =
            BinaryCrossEntropyWithLogits.builder().reduction(Reduction.SUM).build();
    private final BinaryCrossEntropyWithLogitsKernel scalar = KernelProvider.scalar().binaryCrossEntropyWithLogits();
    private float[][] targets;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        targets = Derived.uniform(in.logits.length, in.logits[0].length, InputSets.SEED + 2);
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForward(in.logits[s], targets[s], in.logits[s].length);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForwardBackward(in.logits[s], targets[s], in.logits[s].length, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, targets[s], 0, in.rows, in.classes, null, 0, null, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, targets[s], 0, in.rows, in.classes, null, 0, null, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 binary targets, derived in double from the {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        double[][] targets;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            targets = Derived.uniform64(in.logits.length, in.logits[0].length, InputSets.SEED + 2);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0, null, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0, null, null,
                0, in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /** By hand: sigmoid, then the binary cross-entropy of it, each log clamped at -100. */
    static double naiveForward(float[] x, float[] y, int size) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            float p = (float) (1.0 / (1.0 + Math.exp(-x[i])));
            total -= y[i] * Math.max((float) Math.log(p), -100f)
                    + (1f - y[i]) * Math.max((float) Math.log(1f - p), -100f);
        }
        return total;
    }

    /** By hand: the loss as above and the gradient {@code sigmoid(x) - y}. */
    static double naiveForwardBackward(float[] x, float[] y, int size, float[] g) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            float p = (float) (1.0 / (1.0 + Math.exp(-x[i])));
            total -= y[i] * Math.max((float) Math.log(p), -100f)
                    + (1f - y[i]) * Math.max((float) Math.log(1f - p), -100f);
            g[i] = p - y[i];
        }
        return total;
    }
}
