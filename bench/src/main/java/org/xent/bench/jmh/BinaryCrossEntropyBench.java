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
import org.xent.BinaryCrossEntropy;
import org.xent.internal.BinaryCrossEntropyKernel;
import org.xent.internal.KernelProvider;

/**
 * Binary cross-entropy on probabilities (the sigmoid of the logits) against uniform soft binary targets,
 * float32, sum reduction, no weights. Naming and measurement as in {@link SoftCrossEntropyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BinaryCrossEntropyBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256"})
    public String shape;

    private final BinaryCrossEntropy provider = BinaryCrossEntropy.builder().reduction(Reduction.SUM).build();
    private final BinaryCrossEntropyKernel scalar = KernelProvider.scalar().binaryCrossEntropy();
    private float[][] probs;
    private float[][] targets;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        probs = Derived.sigmoid(in.logits);
        targets = Derived.uniform(in.logits.length, in.logits[0].length, InputSets.SEED + 2);
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForward(probs[s], targets[s], probs[s].length);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naiveForwardBackward(probs[s], targets[s], probs[s].length, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(probs[s], 0, targets[s], 0, in.rows, in.classes, null, 0, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(probs[s], 0, targets[s], 0, in.rows, in.classes, null, 0, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(probs[s], 0, targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(probs[s], 0, targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 probabilities and binary targets, derived in double from the {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        double[][] probs;
        double[][] targets;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            probs = Derived.sigmoid(in.logits);
            targets = Derived.uniform64(in.logits.length, in.logits[0].length, InputSets.SEED + 2);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.probs[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(d.probs[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0, null, 0,
                in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(d.probs[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(d.probs[s], 0, d.targets[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /** By hand: {@code -(y log p + (1 - y) log(1 - p))} with PyTorch's clamp of each log at -100. */
    static double naiveForward(float[] p, float[] y, int size) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            total -= y[i] * Math.max((float) Math.log(p[i]), -100f)
                    + (1f - y[i]) * Math.max((float) Math.log(1f - p[i]), -100f);
        }
        return total;
    }

    /** By hand: the loss as above and the gradient {@code (p - y) / max(p (1 - p), 1e-12)}. */
    static double naiveForwardBackward(float[] p, float[] y, int size, float[] g) {
        float total = 0f;
        for (int i = 0; i < size; i++) {
            total -= y[i] * Math.max((float) Math.log(p[i]), -100f)
                    + (1f - y[i]) * Math.max((float) Math.log(1f - p[i]), -100f);
            g[i] = (p[i] - y[i]) / Math.max(p[i] * (1f - p[i]), 1e-12f);
        }
        return total;
    }
}
