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
import org.xent.Distillation;
import org.xent.internal.DistillationKernel;
import org.xent.internal.KernelProvider;

/**
 * Knowledge distillation (float32 and float64): student logits against independent N(0, 3^2) teacher logits at
 * temperature {@value #TEMPERATURE}, sum reduction. Naming and measurement as in {@link SoftCrossEntropyBench};
 * the 8 x 128256 shape is a language model's vocabulary.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class DistillationBench {

    static final double TEMPERATURE = 2.0;

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256", "1024x1000:hot"})
    public String shape;

    private final Distillation provider =
            Distillation.builder().reduction(Reduction.SUM).temperature(TEMPERATURE).build();
    private final DistillationKernel scalar = KernelProvider.scalar().distillation();
    private float[][] teacher;
    private float[] teacherRow;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        teacher = Derived.logits(in.logits.length, in.logits[0].length, InputSets.SEED + 3);
        teacherRow = new float[in.classes];
    }

    @Benchmark
    public double naiveForward32(Inputs32 in) {
        int s = in.nextSet();
        return naive(in.logits[s], teacher[s], in.rows, in.classes, in.scratch, teacherRow, null);
    }

    @Benchmark
    public double naiveForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return naive(in.logits[s], teacher[s], in.rows, in.classes, in.scratch, teacherRow, in.grad);
    }

    @Benchmark
    public double scalarForward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, teacher[s], 0, in.rows, in.classes, TEMPERATURE, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, teacher[s], 0, in.rows, in.classes, TEMPERATURE, null, 0,
                in.grad, 0, 1f);
    }

    @Benchmark
    public float vectorForward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, teacher[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public float vectorForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, teacher[s], 0, in.rows, in.classes, null, 0, in.grad, 0);
    }

    // ---------------------------------------------------------------- other storage, through the Loss API
    // As in SoftCrossEntropyBench: native float32, and bfloat16 / float16 storage (native) with the gradient in the
    // same type; the "16" methods are compared with RooflineBench.dot16 / stream16 (the same bytes).

    /** Native and 16-bit copies of the student and teacher sets, built only for the methods using them. */
    @State(Scope.Thread)
    public static class Views {
        StorageViews v;

        @Setup(Level.Trial)
        public void setUp(Inputs32 in) {
            float[][] teacher = Derived.logits(in.logits.length, in.logits[0].length, InputSets.SEED + 3);
            v = new StorageViews(in.logits, teacher, in.rows, in.classes);
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

    /**
     * The float64 teacher logits (the same draws as the float32 ones), derived in double from the
     * {@link Inputs64} sets.
     * A state of its own rather than a setup of the benchmark class, so that the float32 methods do not build
     * the float64 sets.
     */
    @State(Scope.Thread)
    public static class Data64 {
        double[][] teacher;

        @Setup(Level.Trial)
        public void setUp(Inputs64 in) {
            teacher = Derived.logits64(in.logits.length, in.logits[0].length, InputSets.SEED + 3);
        }
    }

    @Benchmark
    public double scalarForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.teacher[s], 0, in.rows, in.classes, TEMPERATURE, null, 0, null, 0, 0);
    }

    @Benchmark
    public double scalarForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return scalar.forwardBackward(in.logits[s], 0, d.teacher[s], 0, in.rows, in.classes, TEMPERATURE, null,
                0, in.grad, 0, 1.0);
    }

    @Benchmark
    public double vectorForward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forward(in.logits[s], 0, d.teacher[s], 0, in.rows, in.classes, null, 0);
    }

    @Benchmark
    public double vectorForwardBackward64(Inputs64 in, Data64 d) {
        int s = in.nextSet();
        return provider.forwardBackward(in.logits[s], 0, d.teacher[s], 0, in.rows, in.classes, null, 0,
                in.grad, 0);
    }

    /**
     * By hand: both softmaxes at temperature T into temporaries, then {@code T^2 sum pt (log pt - log ps)}
     * and, when {@code g} is given, the gradient {@code T (ps - pt)}.
     */
    static double naive(float[] student, float[] teacher, int rows, int classes, float[] ps, float[] pt, float[] g) {
        float invT = (float) (1.0 / TEMPERATURE);
        float t = (float) TEMPERATURE;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float ms = Float.NEGATIVE_INFINITY;
            float mt = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                ms = Math.max(ms, student[o + c]);
                mt = Math.max(mt, teacher[o + c]);
            }
            float ss = 0f;
            float st = 0f;
            for (int c = 0; c < classes; c++) {
                ps[c] = (float) Math.exp((student[o + c] - ms) * invT);
                pt[c] = (float) Math.exp((teacher[o + c] - mt) * invT);
                ss += ps[c];
                st += pt[c];
            }
            float loss = 0f;
            for (int c = 0; c < classes; c++) {
                float p = ps[c] / ss;
                float q = pt[c] / st;
                loss += q * ((float) Math.log(q) - (float) Math.log(p));
                if (g != null) {
                    g[o + c] = t * (p - q);
                }
            }
            total += t * t * loss;
        }
        return total;
    }
}
