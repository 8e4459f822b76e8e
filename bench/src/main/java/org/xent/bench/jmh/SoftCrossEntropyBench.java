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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.internal.KernelProvider;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * Soft-label cross-entropy, one call over a whole N x C batch per operation, summed (no per-call division).
 *
 * <p>Method names follow {@code <implementation><Operation><bits>} (see
 * {@link org.xent.bench.results.BenchmarkId}): {@code naive} is {@link NaiveSoftCrossEntropy}, {@code scalar}
 * the plain-Java fused kernel, {@code vector} the public {@link SoftCrossEntropy}, i.e. the family the provider
 * picked (the Vector API one unless {@code -Dxent.backend=scalar}); the report and the gate read the
 * implementation, the operation and the precision from the name and the element count from {@code shape}.
 * The roofline references for the same shapes are in {@link RooflineBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SoftCrossEntropyBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256", "1024x1000:hot"})
    public String shape;

    private final SoftCrossEntropy provider = SoftCrossEntropy.builder().reduction(Reduction.SUM).build();
    private final SoftCrossEntropyKernel scalar = KernelProvider.scalar().softCrossEntropy();

    // ---------------------------------------------------------------- float32

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return NaiveSoftCrossEntropy.forward(in.logits[s], in.targets[s], in.rows, in.classes, in.scratch);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return NaiveSoftCrossEntropy.forwardBackward(in.logits[s], in.targets[s], in.rows, in.classes, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0f, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0f, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- other storage, through the Loss API
    // native: float32 in native memory; bfloat / half: bfloat16 / float16 storage (native), gradient in the same
    // type. The "16" methods are compared with the rooflines over the same bytes (RooflineBench.dot16, stream16).

    /** The native and 16-bit copies of the input sets: a state of its own, built only for the methods using it. */
    @State(Scope.Thread)
    public static class Views {
        StorageViews v;

        @Setup(Level.Trial)
        public void setUp(Inputs32 in) {
            v = new StorageViews(in.logits, in.targets, in.rows, in.classes);
        }

        @TearDown(Level.Trial)
        public void close() {
            v.close();
        }
    }

    @Benchmark
    public double nativeForward32(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forward(views.v.logits32[s], views.v.targets32[s]);
    }

    @Benchmark
    public double nativeForwardBackward32(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forwardBackward(views.v.logits32[s], views.v.targets32[s], null, views.v.grad32);
    }

    @Benchmark
    public double bfloatForward16(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forward(views.v.logitsBf16[s], views.v.targetsBf16[s]);
    }

    @Benchmark
    public double bfloatForwardBackward16(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forwardBackward(views.v.logitsBf16[s], views.v.targetsBf16[s], null, views.v.gradBf16);
    }

    @Benchmark
    public double halfForward16(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forward(views.v.logitsF16[s], views.v.targetsF16[s]);
    }

    @Benchmark
    public double halfForwardBackward16(Inputs32 in, Views views) {
        int s = in.nextSet();
        return provider.forwardBackward(views.v.logitsF16[s], views.v.targetsF16[s], null, views.v.gradF16);
    }

    // ---------------------------------------------------------------- float64

    @Benchmark
    public double naiveForward64(Inputs64 in) {
        int s = in.nextSet();
        return NaiveSoftCrossEntropy.forward(in.logits[s], in.targets[s], in.rows, in.classes, in.scratch);
    }

    @Benchmark
    public double naiveForwardBackward64(Inputs64 in) {
        int s = in.nextSet();
        return NaiveSoftCrossEntropy.forwardBackward(in.logits[s], in.targets[s], in.rows, in.classes, in.grad);
    }

    @Benchmark
    public double scalarForward64(Inputs64 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0.0, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0.0, null, 0,
                in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, in.targets[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }
}
