package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.KernelProvider;
import org.xent.internal.ProbabilityCrossEntropyKernel;

/**
 * Vector and scalar probability cross-entropy kernels against a float64 reference written here from the formula
 * {@code -sum_c w_c y_c max(log p_c, -100)} (log input: {@code -sum_c w_c y_c lp_c}), for every C from 1 to 70
 * plus 100, 1000, 1023, 4097 and 32000, several N, with and without weights, zero probabilities (clamped), tiny
 * subnormal probabilities on both sides of e^-100, masked -inf log-probabilities, NaN targets and log inputs,
 * offsets and in-place gradients.
 *
 * <p>Scales: a row loss with eps * (sqrt(C) + 1) * sum_c |a_c log p_c| (rounded terms plus their lane sums); a
 * gradient element with eps * |a_c / p_c|. Bounds are about twice the largest ratios measured.
 */
class ProbabilityCrossEntropyCrossCheckTest {

    // measured maxima: 0.33, 1.09, 0.25, 1.24
    static final ErrorRatio LOSS32 = new ErrorRatio("float32 row loss", 1);
    static final ErrorRatio GRAD32 = new ErrorRatio("float32 gradient", 2.5);
    static final ErrorRatio LOSS64 = new ErrorRatio("float64 row loss", 1);
    static final ErrorRatio GRAD64 = new ErrorRatio("float64 gradient", 2.5);

    @Test
    void vectorAndScalarMatchTheReference() {
        ProbabilityCrossEntropyKernel vector = KernelProvider.vector().orElseThrow().probabilityCrossEntropy();
        ProbabilityCrossEntropyKernel scalar = KernelProvider.scalar().probabilityCrossEntropy();
        long seed = 500;
        for (int[] shape : HardCrossEntropyCrossCheckTest.shapes()) {
            for (boolean logInput : new boolean[] {false, true}) {
                Random rnd = new Random(seed++);
                int n = shape[0], c = shape[1], size = n * c;
                double[] x = new double[size];
                double[] y = new double[size];
                double[] w = rnd.nextBoolean() ? null : new double[c];
                if (w != null) {
                    for (int j = 0; j < c; j++) {
                        w[j] = rnd.nextInt(10) == 0 ? 0 : (float) (0.5 + rnd.nextDouble());
                    }
                }
                for (int r = 0; r < n; r++) {
                    // half the rows without zero or subnormal probabilities
                    boolean lean = rnd.nextBoolean();
                    double sx = 0;
                    double[] ex = new double[c];
                    for (int j = 0; j < c; j++) {
                        ex[j] = Math.exp(rnd.nextGaussian() * 3);
                        sx += ex[j];
                    }
                    for (int j = 0; j < c; j++) {
                        int i = r * c + j;
                        double p = ex[j] / sx;
                        y[i] = rnd.nextInt(5) == 0 ? 0 : (float) rnd.nextDouble();
                        int kind = rnd.nextInt(40);
                        if (lean && kind < 4) {
                            kind = 5;                                // p = 1 is inside the lean range
                        }
                        if (kind < 2) {
                            p = 0;                                   // clamped at -100, zero gradient
                        } else if (kind == 2) {
                            p = 1e-44f;                              // subnormal, log = -101.0: clamped
                        } else if (kind == 3) {
                            p = 1e-40f;                              // subnormal, log = -92.1: not clamped
                        } else if (kind == 4) {
                            y[i] = Double.NaN;
                        } else if (kind == 5) {
                            p = 1;
                        }
                        x[i] = logInput ? (float) Math.log(p) : (float) p;
                        if (logInput && kind == 6) {
                            x[i] = Double.NaN;
                        }
                    }
                }
                check(vector, "vector", x, y, w, n, c, logInput, rnd.nextInt(4));
                check(scalar, "scalar", x, y, w, n, c, logInput, rnd.nextInt(4));
            }
        }
    }

    private static void check(ProbabilityCrossEntropyKernel k, String family, double[] x, double[] y, double[] w,
                              int n, int c, boolean logInput, int off) {
        int size = n * c;
        double scale = 1.0 / n;
        String where = family + " N=" + n + " C=" + c + " logInput=" + logInput + " w=" + (w != null);
        double[] loss = new double[n];
        double[] lossScale = new double[n];
        double[] g = new double[size];
        double[] gs = new double[size];
        for (int r = 0; r < n; r++) {
            double sum = 0, mag = 0;
            for (int j = 0; j < c; j++) {
                int i = r * c + j;
                double a = y[i] * (w == null ? 1 : w[j]);
                double lp = logInput ? x[i] : Math.max(Math.log(x[i]), -100);
                double term = (logInput && a == 0 && lp == Double.NEGATIVE_INFINITY) ? 0 : a * lp;
                sum += term;
                mag += Double.isFinite(term) ? Math.abs(term) : 0;
                if (logInput) {
                    g[i] = -a * scale;
                } else {
                    g[i] = Math.log(x[i]) >= -100 ? -a / x[i] * scale : 0;
                }
                gs[i] = Double.isFinite(g[i]) ? Math.abs(g[i]) : 0;
            }
            loss[r] = -sum;
            lossScale[r] = mag * (Math.sqrt(c) + 1);
        }
        float[] x32 = new float[off + size];
        float[] y32 = new float[size + 1];
        double[] x64 = new double[off + size];
        double[] y64 = new double[size + 1];
        for (int i = 0; i < size; i++) {
            x32[off + i] = (float) x[i];
            y32[1 + i] = (float) y[i];
            x64[off + i] = x[i];
            y64[1 + i] = y[i];
        }
        float[] w32 = null;
        if (w != null) {
            w32 = new float[c];
            for (int j = 0; j < c; j++) {
                w32[j] = (float) w[j];
            }
        }
        if (!logInput) {
            assertEquals(-1, k.findInvalidProbability(x32, off, size));
            assertEquals(-1, k.findInvalidProbability(x64, off, size));
        }
        float[] rl = new float[n + 2];
        float[] rl2 = new float[n + 2];
        float[] grad = new float[size + 1];
        double s1 = k.forwardBackward(x32, off, y32, 1, n, c, w32, logInput, rl, 2, null, 0, 0);
        double s2 = k.forwardBackward(x32, off, y32, 1, n, c, w32, logInput, rl2, 2, grad, 1, (float) scale);
        float[] inPlace = x32.clone();
        k.forwardBackward(inPlace, off, y32, 1, n, c, w32, logInput, null, 0, inPlace, off, (float) scale);
        double[] rl64 = new double[n + 2];
        double[] grad64 = new double[size + 1];
        double s3 = k.forwardBackward(x64, off, y64, 1, n, c, w, logInput, rl64, 2, grad64, 1, scale);
        double[] inPlace64 = x64.clone();
        double s4 = k.forwardBackward(inPlace64, off, y64, 1, n, c, w, logInput, null, 0, null, 0, 0);
        k.forwardBackward(inPlace64, off, y64, 1, n, c, w, logInput, null, 0, inPlace64, off, scale);
        double sum = 0, sumScale = 0;
        for (int r = 0; r < n; r++) {
            sum += loss[r];
            sumScale += lossScale[r];
            LOSS32.check32(where + " row " + r, loss[r], rl[2 + r], ErrorRatio.EPS32 * lossScale[r]);
            LOSS32.check32(where + " row " + r + " (fb)", loss[r], rl2[2 + r], ErrorRatio.EPS32 * lossScale[r]);
            LOSS64.check(where + " row " + r, loss[r], rl64[2 + r], ErrorRatio.EPS64 * lossScale[r]);
        }
        LOSS32.check32(where + " sum", sum, s1, ErrorRatio.EPS32 * sumScale);
        LOSS32.check32(where + " sum (fb)", sum, s2, ErrorRatio.EPS32 * sumScale);
        LOSS64.check(where + " sum", sum, s3, ErrorRatio.EPS64 * sumScale);
        LOSS64.check(where + " sum (f)", sum, s4, ErrorRatio.EPS64 * sumScale);
        for (int i = 0; i < size; i++) {
            String at = where + " element " + i + " (x=" + x[i] + ", y=" + y[i] + ")";
            GRAD32.check32(at, g[i], grad[1 + i], ErrorRatio.EPS32 * gs[i]);
            GRAD32.check32(at + " in place", g[i], inPlace[off + i], ErrorRatio.EPS32 * gs[i]);
            GRAD64.check(at, g[i], grad64[1 + i], ErrorRatio.EPS64 * gs[i]);
            GRAD64.check(at + " in place", g[i], inPlace64[off + i], ErrorRatio.EPS64 * gs[i]);
        }
        assertEquals(0f, rl[0]);
        assertEquals(0f, rl[1]);
        assertEquals(0f, grad[0]);
    }

    @AfterAll
    static void report() {
        System.out.println("ProbabilityCrossEntropyCrossCheckTest: " + LOSS32 + "; " + GRAD32 + "; " + LOSS64 + "; "
                + GRAD64);
    }
}
