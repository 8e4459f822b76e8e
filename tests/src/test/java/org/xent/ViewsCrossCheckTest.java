package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xent.internal.HalfFloats;

/**
 * Every loss through {@link Loss} on every storage kind (heap array, heap segment over a {@code byte[]} at an odd
 * address, native memory), every floating element type of the input, the targets, the unreduced output and the
 * gradient, contiguous and padded rows, against two oracles:
 * <ul>
 *   <li>the same loss on contiguous {@code float[]} (or {@code double[]}) arrays of the widened values: the kernels
 *       the array methods run, which the other cross-checks compare with the scalar twins and the float64
 *       reference at every width. Unreduced values and gradients must agree to the last place of the output's
 *       type, with a small absolute floor where a gradient is a near-cancelling difference (bit for bit once both
 *       calls run C2 code, see {@link #assertSame}); the reduced value may also
 *       differ by the order in which the staged blocks' sums are added, at most one float32 ulp;</li>
 *   <li>the float64 path on the same widened values, within 1e-4 relative (float32 accumulation).</li>
 * </ul>
 * Guard bytes around every view and in the row padding must be left untouched. Shapes include several staged
 * blocks (40 x 600) and rows long enough for the chunked soft-CE path (3 x 2100).
 */
class ViewsCrossCheckTest {

    private static final ElementType[] FLOATS = {ElementType.FLOAT32, ElementType.BFLOAT16, ElementType.FLOAT16,
            ElementType.FLOAT64};

    record LossCase(String name, Loss loss, int inputKind, boolean indices, boolean elementwise) {
        @Override
        public String toString() {
            return name;
        }
    }

    // input kinds: 0 logits ~ N(0, 3), 1 probabilities in (0.02, 0.98), 2 log-probabilities
    static List<LossCase> losses(int rows, int classes) {
        float[] w = new float[classes];
        float[] pw = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = 0.25f + (c % 7) * 0.25f;
            pw[c] = 0.5f + (c % 5) * 0.5f;
        }
        float[] perElement = new float[rows * classes];
        for (int i = 0; i < perElement.length; i++) {
            perElement[i] = 0.5f + (i % 11) * 0.125f;
        }
        return List.of(
                new LossCase("soft CE, weights, smoothing", SoftCrossEntropy.builder().classWeights(w)
                        .labelSmoothing(0.1).build(), 0, false, false),
                new LossCase("soft CE, sum", SoftCrossEntropy.builder().reduction(Reduction.SUM).build(), 0, false, false),
                new LossCase("hard CE, weights, ignore", HardCrossEntropy.builder().classWeights(w).ignoreIndex(1)
                        .labelSmoothing(0.05).build(), 0, true, false),
                new LossCase("BCE", BinaryCrossEntropy.builder().weights(w).build(), 1, false, true),
                new LossCase("BCE, per-element weights", BinaryCrossEntropy.builder().weights(perElement).build(), 1,
                        false, true),
                new LossCase("BCE with logits, pos weight", BinaryCrossEntropyWithLogits.builder().posWeight(pw)
                        .reduction(Reduction.SUM).build(), 0, false, true),
                new LossCase("probability CE", ProbabilityCrossEntropy.builder().classWeights(w).build(), 1, false,
                        false),
                new LossCase("KL, log target", KLDivergence.builder().logTarget(true).build(), 2, false, true),
                new LossCase("distillation T=2", Distillation.builder().temperature(2).build(), 0, false, false));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{5, 37}, {40, 600}, {3, 2100}};
        for (int[] shape : shapes) {
            for (LossCase lc : losses(shape[0], shape[1])) {
                for (Placed.Kind kind : Placed.Kind.values()) {
                    for (ElementType in : FLOATS) {
                        // the target in the input's type, and float32 beside a 16-bit input (mixed)
                        ElementType target = kind == Placed.Kind.NATIVE && in == ElementType.BFLOAT16
                                ? ElementType.FLOAT32 : in;
                        // the gradient in float32, or in the input's type; padded rows on the segments
                        ElementType grad = kind == Placed.Kind.HEAP_SEGMENT ? in : ElementType.FLOAT32;
                        int pad = kind == Placed.Kind.HEAP_ARRAY ? 0 : 3;
                        out.add(Arguments.of(lc, shape[0], shape[1], kind, in, target, grad, pad));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} {3} input {4} target {5} grad {6} pad {7}")
    @MethodSource("cases")
    void matchesTheArrayKernels(LossCase lc, int rows, int classes, Placed.Kind kind, ElementType inType,
                                ElementType targetType, ElementType gradType, int pad) {
        SplittableRandom rnd = new SplittableRandom(31L * rows + classes);
        float[] x = new float[rows * classes];
        float[] t = new float[rows * classes];
        double[] idx = new double[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = Placed.representable(input(lc.inputKind, rnd), inType);
            t[i] = Placed.representable(target(lc, rnd), targetType);
        }
        for (int r = 0; r < rows; r++) {
            idx[r] = rnd.nextInt(classes);
        }
        ElementType indexType = kind == Placed.Kind.NATIVE ? ElementType.INT64 : ElementType.INT32;
        int outWidth = lc.elementwise ? classes : 1;
        try (Arena arena = Arena.ofConfined()) {
            Placed px = Placed.matrix(x, rows, classes, pad, inType, kind, arena);
            Placed pt = lc.indices ? Placed.vector(idx, indexType, kind, arena)
                    : Placed.matrix(t, rows, classes, pad, targetType, kind, arena);
            ElementType outType = inType == ElementType.FLOAT64 ? ElementType.FLOAT64 : gradType;
            Placed po = lc.elementwise ? Placed.matrix(new float[rows * classes], rows, classes, pad, outType, kind, arena)
                    : Placed.vector(new double[rows], outType, kind, arena);
            Placed pg = Placed.matrix(new float[rows * classes], rows, classes, pad,
                    inType == ElementType.FLOAT64 ? ElementType.FLOAT64 : gradType, kind, arena);

            double got = lc.loss.forwardBackward(px.view, pt.view, po.view, pg.view);
            double gotForward = lc.loss.forward(px.view, pt.view);

            // oracle: contiguous arrays of the compute type, the direct kernel call
            boolean f64 = inType == ElementType.FLOAT64;
            TensorView ox, ot;
            int[] idxInts = new int[rows];
            for (int r = 0; r < rows; r++) {
                idxInts[r] = (int) idx[r];
            }
            float[] oOut32 = new float[rows * outWidth];
            float[] oGrad32 = new float[rows * classes];
            double[] oOut64 = new double[rows * outWidth];
            double[] oGrad64 = new double[rows * classes];
            double want;
            if (f64) {
                ox = TensorView.of(widen(x)).matrix(rows, classes);
                ot = lc.indices ? TensorView.of(idxInts) : TensorView.of(widen(t)).matrix(rows, classes);
                want = lc.loss.forwardBackward(ox, ot, outView(oOut64, rows, classes, lc.elementwise),
                        TensorView.of(oGrad64).matrix(rows, classes));
            } else {
                ox = TensorView.of(x.clone()).matrix(rows, classes);
                ot = lc.indices ? TensorView.of(idxInts) : TensorView.of(t.clone()).matrix(rows, classes);
                want = lc.loss.forwardBackward(ox, ot, outView(oOut32, rows, classes, lc.elementwise),
                        TensorView.of(oGrad32).matrix(rows, classes));
            }
            String what = lc + " " + rows + "x" + classes + " " + kind + " " + inType + "/" + targetType + "/"
                    + gradType;
            assertClose(want, got, f64, what + " reduced");
            assertClose(want, gotForward, f64, what + " forward reduced");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < outWidth; c++) {
                    int i = r * outWidth + c;
                    double expected = f64 ? oOut64[i] : rounded(oOut32[i], po.view.elementType());
                    assertSame(expected, lc.elementwise ? po.get(r, c) : po.get(r, 0), po.view.elementType(), what + " unreduced " + i);
                }
                // a gradient element near cancellation (p A - a with p A close to a) is accurate to a few ulps of
                // the row's largest terms, not of itself: the floor is a few ulps of the row's largest gradient
                double rowScale = 0;
                for (int c = 0; c < classes; c++) {
                    rowScale = Math.max(rowScale, Math.abs(f64 ? oGrad64[r * classes + c] : oGrad32[r * classes + c]));
                }
                double floor = f64 ? 16 * Math.ulp(rowScale) : 4 * Math.ulp((float) rowScale);
                for (int c = 0; c < classes; c++) {
                    int i = r * classes + c;
                    double expected = f64 ? oGrad64[i] : rounded(oGrad32[i], pg.view.elementType());
                    double actual = pg.get(r, c);
                    if (Math.abs(expected - actual) <= floor && pg.view.elementType() != ElementType.BFLOAT16
                            && pg.view.elementType() != ElementType.FLOAT16) {
                        continue;
                    }
                    assertSame(expected, actual, pg.view.elementType(), what + " gradient (" + r + ", " + c + ")");
                }
            }
            px.assertGuardsUntouched(what + " input");
            pt.assertGuardsUntouched(what + " target");
            po.assertGuardsUntouched(what + " unreduced");
            pg.assertGuardsUntouched(what + " gradient");

            // the float64 path on the same values
            if (!f64) {
                TensorView dx = TensorView.of(widen(x)).matrix(rows, classes);
                TensorView dt = lc.indices ? TensorView.of(idxInts) : TensorView.of(widen(t)).matrix(rows, classes);
                double ref = lc.loss.forward(dx, dt);
                assertTrue(Math.abs(got - ref) <= 1e-4 * Math.max(1, Math.abs(ref)),
                        what + ": float32 " + got + " against float64 " + ref);
            }
        }
    }

    /**
     * Every finite bit pattern of the 16-bit type as a target (normal, subnormal, zeros of both signs, negative),
     * with logits cycling through the patterns of magnitude at most 60, through the segment kernels (native, both
     * of the type), against the array kernels on the widened values: a wrong widening of any class of patterns
     * would show in the gradient {@code p A - a}, which holds every target. One long row (chunked) and 16 rows.
     */
    @ParameterizedTest(name = "{0}, {1} rows")
    @org.junit.jupiter.params.provider.CsvSource({"BFLOAT16, 1", "BFLOAT16, 16", "FLOAT16, 1", "FLOAT16, 16"})
    void everyHalfPatternWidensExactly(ElementType type, int rows) {
        List<Float> targets = new ArrayList<>();
        List<Float> logits = new ArrayList<>();
        for (int bits = 0; bits < 65536; bits++) {
            float v = type == ElementType.BFLOAT16 ? HalfFloats.bfloat16ToFloat((short) bits)
                    : Float.float16ToFloat((short) bits);
            if (Float.isFinite(v) && Math.abs(v) <= 1e6f) {
                targets.add(v);
            }
            if (Float.isFinite(v) && Math.abs(v) <= 60f) {
                logits.add(v);
            }
        }
        int classes = targets.size() / rows;
        int n = rows * classes;
        float[] t = new float[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = targets.get(i);
            x[i] = logits.get(i % logits.size());
        }
        Loss loss = SoftCrossEntropy.builder().reduction(Reduction.SUM).build();
        try (Arena arena = Arena.ofConfined()) {
            Placed px = Placed.matrix(x, rows, classes, 0, type, Placed.Kind.NATIVE, arena);
            Placed pt = Placed.matrix(t, rows, classes, 0, type, Placed.Kind.NATIVE, arena);
            Placed pg = Placed.matrix(new float[n], rows, classes, 0, ElementType.FLOAT32, Placed.Kind.NATIVE, arena);
            Placed po = Placed.vector(new double[rows], ElementType.FLOAT32, Placed.Kind.NATIVE, arena);
            double got = loss.forwardBackward(px.view, pt.view, po.view, pg.view);
            float[] g = new float[n];
            float[] rowLoss = new float[rows];
            double want = loss.forwardBackward(TensorView.of(x).matrix(rows, classes),
                    TensorView.of(t).matrix(rows, classes), TensorView.of(rowLoss), TensorView.of(g).matrix(rows, classes));
            assertClose(want, got, false, type + " reduced");
            for (int r = 0; r < rows; r++) {
                assertSame(rowLoss[r], po.get(r, 0), ElementType.FLOAT32, type + " row " + r);
                for (int c = 0; c < classes; c++) {
                    assertSame(g[r * classes + c], pg.get(r, c), ElementType.FLOAT32,
                            type + " gradient at target " + t[r * classes + c]);
                }
            }
        }
    }

    private static TensorView outView(float[] a, int rows, int classes, boolean elementwise) {
        return elementwise ? TensorView.of(a).matrix(rows, classes) : TensorView.of(a);
    }

    private static TensorView outView(double[] a, int rows, int classes, boolean elementwise) {
        return elementwise ? TensorView.of(a).matrix(rows, classes) : TensorView.of(a);
    }

    private static double rounded(float v, ElementType type) {
        return switch (type) {
            case BFLOAT16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(v));
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            default -> v;
        };
    }

    /**
     * Same value up to the last place of the output's type: the kernels are the same, but a call that runs
     * interpreted or C1-compiled adds vector lanes in another order than C2's intrinsic (seen: one float64 row of
     * distillation one ulp apart), so two calls agree bit for bit only once both run the same code.
     */
    private static void assertSame(double expected, double actual, ElementType type, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual) || expected == actual) {
            return;
        }
        double ulp = switch (type) {
            // gradients near cancellation are allowed a few ulps of their row's largest value by the caller (seen
            // across JIT tiers: 4.4 ulps of a float64 distillation element; 1.0e-8 on 5.8e-5 in a soft CE row whose
            // terms are about 0.1)
            case FLOAT64 -> 16 * Math.ulp(expected);
            case FLOAT32 -> 2 * Math.ulp((float) expected);
            case BFLOAT16 -> Math.ulp((float) expected) * 65536;
            default -> Math.max(Math.ulp((float) expected) * 8192, 0x1p-24);
        };
        assertTrue(Math.abs(expected - actual) <= ulp, what + ": expected " + expected + ", got " + actual);
    }

    private static void assertClose(double expected, double actual, boolean f64, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;
        }
        double ulp = f64 ? 1e-12 * Math.abs(expected) : Math.ulp((float) expected);
        assertTrue(Math.abs(expected - actual) <= ulp, what + ": expected " + expected + ", got " + actual);
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static float input(int kind, SplittableRandom rnd) {
        return switch (kind) {
            case 0 -> (float) (3 * gaussian(rnd));
            case 1 -> (float) (0.02 + 0.96 * rnd.nextDouble());
            default -> (float) Math.log(0.001 + rnd.nextDouble());
        };
    }

    static float target(LossCase lc, SplittableRandom rnd) {
        if (lc.name.startsWith("distillation")) {
            return (float) (3 * gaussian(rnd));
        }
        if (lc.name.startsWith("KL")) {
            return (float) Math.log(0.001 + rnd.nextDouble());
        }
        return (float) rnd.nextDouble() * 0.1f;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble(1e-12, 1);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
