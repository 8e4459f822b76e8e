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
import org.xent.ProbabilityCrossEntropy;
import org.xent.internal.KernelProvider;
import org.xent.internal.ProbabilityCrossEntropyKernel;

/**
 * Cross-entropy of soft targets against probability inputs (the softmax of the logits), float32 and float64, sum
 * reduction, no weights. The library path includes its check that every input is in [0, 1]; the scalar kernel
 * call does not. Naming and measurement as in {@link SoftCrossEntropyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ProbabilityCrossEntropyBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256"})
    public String shape;

    private final ProbabilityCrossEntropy provider = ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).build();
    private final ProbabilityCrossEntropyKernel scalar = KernelProvider.scalar().probabilityCrossEntropy();
    private float[][] probs;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        probs = Derived.softmax(in.logits, in.classes);
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForward(probs[s], in.targets[s], probs[s].length);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForwardBackward(probs[s], in.targets[s], probs[s].length, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, false, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, false, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 probabilities, derived in double from the {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        double[][] probs;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            probs = Derived.softmax(in.logits, in.classes);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, false, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, false, null, 0,
                in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(d.probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(d.probs[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /** By hand: {@code -sum y max(log p, -100)}. */
    static double naiveForward(float[] p, float[] y, int size) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            total -= y[i] * Math.max((float) Math.log(p[i]), -100f);
        }
        return total;
    }

    /** By hand: the loss as above and the gradient {@code -y / p}. */
    static double naiveForwardBackward(float[] p, float[] y, int size, float[] g) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            total -= y[i] * Math.max((float) Math.log(p[i]), -100f);
            g[i] = -y[i] / p[i];
        }
        return total;
    }
}
