package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xent.internal.HardCrossEntropyKernel;
import org.xent.internal.KernelProvider;

/**
 * Vector and scalar hard-target cross-entropy kernels against a float64 reference written here from the formula
 * (spec section 2): every C from 1 to 70 plus 100, 1000, 1023, 4097 and 32000, several N, random weights,
 * smoothing, ignored rows, masked (-inf) logits, NaN and +inf logits, non-zero offsets, in-place gradients.
 *
 * <p>Scales: a row loss is compared with eps * (Q (sqrt(C) + log s) + sum_c |q_c (x_c - m)|), a gradient element
 * with eps * (p_c Q (sqrt(C) + log s + |x_c - m|) + |q_c|): the magnitudes the kernel adds, exp's error growing
 * with |z|, and the typical rounding growth of a C-term sum (which also limits the float64 reference itself).
 * The bounds are about twice the largest ratios measured over this whole sweep (printed after the run).
 */
class HardCrossEntropyCrossCheckTest {

    // measured maxima: 1.33, 1.28, 1.01, 3.71, 4.91
    static final ErrorRatio LOSS32 = new ErrorRatio("float32 row loss", 3);
    static final ErrorRatio GRAD32 = new ErrorRatio("float32 gradient", 3);
    static final ErrorRatio SUM32 = new ErrorRatio("float32 sum", 3);
    static final ErrorRatio LOSS64 = new ErrorRatio("float64 row loss", 8);
    static final ErrorRatio GRAD64 = new ErrorRatio("float64 gradient", 10);

    static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[] ns = {1, 3, 8};
        for (int c = 1; c <= 70; c++) {
            s.add(new int[] {ns[c % 3], c});
        }
        for (int c : new int[] {100, 1000, 1023, 4097}) {
            s.add(new int[] {5, c});
            s.add(new int[] {2, c});
        }
        s.add(new int[] {2, 32000});
        s.add(new int[] {40, 7});
        return s;
    }

    /** One random problem: logits rounded to float, targets, options. */
    static final class Problem {
        final int rows, classes, off;
        final double[] x;           // rows * classes, float-representable
        final int[] targets;
        final double[] w;           // null or length C
        final double eps;
        final int ignore;

        Problem(int rows, int classes, long seed) {
            Random rnd = new Random(seed);
            this.rows = rows;
            this.classes = classes;
            this.off = rnd.nextInt(5);
            x = new double[rows * classes];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 3);
            }
            w = rnd.nextBoolean() ? null : new double[classes];
            if (w != null) {
                for (int c = 0; c < classes; c++) {
                    w[c] = rnd.nextInt(10) == 0 ? 0.0 : (float) (0.5 + rnd.nextDouble());
                }
            }
            double[] epsChoices = {0, 0, 0.1, 0.37, 1};
            eps = (float) epsChoices[rnd.nextInt(epsChoices.length)];
            ignore = rnd.nextInt(4) == 0 ? rnd.nextInt(classes) : -100;
            targets = new int[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = rnd.nextInt(7) == 0 ? ignore : rnd.nextInt(classes);
                int kind = rnd.nextInt(30);
                int c = rnd.nextInt(classes);
                if (kind < 4 && c != targets[r]) {
                    x[r * classes + c] = Double.NEGATIVE_INFINITY;   // masked class
                    if (classes > 2) {
                        x[r * classes + (c + 1) % classes] = Double.NEGATIVE_INFINITY;
                    }
                } else if (kind == 4) {
                    x[r * classes + c] = Double.NaN;
                } else if (kind == 5) {
                    x[r * classes + c] = Double.POSITIVE_INFINITY;
                } else if (kind == 6) {
                    x[r * classes + c] = 1e30f;                         // huge but finite logits
                    x[r * classes + (c + 1) % classes] = -1e30f;
                }
            }
        }

        float[] floats(int pad) {
            float[] f = new float[off + x.length + pad];
            for (int i = 0; i < x.length; i++) {
                f[off + i] = (float) x[i];
            }
            return f;
        }

        double[] doubles(int pad) {
            double[] d = new double[off + x.length + pad];
            System.arraycopy(x, 0, d, off, x.length);
            return d;
        }

        int[] targetsAt(int offset) {
            int[] t = new int[offset + rows];
            System.arraycopy(targets, 0, t, offset, rows);
            return t;
        }

        float[] w32() {
            if (w == null) {
                return null;
            }
            float[] f = new float[classes];
            for (int c = 0; c < classes; c++) {
                f[c] = (float) w[c];
            }
            return f;
        }

        double wt(int c) {
            return w == null ? 1.0 : w[c];
        }

        /** Coefficient q_c of row r (sum reduction), as in the spec. */
        double q(int r, int c) {
            if (targets[r] == ignore) {
                return 0;
            }
            return wt(c) * ((1 - eps) * (c == targets[r] ? 1 : 0) + eps / classes);
        }

        /** {loss, lossScale} of row r, and the gradient (sum reduction) and its scales into g / gs. */
        double[] reference(int r, double[] g, double[] gs) {
            int o = r * classes;
            if (targets[r] == ignore) {
                Arrays.fill(g, o, o + classes, 0);
                Arrays.fill(gs, o, o + classes, 1);
                return new double[] {0, 1};
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[o + c]);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += Math.exp(x[o + c] - m);
            }
            double lse = m + Math.log(s);
            double loss = 0, sumQ = 0, mag = 0;
            for (int c = 0; c < classes; c++) {
                double q = q(r, c);
                sumQ += q;
                if (q != 0) {
                    loss += q * (lse - x[o + c]);
                    mag += Math.abs(q * (x[o + c] - m));
                }
            }
            mag += sumQ * (Math.sqrt(classes) + Math.log(s));
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(x[o + c] - lse);
                g[o + c] = p * sumQ - q(r, c);
                gs[o + c] = (p == 0 ? 0 : p * sumQ * (Math.sqrt(classes) + Math.log(s) + Math.abs(x[o + c] - m))) + Math.abs(q(r, c));
            }
            return new double[] {loss, mag};
        }
    }

    @Test
    void vectorAndScalarMatchTheReference() {
        HardCrossEntropyKernel vector = KernelProvider.vector().orElseThrow().hardCrossEntropy();
        HardCrossEntropyKernel scalar = KernelProvider.scalar().hardCrossEntropy();
        long seed = 1;
        for (int[] shape : shapes()) {
            Problem p = new Problem(shape[0], shape[1], seed++);
            check(p, vector, "vector");
            check(p, scalar, "scalar");
        }
    }

    private static void check(Problem p, HardCrossEntropyKernel k, String family) {
        int n = p.rows, c = p.classes, size = n * c;
        double[] g = new double[size];
        double[] gs = new double[size];
        double[] loss = new double[n];
        double[] lossScale = new double[n];
        double sum = 0, sumScale = 0;
        for (int r = 0; r < n; r++) {
            double[] lr = p.reference(r, g, gs);
            loss[r] = lr[0];
            lossScale[r] = lr[1];
            sum += lr[0];
            sumScale += lr[1];
        }
        double scale = 0.25; // a gradient scale that is not 1, as a mean would give
        String where = family + " N=" + n + " C=" + c + " eps=" + p.eps + " w=" + (p.w != null) + " ignore=" + p.ignore;
        int lo = 3, go = 2, to = 1;

        // float32: forward only, forward + backward into a separate buffer, and in place
        float[] x32 = p.floats(3);
        float[] rl = new float[lo + n];
        double s1 = k.forwardBackward(x32, p.off, p.targetsAt(to), to, n, c, p.w32(), (float) p.eps, p.ignore, rl, lo, null, 0, 0);
        float[] rl2 = new float[lo + n];
        float[] g32 = new float[go + size];
        double s2 = k.forwardBackward(x32, p.off, p.targetsAt(to), to, n, c, p.w32(), (float) p.eps, p.ignore,
                rl2, lo, g32, go, (float) scale);
        float[] inPlace = x32.clone();
        k.forwardBackward(inPlace, p.off, p.targetsAt(to), to, n, c, p.w32(), (float) p.eps, p.ignore,
                null, 0, inPlace, p.off, (float) scale);
        SUM32.check32(where + " sum", sum, s1, ErrorRatio.EPS32 * sumScale);
        SUM32.check32(where + " sum (fb)", sum, s2, ErrorRatio.EPS32 * sumScale);
        for (int r = 0; r < n; r++) {
            LOSS32.check32(where + " row " + r, loss[r], rl[lo + r], ErrorRatio.EPS32 * lossScale[r]);
            LOSS32.check32(where + " row " + r + " (fb)", loss[r], rl2[lo + r], ErrorRatio.EPS32 * lossScale[r]);
        }
        for (int i = 0; i < size; i++) {
            double e = g[i] * scale;
            double sc = ErrorRatio.EPS32 * gs[i] * scale;
            GRAD32.check32(where + " grad " + i, e, g32[go + i], sc);
            GRAD32.check32(where + " grad in place " + i, e, inPlace[p.off + i], sc);
        }

        // float64
        double[] x64 = p.doubles(2);
        double[] rl64 = new double[lo + n];
        double[] g64 = new double[go + size];
        double s3 = k.forwardBackward(x64, p.off, p.targetsAt(to), to, n, c, p.w, p.eps, p.ignore,
                rl64, lo, g64, go, scale);
        double[] rl64f = new double[lo + n];
        double s4 = k.forwardBackward(x64, p.off, p.targetsAt(to), to, n, c, p.w, p.eps, p.ignore, rl64f, lo, null, 0, 0);
        double[] inPlace64 = x64.clone();
        k.forwardBackward(inPlace64, p.off, p.targetsAt(to), to, n, c, p.w, p.eps, p.ignore,
                null, 0, inPlace64, p.off, scale);
        LOSS64.check(where + " sum", sum, s3, ErrorRatio.EPS64 * sumScale);
        LOSS64.check(where + " sum (f)", sum, s4, ErrorRatio.EPS64 * sumScale);
        for (int r = 0; r < n; r++) {
            LOSS64.check(where + " row " + r, loss[r], rl64[lo + r], ErrorRatio.EPS64 * lossScale[r]);
            LOSS64.check(where + " row " + r + " (f)", loss[r], rl64f[lo + r], ErrorRatio.EPS64 * lossScale[r]);
        }
        for (int i = 0; i < size; i++) {
            double e = g[i] * scale;
            double sc = ErrorRatio.EPS64 * gs[i] * scale;
            GRAD64.check(where + " grad " + i, e, g64[go + i], sc);
            GRAD64.check(where + " grad in place " + i, e, inPlace64[p.off + i], sc);
        }
        // nothing outside the slices was written
        for (int i = 0; i < lo; i++) {
            assertEquals(0f, rl[i]);
            assertEquals(0.0, rl64[i]);
        }
        for (int i = 0; i < go; i++) {
            assertEquals(0f, g32[i]);
            assertEquals(0.0, g64[i]);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("HardCrossEntropyCrossCheckTest: " + LOSS32 + "; " + GRAD32 + "; " + SUM32 + "; "
                + LOSS64 + "; " + GRAD64);
    }
}
