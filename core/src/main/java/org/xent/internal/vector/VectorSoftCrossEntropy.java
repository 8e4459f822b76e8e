package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * Vector API soft-label cross-entropy. Per row: a max pass, then one pass that computes exp(x - m) once per
 * element and accumulates, in vector lanes, the exp-sum s, the coefficient sum A and the shifted dot product
 * D = sum a (x - m); the row loss is {@code A log s - D}. Subtracting the max inside the dot (rather than
 * computing {@code A (m + log s) - sum a x}) keeps rows with huge logits (1e30) exact instead of cancelling.
 * Forward + backward stores the exps in the gradient buffer and rescales them in a third pass.
 *
 * <p>Two passes were chosen over a one-pass online softmax: the field measurements found two passes as fast
 * or faster up to C of about 1000, and at larger C the second read of a row comes from L2 (a 128k-class row is
 * 512 KB). Each row loop is one method with at most two exp call sites, so C2 inlines everything and nothing
 * is boxed. Tails use masked loads and stores (cheap on JDK 25).
 */
final class VectorSoftCrossEntropy implements SoftCrossEntropyKernel {

    static final VectorSoftCrossEntropy INSTANCE = new VectorSoftCrossEntropy();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in float lanes before the partial sums move to double lanes. */
    private static final int BLOCK = 16;

    private VectorSoftCrossEntropy() {}

    // ---------------------------------------------------------------- float32

    /** Per-thread {s, A} of the current row, handed from the exp pass to the gradient pass without allocating. */
    private static final ThreadLocal<double[]> ROW_SUMS = ThreadLocal.withInitial(() -> new double[2]);

    @Override
    public double forward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                          float[] weights, float smoothing, float[] rowLoss, int rowLossOffset) {
        final float k1 = smoothing > 0f ? 1f - smoothing : 1f;
        final float k2 = smoothing > 0f ? (float) (smoothing / (double) classes) : 0f;
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * classes;
            int yo = yOffset + r * classes;
            float m = rowMax(x, xo, classes);
            double loss = expPass(x, xo, y, yo, classes, weights, k1, k2, m, null, 0, null);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
        }
        return total;
    }

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, float smoothing, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        final float k1 = smoothing > 0f ? 1f - smoothing : 1f;
        final float k2 = smoothing > 0f ? (float) (smoothing / (double) classes) : 0f;
        final double[] sums = ROW_SUMS.get();
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * classes;
            int yo = yOffset + r * classes;
            int go = gradOffset + r * classes;
            float m = rowMax(x, xo, classes);
            double loss = expPass(x, xo, y, yo, classes, weights, k1, k2, m, grad, go, sums);
            // gradient = (e / s * A - a) * scale, computed as e * (A * scale / s) - a * scale
            gradPass(y, yo, classes, weights, k1 * gradScale, k2 * gradScale,
                    (float) (sums[1] * gradScale / sums[0]), grad, go);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
        }
        return total;
    }

    /** Row max with compare + blend (cheaper than lanewise MAX); NaN is caught later, in the exp pass. */
    static float rowMax(float[] x, int xo, int classes) {
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector mv2 = mv;
        int i = 0;
        int step = F.length();
        for (int upper = classes - 2 * step; i <= upper; i += 2 * step) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector v2 = FloatVector.fromArray(F, x, xo + i + step);
            mv = mv.blend(v, v.compare(VectorOperators.GT, mv));
            mv2 = mv2.blend(v2, v2.compare(VectorOperators.GT, mv2));
        }
        for (int upper = F.loopBound(classes); i < upper; i += step) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            mv = mv.blend(v, v.compare(VectorOperators.GT, mv));
        }
        mv = mv.blend(mv2, mv2.compare(VectorOperators.GT, mv));
        float m = mv.reduceLanes(VectorOperators.MAX);
        for (; i < classes; i++) {
            float v = x[xo + i];
            m = v > m ? v : m;
        }
        return m;
    }

    /**
     * The exp pass of one row: s = sum e^(x - m), A = sum a, D = sum a (x - m); returns the row loss A log s - D.
     * When {@code g} is not null the exps are stored there (for the gradient pass) and {s, A} go to {@code sums}.
     */
    private static double expPass(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                  float k1, float k2, float m, float[] g, int go, double[] sums) {
        double sumS = 0;
        double sumA = 0;
        double sumDot = 0;
        int i = 0;
        final int upper = F.loopBound(classes);
        final boolean smoothed = k1 != 1f || k2 != 0f;
        while (i < upper) {
            // Float lanes accumulate one block, then the block's lane sums move to double: the float sums
            // stay short (BLOCK terms a lane), which keeps a 128k-class row as accurate as a 1k-class one.
            FloatVector s = FloatVector.zero(F);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector dot = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i);
                if (smoothed) { // loop-invariant: C2 unswitches it
                    a = a.fma(k1, k2);
                }
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, i));
                }
                FloatVector e = FloatExp.expNonPositive(z);
                if (g != null) {
                    e.intoArray(g, go + i);
                }
                s = s.add(e);
                a0 = a0.add(a);
                dot = a.fma(z, dot);
            }
            sumS += s.reduceLanes(VectorOperators.ADD);
            sumA += a0.reduceLanes(VectorOperators.ADD);
            sumDot += dot.reduceLanes(VectorOperators.ADD);
        }
        // Scalar tail (fewer than one vector): exp in double, same accumulation rules as the lanes.
        for (; i < classes; i++) {
            float z = x[xo + i] - m;
            float a = Math.fma(y[yo + i], k1, k2);
            if (w != null) {
                a *= w[i];
            }
            double e = Math.exp(z);
            if (g != null) {
                g[go + i] = (float) e;
            }
            sumS += e;
            sumA += a;
            sumDot += (double) a * z;
        }
        if (Double.isNaN(sumDot)) {
            sumDot = maskedDot(x, xo, y, yo, classes, w, k1, k2, m);
        }
        if (sums != null) {
            sums[0] = sumS;
            sums[1] = sumA;
        }
        return finish(classes, sumS, sumA, sumDot);
    }

    /** g = g * pScale - a * scale over one row, where g holds the row's exps. */
    private static void gradPass(float[] y, int yo, int classes, float[] w, float k1s, float k2s, float pScale,
                                 float[] g, int go) {
        FloatVector p = FloatVector.broadcast(F, pScale);
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1s, k2s);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i));
            }
            FloatVector.fromArray(F, g, go + i).fma(p, a.neg()).intoArray(g, go + i);
        }
        for (; i < classes; i++) {
            float a = Math.fma(y[yo + i], k1s, k2s);
            if (w != null) {
                a *= w[i];
            }
            g[go + i] = Math.fma(g[go + i], pScale, -a);
        }
    }

    /**
     * The dot product sum a (x - m) where a zero coefficient contributes 0 even if x is -inf (masked class).
     * The exp pass uses a plain fma, which gives NaN for 0 * -inf; only rows where that happened come here,
     * so the common case pays nothing for the masked-class rule.
     */
    private static double maskedDot(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                    float k1, float k2, float m) {
        double total = 0;
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
            FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1, k2);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i));
            }
            total += a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < classes; i++) {
            float a = Math.fma(y[yo + i], k1, k2);
            if (w != null) {
                a *= w[i];
            }
            if (a != 0f) {
                total += (double) a * (x[xo + i] - m);
            }
        }
        return total;
    }

    /** Row loss A log s - D in double; an empty row (C = 0) is -0.0 as in PyTorch. */
    private static double finish(int classes, double s, double sumA, double dot) {
        return classes == 0 ? -0.0 : sumA * Math.log(s) - dot;
    }

    // ---------------------------------------------------------------- float64

    @Override
    public double forward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                          double[] weights, double smoothing, double[] rowLoss, int rowLossOffset) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset, null, 0, 0);
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, double smoothing, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    /**
     * The float64 path favours accuracy over speed: it uses the Vector API's EXP (an SVML call, under 1 ulp),
     * one method for both forward and forward + backward, and a scalar tail.
     */
    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, double smoothing, double[] rowLoss, int rowLossOffset,
                              double[] g, int gradOffset, double gradScale) {
        final double k1 = smoothing > 0 ? 1 - smoothing : 1;
        final double k2 = smoothing > 0 ? smoothing / classes : 0;
        final int step = D.length();
        final int upper = D.loopBound(classes);
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            final int xo = xOffset + r * classes;
            final int yo = yOffset + r * classes;
            final int go = gradOffset + r * classes;
            DoubleVector mv = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
            int i = 0;
            for (; i < upper; i += step) {
                DoubleVector v = DoubleVector.fromArray(D, x, xo + i);
                mv = mv.blend(v, v.compare(VectorOperators.GT, mv));
            }
            double m = mv.reduceLanes(VectorOperators.MAX);
            for (; i < classes; i++) {
                m = x[xo + i] > m ? x[xo + i] : m;
            }
            DoubleVector s = DoubleVector.zero(D);
            DoubleVector sumA = DoubleVector.zero(D);
            DoubleVector dot = DoubleVector.zero(D);
            for (i = 0; i < upper; i += step) {
                DoubleVector z = DoubleVector.fromArray(D, x, xo + i).sub(m);
                DoubleVector a = DoubleVector.fromArray(D, y, yo + i).fma(k1, k2);
                if (w != null) {
                    a = a.mul(DoubleVector.fromArray(D, w, i));
                }
                DoubleVector e = z.lanewise(VectorOperators.EXP);
                if (g != null) {
                    e.intoArray(g, go + i);
                }
                s = s.add(e);
                sumA = sumA.add(a);
                dot = a.fma(z, dot);
            }
            double sum = s.reduceLanes(VectorOperators.ADD);
            double totalA = sumA.reduceLanes(VectorOperators.ADD);
            double totalDot = dot.reduceLanes(VectorOperators.ADD);
            for (; i < classes; i++) {
                double z = x[xo + i] - m;
                double a = Math.fma(y[yo + i], k1, k2);
                if (w != null) {
                    a *= w[i];
                }
                double e = Math.exp(z);
                if (g != null) {
                    g[go + i] = e;
                }
                sum += e;
                totalA += a;
                totalDot = Math.fma(a, z, totalDot);
            }
            if (Double.isNaN(totalDot)) {
                // 0 * -inf somewhere: recompute with the masked-class rule (a zero coefficient contributes 0)
                totalDot = 0;
                for (int c = 0; c < classes; c++) {
                    double a = Math.fma(y[yo + c], k1, k2);
                    if (w != null) {
                        a *= w[c];
                    }
                    if (a != 0) {
                        totalDot += a * (x[xo + c] - m);
                    }
                }
            }
            double loss = classes == 0 ? -0.0 : totalA * Math.log(sum) - totalDot;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (g != null) {
                double pScale = totalA * gradScale / sum;
                for (i = 0; i < upper; i += step) {
                    DoubleVector a = DoubleVector.fromArray(D, y, yo + i).fma(k1, k2);
                    if (w != null) {
                        a = a.mul(DoubleVector.fromArray(D, w, i));
                    }
                    DoubleVector.fromArray(D, g, go + i).mul(pScale).sub(a.mul(gradScale)).intoArray(g, go + i);
                }
                for (; i < classes; i++) {
                    double a = Math.fma(y[yo + i], k1, k2);
                    if (w != null) {
                        a *= w[i];
                    }
                    g[go + i] = g[go + i] * pScale - a * gradScale;
                }
            }
        }
        return total;
    }
}
