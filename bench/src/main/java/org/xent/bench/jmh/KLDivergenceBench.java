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
import org.xent.KLDivergence;
import org.xent.internal.KLDivergenceKernel;
import org.xent.internal.KernelProvider;

/**
 * KL divergence (float32 and float64) of probability targets from log-probability inputs (the log-softmax of the
 * logits), sum reduction. Naming and measurement as in {@link SoftCrossEntropyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KLDivergenceBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256"})
    public String shape;

    private final KLDivergence provider = KLDivergence.builder().reduction(Reduction.SUM).build();
    private final KLDivergenceKernel scalar = KernelProvider.scalar().klDivergence();
    private float[][] logProbs;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        logProbs = Derived.logSoftmax(in.logits, in.classes);
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForward(logProbs[s], in.targets[s], logProbs[s].length);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForwardBackward(logProbs[s], in.targets[s], logProbs[s].length, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(logProbs[s], 0, in.targets[s], 0, logProbs[s].length, false, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(logProbs[s], 0, in.targets[s], 0, logProbs[s].length, false, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(logProbs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(logProbs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 log-probabilities, derived in double from the {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        double[][] logProbs;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            logProbs = Derived.logSoftmax(in.logits, in.classes);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.logProbs[s], 0, in.targets[s], 0, d.logProbs[s].length, false, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.logProbs[s], 0, in.targets[s], 0, d.logProbs[s].length, false, null, 0,
                in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(d.logProbs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(d.logProbs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /** By hand: {@code sum t (log t - x)}, skipping zero targets. */
    static double naiveForward(float[] x, float[] t, int size) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            if (t[i] > 0f) {
                total += t[i] * ((float) Math.log(t[i]) - x[i]);
            }
        }
        return total;
    }

    /** By hand: the loss as above and the gradient {@code -t}. */
    static double naiveForwardBackward(float[] x, float[] t, int size, float[] g) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            if (t[i] > 0f) {
                total += t[i] * ((float) Math.log(t[i]) - x[i]);
            }
            g[i] = -t[i];
        }
        return total;
    }
}
