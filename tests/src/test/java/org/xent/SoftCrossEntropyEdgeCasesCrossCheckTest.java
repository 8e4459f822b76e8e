package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xent.internal.KernelProvider;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * The edge cases of the spec's table (section 7, soft-target cross-entropy) through both kernels, float32 and
 * float64, forward and forward + backward. Each row is also run embedded in a wider row of masked classes
 * (logit -inf, target 0), placed first (vector main loop) and last (masked tail): by the masked-class
 * deviation those classes contribute exactly 0, so the loss and the real classes' gradient must not change,
 * and the masked classes' gradient must be exactly 0.
 *
 * <p>Where PyTorch gives NaN only because of {@code 0 * -inf} (a masked class), the library documents a
 * deviation and gives the finite value; those cases say so below.
 */
class SoftCrossEntropyEdgeCasesCrossCheckTest {

    private static final float NINF = Float.NEGATIVE_INFINITY;
    private static final float PINF = Float.POSITIVE_INFINITY;
    private static final int PAD = 37; // masked classes added around a row: two vector iterations + a tail at 512 bits

    private static final SoftCrossEntropyKernel[] KERNELS = {
            KernelProvider.vector().orElseThrow().softCrossEntropy(), KernelProvider.scalar().softCrossEntropy()};

    /** What a case expects: loss NaN, +inf, or a value (with tolerance); gradient NaN, or values. */
    private record Expect(double loss, double lossTol, double[] grad, double gradTol) {}

    private static Expect value(double loss, double lossTol, double[] grad, double gradTol) {
        return new Expect(loss, lossTol, grad, gradTol);
    }

    // --------------------------------------------------------------------------------- cases from the table

    @Test
    void maskedLogitWithZeroTargetIsFiniteByDeviation() {
        // PyTorch: loss NaN (0 * -inf); ours: the masked class contributes 0, loss = -(.3 lsm_0 + .7 lsm_1)
        double lse = 2 + Math.log1p(Math.exp(-1));
        double loss = 0.3 * (lse - 1) + 0.7 * (lse - 2);
        check("x=(1,2,-inf) y=(.3,.7,0)", new float[] {1, 2, NINF}, new float[] {.3f, .7f, 0}, null, 0,
                value(loss, 1e-6, new double[] {-0.0311, 0.0311, 0}, 1e-4), true);
    }

    @Test
    void maskedLogitWithSmoothingIsInfinite() {
        check("x=(1,2,-inf) y=(.3,.7,0) eps=.1", new float[] {1, 2, NINF}, new float[] {.3f, .7f, 0}, null, 0.1,
                value(Double.POSITIVE_INFINITY, 0, new double[] {-0.0344, 0.0677, -0.0333}, 1e-4), false);
    }

    @Test
    void maskedLogitWithSmoothingAndZeroWeightIsFiniteByDeviation() {
        // PyTorch: NaN; ours: weight 0 makes the coefficient exactly 0, so the masked class contributes 0
        float[] x = {1, 2, NINF};
        float[] y = {.3f, .7f, 0};
        float[] w = {1, 1, 0};
        double[] a = {0.9 * 0.3 + 0.1 / 3, 0.9 * 0.7 + 0.1 / 3, 0};
        double lse = 2 + Math.log1p(Math.exp(-1));
        double sumA = a[0] + a[1];
        double p0 = Math.exp(1 - lse), p1 = Math.exp(2 - lse);
        check("x=(1,2,-inf) y=(.3,.7,0) eps=.1 w=(1,1,0)", x, y, w, 0.1,
                value(a[0] * (lse - 1) + a[1] * (lse - 2), 1e-6,
                        new double[] {p0 * sumA - a[0], p1 * sumA - a[1], 0}, 1e-6), false);
    }

    @Test
    void maskedLogitWithPositiveTargetIsInfinite() {
        double lse = 2 + Math.log1p(Math.exp(-1));
        double p0 = Math.exp(1 - lse), p1 = Math.exp(2 - lse);
        check("x=(1,2,-inf) y=(.1,.7,.2)", new float[] {1, 2, NINF}, new float[] {.1f, .7f, .2f}, null, 0,
                value(Double.POSITIVE_INFINITY, 0, new double[] {p0 - .1, p1 - .7, -.2}, 1e-6), true);
    }

    @Test
    void allButOneMaskedWithOneHotIsZeroByDeviation() {
        // PyTorch: NaN (0 * -inf), gradient 0; ours: 0 and gradient 0
        check("x=(-inf,5,-inf) y=(0,1,0)", new float[] {NINF, 5, NINF}, new float[] {0, 1, 0}, null, 0,
                value(0, 0, new double[] {0, 0, 0}, 0), true);
    }

    @Test
    void allLogitsMaskedIsNaN() {
        check("x=(-inf,-inf,-inf) y=(.3,.7,0)", new float[] {NINF, NINF, NINF}, new float[] {.3f, .7f, 0}, null, 0,
                value(Double.NaN, 0, null, 0), true);
    }

    @Test
    void positiveInfinityLogitIsNaN() {
        check("x=(1,+inf,3)", new float[] {1, PINF, 3}, new float[] {.2f, .5f, .3f}, null, 0,
                value(Double.NaN, 0, null, 0), true);
        check("x=(+inf)", new float[] {PINF}, new float[] {1}, null, 0, value(Double.NaN, 0, null, 0), false);
        check("x=(+inf,+inf) y=(0,1)", new float[] {PINF, PINF}, new float[] {0, 1}, null, 0,
                value(Double.NaN, 0, null, 0), true);
    }

    @Test
    void nanLogitOrTargetIsNaN() {
        check("x=(1,NaN,3)", new float[] {1, Float.NaN, 3}, new float[] {.2f, .5f, .3f}, null, 0,
                value(Double.NaN, 0, null, 0), true);
        // a NaN logit where the target is 0 still poisons the row (the deviation only covers -inf)
        check("x=(1,NaN,3) y=(.5,0,.5)", new float[] {1, Float.NaN, 3}, new float[] {.5f, 0, .5f}, null, 0,
                value(Double.NaN, 0, null, 0), true);
        check("y=(.2,NaN,.3)", new float[] {1, 2, 3}, new float[] {.2f, Float.NaN, .3f}, null, 0,
                value(Double.NaN, 0, null, 0), true);
        check("x=(NaN,NaN)", new float[] {Float.NaN, Float.NaN}, new float[] {.5f, .5f}, null, 0,
                value(Double.NaN, 0, null, 0), true);
    }

    @Test
    void cancellingMaskedTermsMakeTheLossNaNButNotTheGradient() {
        // -inf * 0.5 + -inf * -0.5: the loss is NaN (PyTorch too), but the gradient p * sum(a) - a is finite, as in
        // PyTorch; only a NaN logit may poison the gradient. 32 classes: two full vectors at 512 bits, no tail.
        int c0 = 32;
        float[] x = new float[c0];
        float[] y = new float[c0];
        Arrays.fill(x, -1f);
        x[0] = 0;
        x[1] = NINF;
        x[2] = NINF;
        y[0] = 1;
        y[1] = .5f;
        y[2] = -.5f;
        double s = 1 + 29 * Math.exp(-1);
        double[] grad = new double[c0];
        for (int c = 3; c < c0; c++) {
            grad[c] = Math.exp(-1) / s; // sum(a) = 1
        }
        grad[0] = 1 / s - 1;
        grad[1] = -.5;
        grad[2] = .5;
        check("x=(0,-inf,-inf,-1...) y=(1,.5,-.5,0...)", x, y, null, 0, value(Double.NaN, 0, grad, 1e-6), true);
    }

    @Test
    void hugeLogitsStayExact() {
        check("x=(1e30,-1e30,0) y=(.2,.5,.3)", new float[] {1e30f, -1e30f, 0}, new float[] {.2f, .5f, .3f}, null, 0,
                value(1.3000000951195698e30, 1e24, new double[] {0.8, -0.5, -0.3}, 1e-6), true);
        check("x=(1e30,1e30,-1e30) y=(.5,.5,0)", new float[] {1e30f, 1e30f, -1e30f}, new float[] {.5f, .5f, 0},
                null, 0, value(Math.log(2), 1e-6, new double[] {0, 0, 0}, 1e-7), true);
        check("x=(80,-80,0)", new float[] {80, -80, 0}, new float[] {.2f, .5f, .3f}, null, 0,
                value(104, 1e-4, new double[] {0.8, -0.5, -0.3}, 1e-6), true);
        check("x=(1e4,-1e4,0)", new float[] {1e4f, -1e4f, 0}, new float[] {.2f, .5f, .3f}, null, 0,
                value(13000, 1e-2, new double[] {0.8, -0.5, -0.3}, 1e-6), true);
    }

    @Test
    void unnormalisedAndNegativeTargets() {
        float[] x = {1, 2, 3};
        double lse = 3 + Math.log1p(Math.exp(-1) + Math.exp(-2));
        double[] p = {Math.exp(1 - lse), Math.exp(2 - lse), Math.exp(3 - lse)};
        check("y sums to 2", x, new float[] {.5f, 1, .5f}, null, 0,
                value(2.81521, 1e-5, new double[] {2 * p[0] - .5, 2 * p[1] - 1, 2 * p[2] - .5}, 1e-6), true);
        check("negative target", x, new float[] {-.5f, 1, .5f}, null, 0,
                value(0.407606, 1e-6, new double[] {0.590, -0.755, 0.165}, 1e-3), true);
    }

    @Test
    void zeroTargetRow() {
        // PyTorch gives -0.0; the sign of a zero loss is not asserted
        check("y=0", new float[] {1, 2, 3}, new float[] {0, 0, 0}, null, 0,
                value(0, 0, new double[] {0, 0, 0}, 0), true);
        check("y=0 eps=.1", new float[] {1, 2, 3}, new float[] {0, 0, 0}, null, 0.1,
                value(0.140761, 1e-6, new double[] {-0.0243, -0.00886, 0.0332}, 1e-4), false);
    }

    @Test
    void subnormalTarget() {
        check("y=(1e-40,1,0)", new float[] {1, 2, 3}, new float[] {1e-40f, 1, 0}, null, 0,
                value(1.40761, 1e-5, null, 0), true);
    }

    @Test
    void singleClass() {
        check("C=1", new float[] {0.7f}, new float[] {1}, null, 0, value(0, 0, new double[] {0}, 0), false);
        check("C=1 y=.3", new float[] {-5}, new float[] {.3f}, null, 0, value(0, 0, new double[] {0}, 0), false);
        check("C=1 x=-inf", new float[] {NINF}, new float[] {1}, null, 0, value(Double.NaN, 0, null, 0), false);
    }

    @Test
    void noClassesGiveNegativeZero() {
        for (SoftCrossEntropyKernel k : KERNELS) {
            float[] loss = {7, 7, 7};
            double sum = k.forwardBackward(new float[0], 0, new float[0], 0, 3, 0, null, 0f, loss, 0, null, 0, 0);
            assertEquals(-0.0, sum, "C=0 sum");
            for (float v : loss) {
                assertEquals(-0.0f, v, "C=0 row loss (PyTorch: -0.0)");
            }
            assertEquals(-0.0, k.forwardBackward(new float[0], 0, new float[0], 0, 0, 5, null, 0f, null, 0, null, 0, 0), "N=0 sum");
        }
    }

    // --------------------------------------------------------------------------------- runner

    /**
     * Runs one row through every kernel in float32 and float64, alone and (if {@code pad}) padded with masked
     * classes before and after; weights (if any) are padded with 1.
     */
    private static void check(String name, float[] x, float[] y, float[] w, double eps, Expect expect, boolean pad) {
        run(name, x, y, w, eps, expect, 0, 0);
        if (pad && eps == 0) {
            run(name + " [masked classes after]", x, y, w, eps, expect, 0, PAD);
            run(name + " [masked classes before]", x, y, w, eps, expect, PAD, 0);
        }
    }

    private static void run(String name, float[] x0, float[] y0, float[] w0, double eps, Expect expect,
                            int before, int after) {
        int c0 = x0.length, classes = before + c0 + after;
        float[] x = new float[classes];
        float[] y = new float[classes];
        Arrays.fill(x, NINF);
        System.arraycopy(x0, 0, x, before, c0);
        System.arraycopy(y0, 0, y, before, c0);
        float[] w = null;
        if (w0 != null) {
            w = new float[classes];
            Arrays.fill(w, 1f);
            System.arraycopy(w0, 0, w, before, c0);
        }
        double[] xd = widen(x), yd = widen(y), wd = w == null ? null : widen(w);
        for (SoftCrossEntropyKernel k : KERNELS) {
            String who = name + " (" + k.getClass().getSimpleName() + ")";
            float[] loss32 = new float[1];
            float[] grad32 = new float[classes];
            k.forwardBackward(x, 0, y, 0, 1, classes, w, (float) eps, loss32, 0, null, 0, 0);
            assertLoss(expect, loss32[0], who + " float32 forward");
            k.forwardBackward(x, 0, y, 0, 1, classes, w, (float) eps, loss32, 0, grad32, 0, 1f);
            assertLoss(expect, loss32[0], who + " float32 forwardBackward");
            assertGrad(expect, widen(grad32), before, c0, who + " float32 gradient");

            double[] loss64 = new double[1];
            double[] grad64 = new double[classes];
            k.forwardBackward(xd, 0, yd, 0, 1, classes, wd, eps, loss64, 0, null, 0, 0);
            assertLoss(expect, loss64[0], who + " float64 forward");
            k.forwardBackward(xd, 0, yd, 0, 1, classes, wd, eps, loss64, 0, grad64, 0, 1.0);
            assertLoss(expect, loss64[0], who + " float64 forwardBackward");
            assertGrad(expect, grad64, before, c0, who + " float64 gradient");
        }
    }

    private static void assertLoss(Expect e, double actual, String what) {
        if (Double.isNaN(e.loss) || Double.isInfinite(e.loss)) {
            assertEquals(e.loss, actual, what + ": loss");
        } else if (!(Math.abs(actual - e.loss) <= e.lossTol + 1e-7 * Math.abs(e.loss))) {
            fail(what + ": loss " + actual + ", expected " + e.loss);
        }
    }

    private static void assertGrad(Expect e, double[] g, int before, int c0, String what) {
        if (e.grad == null) {
            if (Double.isNaN(e.loss)) {
                // a NaN row: the gradient must not look valid (PyTorch gives NaN there too)
                boolean anyNaN = false;
                for (int c = 0; c < c0; c++) {
                    anyNaN |= Double.isNaN(g[before + c]);
                }
                assertTrue(anyNaN, what + ": a NaN row must have a NaN gradient, got " + Arrays.toString(g));
            }
            return;
        }
        for (int c = 0; c < g.length; c++) {
            int real = c - before;
            if (real < 0 || real >= c0) {
                assertEquals(0.0, g[c], 0.0, what + ": masked padding class " + c + " must have gradient 0");
                continue;
            }
            double expected = e.grad[real];
            if (!(Math.abs(g[c] - expected) <= e.gradTol + 1e-6 * Math.abs(expected))) {
                fail(what + ": gradient[" + real + "] = " + g[c] + ", expected " + expected + " in "
                        + Arrays.toString(g));
            }
        }
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
