package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.DistillationKernel;
import org.xent.internal.KernelProvider;

/**
 * Distillation loss: the public API (vector kernels in this JVM) and the scalar kernel against a float64
 * reference written here (log-softmax of both rows, then {@code T^2 sum pt (log pt - log ps)}), for every C in
 * 1..70, 100, 1000, 1023, 4097 and a 32000-class row, several N, random temperatures, reductions, offsets and
 * in-place gradients, teachers independent of or correlated with the student, masked (-inf) teacher classes,
 * sometimes masked in the student too, and logits of +-80.
 *
 * <p>Error units, per row: {@code eps T^2 (sum pt (|log pt| + |log ps|) + max|u/T| + max|s/T| + 1) sqrt(C)} (the
 * terms' magnitudes plus the rounding of the scaled logits, which moves every log-probability by up to eps times
 * the largest scaled logit; sqrt(C) for the growth of summation error with the row length; the reference itself
 * uses compensated sums); per gradient element: {@code eps k (ps (1 + |s/T| + max|s/T|) + pt (1 + |u/T| + max|u/T|))}
 * with k = T, divided by N for the batch mean; a reduced value: the row units summed, over the denominator, plus
 * eps times the value. Budgets are the measured worst ratios with about 2x headroom.
 */
class DistillationCrossCheckTest {

    private static final ErrorBudget BUDGET = new ErrorBudget("Distillation cross-check");
    private static final double[] TEMPERATURES = {0.5, 1, 2, 3, 4, 7.3};

    // measured worst |error| / unit over several runs (see the printed table), times about 2; float64 results
    // vary by JIT state (interpreted lanewise EXP and lane-reduction order differ from compiled ones)
    private static final double K_ROW32 = 0.5;   // measured 0.11
    private static final double K_GRAD32 = 2;    // measured 0.59 - 0.83
    private static final double K_VALUE32 = 0.5; // measured 0.06
    private static final double K_ROW64 = 2;     // measured 0.52
    private static final double K_GRAD64 = 8;    // measured 1.28 - 3.8
    private static final double K_VALUE64 = 1;   // measured 0.26

    @AfterAll
    static void printBudget() {
        BUDGET.print();
    }

    @Test
    void everyShape() {
        for (int classes : ErrorBudget.classCounts()) {
            for (int rows : ErrorBudget.rowCounts(classes)) {
                runCase(rows, classes, new Random(3000L * classes + rows));
            }
        }
        runCase(2, 32000, new Random(9));
    }

    /** Reference values of one case, in double. */
    private static final class Reference {
        final double[] row;
        final double[] rowUnit;
        final double[] grad; // of the returned value
        final double[] gradUnit;
        double value;
        double valueUnit;

        Reference(float[] s, float[] u, int rows, int classes, double t, double den) {
            row = new double[rows];
            rowUnit = new double[rows];
            grad = new double[rows * classes];
            gradUnit = new double[rows * classes];
            double k = t / den;
            ErrorBudget.Sum sum = new ErrorBudget.Sum();
            double unitSum = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * classes;
                double ms = Double.NEGATIVE_INFINITY, mt = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    ms = Math.max(ms, s[o + c] / t);
                    mt = Math.max(mt, u[o + c] / t);
                }
                double maxAbsS = 0, maxAbsT = 0;
                ErrorBudget.Sum sumS = new ErrorBudget.Sum();
                ErrorBudget.Sum sumT = new ErrorBudget.Sum();
                double ss = 0, st = 0;
                for (int c = 0; c < classes; c++) {
                    ss = sumS.add(Math.exp(s[o + c] / t - ms));
                    st = sumT.add(Math.exp(u[o + c] / t - mt));
                    if (Double.isFinite(s[o + c])) {
                        maxAbsS = Math.max(maxAbsS, Math.abs(s[o + c] / t));
                    }
                    if (Double.isFinite(u[o + c])) {
                        maxAbsT = Math.max(maxAbsT, Math.abs(u[o + c] / t));
                    }
                }
                double lseS = ms + Math.log(ss), lseT = mt + Math.log(st);
                double kl = 0, mag = 0;
                ErrorBudget.Sum sumKl = new ErrorBudget.Sum();
                for (int c = 0; c < classes; c++) {
                    double lps = s[o + c] / t - lseS;
                    double lpt = u[o + c] / t - lseT;
                    double ps = Math.exp(lps), pt = Math.exp(lpt);
                    if (pt != 0) {
                        kl = sumKl.add(pt * (lpt - lps));
                        mag += pt * (Math.abs(lpt) + Math.abs(lps));
                    }
                    grad[o + c] = k * (ps - pt);
                    double as = Double.isFinite(s[o + c]) ? Math.abs(s[o + c] / t) : 0;
                    double at = Double.isFinite(u[o + c]) ? Math.abs(u[o + c] / t) : 0;
                    gradUnit[o + c] = k * (ps * (1 + as + maxAbsS) + pt * (1 + at + maxAbsT));
                }
                row[r] = classes == 0 ? 0 : t * t * kl;
                // sums over C terms: their rounding error grows like sqrt(C)
                rowUnit[r] = t * t * (mag + maxAbsS + maxAbsT + 1) * Math.sqrt(Math.max(classes, 1));
                sum.add(row[r]);
                unitSum += rowUnit[r];
            }
            value = (rows == 0 ? 0 : sumOf(sum)) / den;
            valueUnit = unitSum / den + Math.abs(value);
        }

        private static double sumOf(ErrorBudget.Sum s) {
            return s.add(0);
        }
    }

    private static void runCase(int rows, int classes, Random rnd) {
        int size = rows * classes;
        double t = TEMPERATURES[rnd.nextInt(TEMPERATURES.length)];
        boolean correlated = rnd.nextBoolean();
        float[] s = new float[size];
        float[] u = new float[size];
        for (int i = 0; i < size; i++) {
            s[i] = rnd.nextInt(40) == 0 ? (rnd.nextBoolean() ? 80f : -80f) : (float) (3 * rnd.nextGaussian());
            u[i] = correlated ? s[i] + (float) rnd.nextGaussian() : (float) (3 * rnd.nextGaussian());
        }
        // masked classes: -inf in the teacher (and sometimes the student), never the whole teacher row
        if (classes >= 2 && rnd.nextInt(3) == 0) {
            for (int r = 0; r < rows; r++) {
                for (int c = 1; c < classes; c++) {
                    if (rnd.nextInt(8) == 0) {
                        u[r * classes + c] = Float.NEGATIVE_INFINITY;
                        if (rnd.nextBoolean()) {
                            s[r * classes + c] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
        }
        Reduction reduction = new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.BATCHMEAN}[rnd.nextInt(3)];
        double den = reduction == Reduction.BATCHMEAN ? rows : 1;
        String where = "N=" + rows + " C=" + classes + " T=" + t + " " + reduction + (correlated ? " correlated" : "");
        Reference ref = new Reference(s, u, rows, classes, t, den);

        Distillation loss = Distillation.builder().temperature(t).reduction(reduction).build();
        int so = rnd.nextInt(5), uo = rnd.nextInt(5), lo = rnd.nextInt(5), go = rnd.nextInt(5);
        boolean inPlace = rnd.nextBoolean();
        int gOff = inPlace ? so : go;

        // float32
        float[] sa = ErrorBudget.padded(s, so, rnd);
        float[] ua = ErrorBudget.padded(u, uo, rnd);
        float[] la = new float[lo + rows];
        float[] ga = inPlace ? sa : new float[go + size];
        float forward = loss.forward(ErrorBudget.padded(s, so, rnd), so, ua, uo, rows, classes, null, 0);
        float v = loss.forwardBackward(sa, so, ua, uo, rows, classes, la, lo, ga, gOff);
        BUDGET.check("f32 value", where + " value", v, ref.value, ErrorBudget.EPS32 * ref.valueUnit, K_VALUE32);
        BUDGET.check("f32 value (forward)", where + " forward", forward, ref.value, ErrorBudget.EPS32 * ref.valueUnit,
                K_VALUE32);
        for (int r = 0; r < rows; r++) {
            BUDGET.check("f32 row", where + " row " + r, la[lo + r], ref.row[r], ErrorBudget.unit32(ref.rowUnit[r]),
                    K_ROW32);
        }
        for (int i = 0; i < size; i++) {
            BUDGET.check("f32 grad", where + " grad[" + i + "] s=" + s[i] + " u=" + u[i], ga[gOff + i], ref.grad[i],
                    gradUnit32(ref.gradUnit[i], t / den), K_GRAD32);
        }

        // float64
        double[] s64 = ErrorBudget.toDoubles(s);
        double[] u64 = ErrorBudget.toDoubles(u);
        double[] sd = ErrorBudget.padded(s64, so, rnd);
        double[] ud = ErrorBudget.padded(u64, uo, rnd);
        double[] ld = new double[lo + rows];
        double[] gd = inPlace ? sd : new double[go + size];
        double forward64 = loss.forward(ErrorBudget.padded(s64, so, rnd), so, ud, uo, rows, classes, null, 0);
        double v64 = loss.forwardBackward(sd, so, ud, uo, rows, classes, ld, lo, gd, gOff);
        BUDGET.check("f64 value", where + " value", v64, ref.value, ErrorBudget.EPS64 * ref.valueUnit, K_VALUE64);
        BUDGET.check("f64 value (forward)", where + " forward", forward64, ref.value,
                ErrorBudget.EPS64 * ref.valueUnit, K_VALUE64);
        for (int r = 0; r < rows; r++) {
            BUDGET.check("f64 row", where + " row " + r, ld[lo + r], ref.row[r], ErrorBudget.EPS64 * ref.rowUnit[r],
                    K_ROW64);
        }
        for (int i = 0; i < size; i++) {
            BUDGET.check("f64 grad", where + " grad[" + i + "]", gd[gOff + i], ref.grad[i],
                    ErrorBudget.EPS64 * ref.gradUnit[i], K_GRAD64);
        }

        // scalar kernels (double arithmetic; float32 differs from the reference by the final rounding)
        DistillationKernel scalar = KernelProvider.scalar().distillation();
        float[] l = new float[rows];
        float[] g = new float[size];
        double sum = scalar.forwardBackward(s, 0, u, 0, rows, classes, t, l, 0, g, 0, (float) (t / den));
        double[] l64 = new double[rows];
        double[] g64 = new double[size];
        double sum64 = scalar.forwardBackward(s64, 0, u64, 0, rows, classes, t, l64, 0, g64, 0, t / den);
        for (int r = 0; r < rows; r++) {
            BUDGET.check("scalar f32 row", where + " row " + r, l[r], ref.row[r],
                    ErrorBudget.unit32(Math.abs(ref.row[r])) + ErrorBudget.EPS64 * ref.rowUnit[r], 1); // measured 0.47
            BUDGET.check("scalar f64 row", where + " row " + r, l64[r], ref.row[r], ErrorBudget.EPS64 * ref.rowUnit[r], 2); // measured 0.52
        }
        for (int i = 0; i < size; i++) {
            BUDGET.check("scalar f32 grad", where + " grad[" + i + "]", g[i], ref.grad[i],
                    gradUnit32(ref.gradUnit[i], t / den), 1); // measured 0.37
            BUDGET.check("scalar f64 grad", where + " grad[" + i + "]", g64[i], ref.grad[i],
                    ErrorBudget.EPS64 * ref.gradUnit[i], 6); // measured 1.16 - 2.96
        }
        BUDGET.check("scalar f32 sum", where, sum / den, ref.value, ErrorBudget.EPS64 * ref.valueUnit, 1); // measured 0.42
        BUDGET.check("scalar f64 sum", where, sum64 / den, ref.value, ErrorBudget.EPS64 * ref.valueUnit, 1);
    }

    /**
     * Unit for a float32 gradient element: eps times its terms' magnitudes, plus k * 2^-126 because float exps
     * below 2^-126 are flushed to 0 (each probability then carries an absolute error up to 2^-126).
     */
    private static double gradUnit32(double magnitude, double k) {
        return ErrorBudget.unit32(magnitude) + k * Float.MIN_NORMAL;
    }

    /** Rows of the spec's edge-case table (T = 2), through both dtypes and the scalar kernel. */
    @Test
    void specTable() {
        float inf = Float.POSITIVE_INFINITY;
        Distillation none = Distillation.builder().temperature(2).reduction(Reduction.NONE).build();
        // the same class masked in teacher and student: finite (deviation from PyTorch's NaN), gradient 0 there
        float[] s = {1f, 2f, -inf};
        float[] u = {0.5f, 1f, -inf};
        float[] g = new float[3];
        float v = none.forwardBackward(s, 0, u, 0, 1, 3, null, 0, g, 0);
        assertTrue(Float.isFinite(v) && v >= 0, "masked in both: " + v);
        assertEquals(0f, g[2]);
        assertEquals(0f, g[0] + g[1], 1e-7f);
        // masked only in the teacher: finite; only in the student with teacher probability > 0: +inf, finite gradient
        assertTrue(Float.isFinite(none.forward(new float[] {1f, 2f, 3f}, new float[] {1f, -inf, 0f}, 1, 3)));
        float[] g2 = new float[3];
        assertEquals(inf, none.forwardBackward(new float[] {1f, 2f, -inf}, 0, new float[] {1f, 0f, 0.5f}, 0, 1, 3,
                null, 0, g2, 0));
        for (float x : g2) {
            assertTrue(Float.isFinite(x));
        }
        // identical logits: 0 (here exactly, since both rows give the same sums)
        Distillation t3 = Distillation.builder().temperature(3).reduction(Reduction.NONE).build();
        assertEquals(0f, t3.forward(new float[] {1f, -2f, 0.5f, 4f}, new float[] {1f, -2f, 0.5f, 4f}, 1, 4), 1e-6f);
        // +inf in the student, NaN in the teacher: NaN loss and gradient
        float[] g3 = new float[3];
        assertTrue(Float.isNaN(none.forwardBackward(new float[] {1f, inf, 0f}, 0, new float[] {1f, 2f, 3f}, 0, 1, 3,
                null, 0, g3, 0)));
        assertTrue(Float.isNaN(g3[0]) && Float.isNaN(g3[1]) && Float.isNaN(g3[2]));
        float[] g4 = new float[3];
        assertTrue(Float.isNaN(none.forwardBackward(new float[] {1f, 2f, 0f}, 0, new float[] {1f, Float.NaN, 3f}, 0,
                1, 3, null, 0, g4, 0)));
        assertTrue(Float.isNaN(g4[0]) && Float.isNaN(g4[1]) && Float.isNaN(g4[2]));
        // logits of +-1e30: 4e30 and gradient (2, -2, 0)
        float[] g5 = new float[3];
        assertEquals(4e30f, none.forwardBackward(new float[] {1e30f, -1e30f, 0f}, 0, new float[] {-1e30f, 1e30f, 0f},
                0, 1, 3, null, 0, g5, 0), Math.ulp(4e30f));
        assertEquals(2f, g5[0]);
        assertEquals(-2f, g5[1]);
        assertEquals(0f, g5[2]);
        double[] g6 = new double[3];
        assertEquals(4e30, none.forwardBackward(new double[] {1e30, -1e30, 0}, 0, new double[] {-1e30, 1e30, 0},
                0, 1, 3, null, 0, g6, 0), 1e16);
        assertEquals(2.0, g6[0]);
        assertEquals(-2.0, g6[1]);
        // C = 1: 0 with zero gradient, in every family and dtype
        float[] g7 = {5f, 5f};
        assertEquals(0f, none.forwardBackward(new float[] {3f, -7f}, 0, new float[] {1f, 2f}, 0, 2, 1, null, 0, g7, 0));
        assertEquals(0f, g7[0]);
        assertEquals(0f, g7[1]);
        double[] g8 = {5, 5};
        assertEquals(0.0, KernelProvider.scalar().distillation().forwardBackward(new double[] {3, -7}, 0,
                new double[] {1, 2}, 0, 2, 1, 2.0, null, 0, g8, 0, 1.0));
        assertEquals(0.0, g8[0]);
        // N = 0: sum 0, batch mean NaN
        assertTrue(Double.isNaN(Distillation.create().forward(new double[0], new double[0], 0, 4)));
        assertEquals(0f, Distillation.builder().reduction(Reduction.SUM).build().forward(new float[0], new float[0], 0, 4));
    }

    @Test
    void temperatureMustBePositiveAndFinite() {
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Distillation.builder().temperature(t));
        }
        assertThrows(IllegalArgumentException.class, () -> Distillation.builder().reduction(Reduction.MEAN));
    }
}
