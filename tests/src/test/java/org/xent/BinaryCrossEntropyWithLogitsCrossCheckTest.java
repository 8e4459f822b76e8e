package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;
import org.xent.internal.KernelProvider;

/**
 * Binary cross-entropy on logits: the public API (vector kernels in this JVM) and the scalar kernel against a
 * float64 reference written here from the spec's stable form, for every C in 1..70, 100, 1000, 1023, 4097,
 * several N, random weights (none / per class / per element), positive-class weights, reductions, offsets and
 * in-place gradients, with logits that include +-80, +-1e4 and +-1e30.
 *
 * <p>Error units: a loss element in units of {@code eps * M},
 * {@code M = |w| (|(1 - y) x| + (1 + |(pw - 1) y|) (|softplus| + 1))} (the magnitudes of the terms, including
 * those of L = 1 + (pw - 1) y, which cancel when pw y is close to y - 1; the +1 covers rounding
 * {@code 1 + exp(-|x|)} before its log); a gradient element in units of
 * {@code eps * |w| ((|pw y| + |1 - y|) sigmoid(x) + |pw y|)} (its terms can cancel); a reduced value in units of
 * {@code eps * (sqrt(N C) sum M / denominator + |value|)} (summation error grows with the count). Budgets are the measured worst ratios with about 2x headroom.
 */
class BinaryCrossEntropyWithLogitsCrossCheckTest {

    private static final ErrorBudget BUDGET = new ErrorBudget("BinaryCrossEntropyWithLogits cross-check");

    // measured worst |error| / unit (see the printed table), times about 2
    private static final double K_LOSS32 = 3;   // measured 1.15
    private static final double K_GRAD32 = 4;   // measured 1.92
    private static final double K_SUM32 = 1;    // measured 0.16
    // measured 1.17 at 128, 256 and 512 bits: DoubleExpWide (0.89 ulp at worst) and DoubleLog (0.83) against the
    // reference's Math.exp and Math.log (0.12 while the kernel's lanewise EXP/LOG gave their bits)
    private static final double K_LOSS64 = 2.5;
    private static final double K_GRAD64 = 4;   // measured 1.96
    private static final double K_SUM64 = 1;    // measured 0.14

    @AfterAll
    static void printBudget() {
        BUDGET.print();
    }

    @Test
    void everyShape() {
        for (int classes : ErrorBudget.classCounts()) {
            for (int rows : ErrorBudget.rowCounts(classes)) {
                runCase(rows, classes, new Random(2000L * classes + rows));
            }
        }
        runCase(2, 32000, new Random(8));
    }

    /** The spec's stable form in double. */
    static double softplusNeg(double x) {
        double mx = Math.max(-x, 0);
        return Math.log(Math.exp(-mx) + Math.exp(-x - mx)) + mx;
    }

    private static void runCase(int rows, int classes, Random rnd) {
        int size = rows * classes;
        float[] x = new float[size];
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = logit(rnd);
            y[i] = BinaryCrossEntropyCrossCheckTest.target(rnd);
        }
        int mode = rnd.nextInt(3);
        double[] w = mode == 0 ? null : new double[mode == 1 ? classes : size];
        if (w != null) {
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextInt(10) == 0 ? 0.0 : (float) (2 * rnd.nextDouble());
            }
        }
        double[] pw = null;
        if (rnd.nextBoolean()) {
            pw = new double[classes];
            for (int c = 0; c < classes; c++) {
                pw[c] = rnd.nextInt(10) == 0 ? 0.0 : (float) (3 * rnd.nextDouble());
            }
        }
        int wStride = mode == 2 ? classes : 0;
        Reduction reduction = Reduction.values()[rnd.nextInt(3)];
        double den = reduction == Reduction.MEAN ? size : 1;
        String where = "N=" + rows + " C=" + classes + " " + reduction + " weights=" + mode + " pw=" + (pw != null);

        double[] lRef = new double[size];
        double[] gRef = new double[size];
        double[] m = new double[size];
        double[] gm = new double[size];
        double sum = 0, sumM = 0;
        ErrorBudget.Sum acc = new ErrorBudget.Sum();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double xi = x[i], yi = y[i], wi = w == null ? 1 : w[r * wStride + c], pwi = pw == null ? 1 : pw[c];
                double sp = softplusNeg(xi);
                double lw = 1 + (pwi - 1) * yi;
                lRef[i] = wi * ((1 - yi) * xi + lw * sp);
                double sig = 1 / (1 + Math.exp(-xi));
                gRef[i] = wi * ((pwi * yi + (1 - yi)) * sig - pwi * yi) / den;
                // L = 1 + (pw - 1) y is formed in the working precision and can cancel: its unit is 1 + |(pw - 1) y|
                m[i] = Math.abs(wi) * (Math.abs((1 - yi) * xi) + (1 + Math.abs((pwi - 1) * yi)) * (Math.abs(sp) + 1));
                gm[i] = Math.abs(wi) * ((Math.abs(pwi * yi) + Math.abs(1 - yi)) * sig + Math.abs(pwi * yi)) / den;
                sum = acc.add(lRef[i]);
                sumM += m[i];
            }
        }
        double value = sum / den;
        float[] w32 = w == null ? null : BinaryCrossEntropyCrossCheckTest.toFloats(w);
        float[] pw32 = pw == null ? null : BinaryCrossEntropyCrossCheckTest.toFloats(pw);

        // float32 through the public API
        BinaryCrossEntropyWithLogits loss = BinaryCrossEntropyWithLogits.builder().reduction(reduction)
                .weights(w).posWeight(pw).build();
        int xo = rnd.nextInt(5), yo = rnd.nextInt(5), lo = rnd.nextInt(5), go = rnd.nextInt(5);
        boolean inPlace = rnd.nextBoolean();
        float[] xa = ErrorBudget.padded(x, xo, rnd);
        float[] ya = ErrorBudget.padded(y, yo, rnd);
        float[] la = new float[lo + size];
        float[] ga = inPlace ? xa : new float[go + size];
        int gOff = inPlace ? xo : go;
        float forward = loss.forward(ErrorBudget.padded(x, xo, rnd), xo, ya, yo, rows, classes, null, 0);
        float v = loss.forwardBackward(xa, xo, ya, yo, rows, classes, la, lo, ga, gOff);
        double unitValue32 = ErrorBudget.EPS32 * (Math.sqrt(size) * sumM / den + Math.abs(value));
        BUDGET.check("f32 value", where + " value", v, value, unitValue32, K_SUM32);
        BUDGET.check("f32 value (forward)", where + " forward", forward, value, unitValue32, K_SUM32);
        for (int i = 0; i < size; i++) {
            String at = where + " [" + i + "] x=" + x[i] + " y=" + y[i];
            BUDGET.check("f32 loss", at, la[lo + i], lRef[i], ErrorBudget.unit32(m[i]), K_LOSS32);
            BUDGET.check("f32 grad", at, ga[gOff + i], gRef[i], ErrorBudget.unit32(gm[i]), K_GRAD32);
        }

        // float64 through the public API
        double[] x64 = ErrorBudget.toDoubles(x);
        double[] y64 = ErrorBudget.toDoubles(y);
        double[] xd = ErrorBudget.padded(x64, xo, rnd);
        double[] yd = ErrorBudget.padded(y64, yo, rnd);
        double[] ld = new double[lo + size];
        double[] gd = inPlace ? xd : new double[go + size];
        double forward64 = loss.forward(ErrorBudget.padded(x64, xo, rnd), xo, yd, yo, rows, classes, null, 0);
        double v64 = loss.forwardBackward(xd, xo, yd, yo, rows, classes, ld, lo, gd, gOff);
        double unitValue64 = ErrorBudget.EPS64 * (Math.sqrt(size) * sumM / den + Math.abs(value));
        BUDGET.check("f64 value", where + " value", v64, value, unitValue64, K_SUM64);
        BUDGET.check("f64 value (forward)", where + " forward", forward64, value, unitValue64, K_SUM64);
        for (int i = 0; i < size; i++) {
            String at = where + " [" + i + "] x=" + x[i] + " y=" + y[i];
            BUDGET.check("f64 loss", at, ld[lo + i], lRef[i], ErrorBudget.EPS64 * m[i], K_LOSS64);
            BUDGET.check("f64 grad", at, gd[gOff + i], gRef[i], ErrorBudget.EPS64 * gm[i], K_GRAD64);
        }

        // scalar kernels: the reference's own formula in double
        BinaryCrossEntropyWithLogitsKernel scalar = KernelProvider.scalar().binaryCrossEntropyWithLogits();
        float[] l = new float[size];
        float[] g = new float[size];
        double s = scalar.forwardBackward(x, 0, y, 0, rows, classes, w32, wStride, pw32, l, 0, g, 0, (float) (1 / den));
        double[] l64 = new double[size];
        double[] g64 = new double[size];
        double s64 = scalar.forwardBackward(x64, 0, y64, 0, rows, classes, w, wStride, pw, l64, 0, g64, 0, 1 / den);
        for (int i = 0; i < size; i++) {
            String at = where + " [" + i + "] x=" + x[i] + " y=" + y[i];
            BUDGET.check("scalar f32 loss", at, l[i], lRef[i], ErrorBudget.unit32(Math.abs(lRef[i])), 1);
            BUDGET.check("scalar f32 grad", at, g[i], gRef[i], ErrorBudget.unit32(gm[i]), 2);
            BUDGET.check("scalar f64 loss", at, l64[i], lRef[i], ErrorBudget.EPS64 * m[i], 2);
            BUDGET.check("scalar f64 grad", at, g64[i], gRef[i], ErrorBudget.EPS64 * gm[i], 4);
        }
        BUDGET.check("scalar f32 sum", where, s, sum, ErrorBudget.EPS64 * Math.sqrt(size) * sumM, 1); // measured 0.13
        BUDGET.check("scalar f64 sum", where, s64, sum, ErrorBudget.EPS64 * Math.sqrt(size) * sumM, 1);
    }

    /** Mostly N(0, 3^2), with +-80, +-1e4, +-1e30. */
    static float logit(Random rnd) {
        int kind = rnd.nextInt(25);
        float sign = rnd.nextBoolean() ? 1f : -1f;
        return switch (kind) {
            case 0 -> sign * 80f;
            case 1 -> sign * 1e4f;
            case 2 -> sign * 1e30f;
            default -> (float) (3 * rnd.nextGaussian());
        };
    }

    /** The spec's table for x in {+-1e4, +-80, +-1e30, +-inf, NaN} and y in {0, 1, 0.5}, float32 and float64. */
    @Test
    void specTable() {
        float[] xs = {1e4f, -1e4f, 80f, -80f, 1e30f, -1e30f};
        float[][] expected = {{1e4f, 0f, 5000f}, {0f, 1e4f, 5000f}, {80f, 0f, 40f}, {0f, 80f, 40f},
            {1e30f, 0f, 5e29f}, {0f, 1e30f, 5e29f}};
        float[] ys = {0f, 1f, 0.5f};
        BinaryCrossEntropyWithLogits none = BinaryCrossEntropyWithLogits.builder().reduction(Reduction.NONE).build();
        for (int k = 0; k < xs.length; k++) {
            for (int j = 0; j < 3; j++) {
                float[] l = new float[1];
                float[] g = new float[1];
                none.forwardBackward(new float[] {xs[k]}, 0, new float[] {ys[j]}, 0, 1, 1, l, 0, g, 0);
                assertEquals(expected[k][j], l[0], Math.ulp(expected[k][j]) + 1e-6f, "x=" + xs[k] + " y=" + ys[j]);
                float sig = xs[k] > 0 ? 1f : 0f;
                assertEquals(sig - ys[j], g[0], 1e-6f, "grad x=" + xs[k] + " y=" + ys[j]);
                double[] l64 = new double[1];
                double[] g64 = new double[1];
                none.forwardBackward(new double[] {xs[k]}, 0, new double[] {ys[j]}, 0, 1, 1, l64, 0, g64, 0);
                assertEquals(expected[k][j], l64[0], Math.ulp(expected[k][j]) + 1e-6, "f64 x=" + xs[k] + " y=" + ys[j]);
                assertEquals(sig - ys[j], g64[0], 1e-12, "f64 grad x=" + xs[k] + " y=" + ys[j]);
            }
        }
        // +inf: y = 0 -> +inf, y = 1 -> NaN, y = .5 -> +inf; gradient 1 - y.  -inf: NaN for every y; gradient -y.
        float[] x = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] y = {0f, 1f, 0.5f, 0f, 1f, 0.5f, 0.5f};
        float[] expectedLoss = {Float.POSITIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY, Float.NaN, Float.NaN,
            Float.NaN, Float.NaN};
        float[] expectedGrad = {1f, 0f, 0.5f, -0f, -1f, -0.5f, Float.NaN};
        for (int width : new int[] {7, 16, 40}) {
            float[] xw = new float[width];
            float[] yw = new float[width];
            for (int i = 0; i < width; i++) {
                xw[i] = x[i % 7];
                yw[i] = y[i % 7];
            }
            float[] l = new float[width];
            float[] g = new float[width];
            none.forwardBackward(xw, 0, yw, 0, 1, width, l, 0, g, 0);
            double[] l64 = new double[width];
            double[] g64 = new double[width];
            none.forwardBackward(ErrorBudget.toDoubles(xw), 0, ErrorBudget.toDoubles(yw), 0, 1, width, l64, 0, g64, 0);
            double[] ls = new double[width];
            double[] gs = new double[width];
            KernelProvider.scalar().binaryCrossEntropyWithLogits().forwardBackward(ErrorBudget.toDoubles(xw), 0,
                    ErrorBudget.toDoubles(yw), 0, 1, width, null, 0, null, ls, 0, gs, 0, 1.0);
            for (int i = 0; i < width; i++) {
                String at = "x=" + xw[i] + " y=" + yw[i];
                assertEquals(expectedLoss[i % 7], l[i], at);
                assertEquals(expectedGrad[i % 7], g[i], 0f, at);
                assertEquals(expectedLoss[i % 7], (float) l64[i], at);
                assertEquals(expectedGrad[i % 7], (float) g64[i], 0f, at);
                assertEquals(expectedLoss[i % 7], (float) ls[i], "scalar " + at);
                assertEquals(expectedGrad[i % 7], (float) gs[i], 0f, "scalar " + at);
            }
        }
    }

    @Test
    void emptyShapes() {
        assertTrue(Float.isNaN(BinaryCrossEntropyWithLogits.create().forward(new float[0], new float[0], 0, 5)));
        assertEquals(0.0, BinaryCrossEntropyWithLogits.builder().reduction(Reduction.SUM).build()
                .forward(new double[0], new double[0], 4, 0));
    }
}
