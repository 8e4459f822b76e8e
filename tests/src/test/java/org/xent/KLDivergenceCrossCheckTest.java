package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.KLDivergenceKernel;
import org.xent.internal.KernelProvider;

/**
 * Vector and scalar KL-divergence kernels against a float64 reference written here from spec section 5, for every
 * C from 1 to 70 plus 100, 1000, 1023, 4097 and 32000, several N, probability and log-probability targets, zero
 * targets (masked, with -inf inputs), negative and NaN targets, NaN inputs, offsets and in-place gradients.
 *
 * <p>Scales: an element is compared with eps * (|t log t| + |t x|) (log target: eps * exp(t) (|t| + |x|)), the
 * sizes of the terms the kernel rounds; the gradient with eps * |t| (exp(t)); the sum with the sum of the element
 * scales. Bounds are about twice the largest ratios measured (printed after the run).
 */
class KLDivergenceCrossCheckTest {

    // measured maxima: 0.99, 1.11, 0.19, 0.98, 1.45. The float64 gradient is -exp(t) scale for a log target: the
    // kernel's DoubleExpWide (0.89 ulp at worst, DoubleExpWideTest) and the reference's Math.exp, each times the
    // scale (0.5 ulp); it measured 0 while the kernel's lanewise EXP gave Math.exp's bits, and -t * scale is exact
    static final ErrorRatio ELEM32 = new ErrorRatio("float32 element", 2);
    static final ErrorRatio GRAD32 = new ErrorRatio("float32 gradient", 2.5);
    static final ErrorRatio SUM32 = new ErrorRatio("float32 sum", 1);
    static final ErrorRatio ELEM64 = new ErrorRatio("float64 element", 2);
    static final ErrorRatio GRAD64 = new ErrorRatio("float64 gradient", 3);

    /** Reference pointwise loss with the masked rule; target probability 0 and input -inf give 0. */
    static double pointwise(double x, double t, boolean logTarget) {
        double prob = logTarget ? Math.exp(t) : t;
        if (prob == 0 && (x == Double.NEGATIVE_INFINITY || Double.isFinite(x))) {
            return 0;
        }
        if (logTarget) {
            return prob * (t - x);
        }
        double xlogy = t == 0 ? 0 : t * Math.log(t);
        return xlogy - t * x;
    }

    @Test
    void vectorAndScalarMatchTheReference() {
        KLDivergenceKernel vector = KernelProvider.vector().orElseThrow().klDivergence();
        KLDivergenceKernel scalar = KernelProvider.scalar().klDivergence();
        long seed = 100;
        for (int[] shape : HardCrossEntropyCrossCheckTest.shapes()) {
            for (boolean logTarget : new boolean[] {false, true}) {
                Random rnd = new Random(seed++);
                int n = shape[0], c = shape[1], size = n * c;
                // half the probability-target cases dense: no zero or negative target anywhere
                boolean lean = !logTarget && rnd.nextBoolean();
                double[] x = new double[size];
                double[] t = new double[size];
                for (int r = 0; r < n; r++) {
                    double sx = 0, st = 0;
                    double[] ex = new double[c];
                    double[] et = new double[c];
                    for (int j = 0; j < c; j++) {
                        ex[j] = Math.exp(rnd.nextGaussian() * 2);
                        et[j] = !lean && rnd.nextInt(8) == 0 ? 0 : -Math.log(1 - rnd.nextDouble());
                        sx += ex[j];
                        st += et[j];
                    }
                    for (int j = 0; j < c; j++) {
                        int i = r * c + j;
                        x[i] = (float) Math.log(ex[j] / sx);
                        double prob = st == 0 ? 0 : et[j] / st;
                        t[i] = (float) (logTarget ? Math.log(prob) : prob);
                        int kind = rnd.nextInt(60);
                        if (kind < 3 && prob == 0) {
                            x[i] = Double.NEGATIVE_INFINITY;     // masked class
                        } else if (kind == 3) {
                            x[i] = Double.NaN;
                        } else if (kind == 4 && !lean) {
                            t[i] = logTarget ? Double.NaN : -0.25f; // negative target: NaN as in PyTorch
                        } else if (kind == 5) {
                            x[i] = Double.NEGATIVE_INFINITY;     // -inf input where the target is positive: +inf
                        } else if (kind == 6 && logTarget) {
                            t[i] = 0.5f;                         // a malformed log target > 0 still computes
                        }
                    }
                }
                check(vector, "vector", x, t, n, c, logTarget, rnd.nextInt(4));
                check(scalar, "scalar", x, t, n, c, logTarget, rnd.nextInt(4));
            }
        }
    }

    private static void check(KLDivergenceKernel k, String family, double[] x, double[] t, int n, int c,
                              boolean logTarget, int off) {
        int size = n * c;
        double scale = 1.0 / n;
        String where = family + " N=" + n + " C=" + c + " logTarget=" + logTarget;
        double sum = 0, sumScale = 0;
        double[] e = new double[size];
        double[] es = new double[size];
        double[] g = new double[size];
        for (int i = 0; i < size; i++) {
            e[i] = pointwise(x[i], t[i], logTarget);
            double prob = logTarget ? Math.exp(t[i]) : t[i];
            es[i] = logTarget ? prob * (Math.abs(t[i]) + Math.abs(x[i]) + 1)
                    : Math.abs(t[i] == 0 ? 0 : t[i] * Math.log(t[i])) + Math.abs(t[i] * x[i]) + Math.abs(t[i]);
            if (!Double.isFinite(es[i])) {
                es[i] = 0;
            }
            g[i] = -prob * scale;
            sum += e[i];
            sumScale += es[i];
        }
        float[] x32 = new float[off + size + 1];
        float[] t32 = new float[off + size + 2];
        double[] x64 = new double[off + size + 1];
        double[] t64 = new double[off + size + 2];
        for (int i = 0; i < size; i++) {
            x32[off + i] = (float) x[i];
            t32[off + 1 + i] = (float) t[i];
            x64[off + i] = x[i];
            t64[off + 1 + i] = t[i];
        }
        float[] out = new float[size + 3];
        float[] grad = new float[size + 2];
        double s1 = k.forwardBackward(x32, off, t32, off + 1, size, logTarget, out, 3, null, 0, 0);
        float[] out2 = new float[size + 3];
        double s2 = k.forwardBackward(x32, off, t32, off + 1, size, logTarget, out2, 3, grad, 2, (float) scale);
        float[] inPlace = x32.clone();
        k.forwardBackward(inPlace, off, t32, off + 1, size, logTarget, null, 0, inPlace, off, (float) scale);
        SUM32.check32(where + " sum", sum, s1, ErrorRatio.EPS32 * sumScale);
        SUM32.check32(where + " sum (fb)", sum, s2, ErrorRatio.EPS32 * sumScale);
        for (int i = 0; i < size; i++) {
            String at = where + " element " + i + " (x=" + x[i] + ", t=" + t[i] + ")";
            ELEM32.check32(at, e[i], out[3 + i], ErrorRatio.EPS32 * es[i]);
            ELEM32.check32(at + " (fb)", e[i], out2[3 + i], ErrorRatio.EPS32 * es[i]);
            double gs = ErrorRatio.EPS32 * Math.abs(g[i]);
            GRAD32.check32(at + " grad", g[i], grad[2 + i], gs);
            GRAD32.check32(at + " grad in place", g[i], inPlace[off + i], gs);
        }
        double[] out64 = new double[size + 3];
        double[] grad64 = new double[size + 2];
        double s3 = k.forwardBackward(x64, off, t64, off + 1, size, logTarget, out64, 3, grad64, 2, scale);
        double s4 = k.forwardBackward(x64, off, t64, off + 1, size, logTarget, null, 0, null, 0, 0);
        double[] inPlace64 = x64.clone();
        k.forwardBackward(inPlace64, off, t64, off + 1, size, logTarget, null, 0, inPlace64, off, scale);
        ELEM64.check(where + " sum", sum, s3, ErrorRatio.EPS64 * sumScale);
        ELEM64.check(where + " sum (f)", sum, s4, ErrorRatio.EPS64 * sumScale);
        for (int i = 0; i < size; i++) {
            String at = where + " element " + i + " (x=" + x[i] + ", t=" + t[i] + ")";
            ELEM64.check(at, e[i], out64[3 + i], ErrorRatio.EPS64 * es[i]);
            double gs = ErrorRatio.EPS64 * Math.abs(g[i]);
            GRAD64.check(at + " grad", g[i], grad64[2 + i], gs);
            GRAD64.check(at + " grad in place", g[i], inPlace64[off + i], gs);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0f, out[i]);
            assertEquals(0.0, out64[i]);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("KLDivergenceCrossCheckTest: " + ELEM32 + "; " + GRAD32 + "; " + SUM32 + "; "
                + ELEM64 + "; " + GRAD64);
    }
}
