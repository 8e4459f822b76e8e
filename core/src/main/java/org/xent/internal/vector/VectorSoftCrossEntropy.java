package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
    private static final int BLOCK = 8;

    private VectorSoftCrossEntropy() {}

    // ---------------------------------------------------------------- float32

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
            double loss = rowLoss(x, xo, y, yo, classes, weights, k1, k2, m);
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
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * classes;
            int yo = yOffset + r * classes;
            float m = rowMax(x, xo, classes);
            double loss = rowLossAndGrad(x, xo, y, yo, classes, weights, k1, k2, m,
                    grad, gradOffset + r * classes, gradScale);
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
        mv = mv.blend(mv2, mv2.compare(VectorOperators.GT, mv));
        for (; i < classes; i += step) {
            VectorMask<Float> in = F.indexInRange(i, classes);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, in);
            mv = mv.blend(v, v.compare(VectorOperators.GT, mv, in));
        }
        return mv.reduceLanes(VectorOperators.MAX);
    }

    private static double rowLoss(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                  float k1, float k2, float m) {
        DoubleVector sumS = DoubleVector.zero(D);
        DoubleVector sumA = DoubleVector.zero(D);
        DoubleVector sumDot = DoubleVector.zero(D);
        int i = 0;
        final int upper = F.loopBound(classes);
        while (i < classes) {
            // Float lanes accumulate one block, then the block is added in double: the lane sums stay short
            // (BLOCK terms), which keeps a 128k-class row as accurate as a 1k-class one.
            FloatVector s = FloatVector.zero(F);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector dot = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1, k2);
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, i));
                }
                s = s.add(FloatExp.expNonPositive(z));
                a0 = a0.add(a);
                // a zero coefficient contributes 0 even where z is -inf (masked class)
                dot = a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).add(dot);
            }
            if (i == upper && i < classes) {
                VectorMask<Float> in = F.indexInRange(i, classes);
                FloatVector z = FloatVector.fromArray(F, x, xo + i, in).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i, in).fma(k1, k2);
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, i, in));
                }
                a = a.blend(0f, in.not());
                s = s.add(FloatExp.expNonPositive(z), in);
                a0 = a0.add(a);
                dot = a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).add(dot);
                i = classes;
            }
            sumS = sumS.add(s.convertShape(VectorOperators.F2D, D, 0)).add(s.convertShape(VectorOperators.F2D, D, 1));
            sumA = sumA.add(a0.convertShape(VectorOperators.F2D, D, 0)).add(a0.convertShape(VectorOperators.F2D, D, 1));
            sumDot = sumDot.add(dot.convertShape(VectorOperators.F2D, D, 0))
                    .add(dot.convertShape(VectorOperators.F2D, D, 1));
        }
        return finish(classes, sumS.reduceLanes(VectorOperators.ADD), sumA.reduceLanes(VectorOperators.ADD),
                sumDot.reduceLanes(VectorOperators.ADD));
    }

    private static double rowLossAndGrad(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                         float k1, float k2, float m, float[] g, int go, float gradScale) {
        DoubleVector sumS = DoubleVector.zero(D);
        DoubleVector sumA = DoubleVector.zero(D);
        DoubleVector sumDot = DoubleVector.zero(D);
        int i = 0;
        final int upper = F.loopBound(classes);
        while (i < classes) {
            FloatVector s = FloatVector.zero(F);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector dot = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1, k2);
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, i));
                }
                FloatVector e = FloatExp.expNonPositive(z);
                e.intoArray(g, go + i);
                s = s.add(e);
                a0 = a0.add(a);
                dot = a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).add(dot);
            }
            if (i == upper && i < classes) {
                VectorMask<Float> in = F.indexInRange(i, classes);
                FloatVector z = FloatVector.fromArray(F, x, xo + i, in).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i, in).fma(k1, k2);
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, i, in));
                }
                a = a.blend(0f, in.not());
                FloatVector e = FloatExp.expNonPositive(z);
                e.intoArray(g, go + i, in);
                s = s.add(e, in);
                a0 = a0.add(a);
                dot = a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).add(dot);
                i = classes;
            }
            sumS = sumS.add(s.convertShape(VectorOperators.F2D, D, 0)).add(s.convertShape(VectorOperators.F2D, D, 1));
            sumA = sumA.add(a0.convertShape(VectorOperators.F2D, D, 0)).add(a0.convertShape(VectorOperators.F2D, D, 1));
            sumDot = sumDot.add(dot.convertShape(VectorOperators.F2D, D, 0))
                    .add(dot.convertShape(VectorOperators.F2D, D, 1));
        }
        double sum = sumS.reduceLanes(VectorOperators.ADD);
        double totalA = sumA.reduceLanes(VectorOperators.ADD);
        double loss = finish(classes, sum, totalA, sumDot.reduceLanes(VectorOperators.ADD));
        // gradient = (e / s * A - a) * scale, as e * (A * scale / s) - a * scale
        float pScale = (float) (totalA * gradScale / sum);
        float aScale = gradScale;
        float k1s = k1 * aScale;
        float k2s = k2 * aScale;
        FloatVector pScaleV = FloatVector.broadcast(F, pScale);
        i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1s, k2s);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i));
            }
            FloatVector.fromArray(F, g, go + i).fma(pScaleV, a.neg()).intoArray(g, go + i);
        }
        if (i < classes) {
            VectorMask<Float> in = F.indexInRange(i, classes);
            FloatVector a = FloatVector.fromArray(F, y, yo + i, in).fma(k1s, k2s);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i, in));
            }
            FloatVector.fromArray(F, g, go + i, in).fma(pScaleV, a.neg()).intoArray(g, go + i, in);
        }
        return loss;
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
     * The float64 path favours accuracy over speed: it uses the Vector API's EXP (an SVML call, under 1 ulp)
     * and one method for both forward and forward + backward.
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
            for (int i = 0; i < classes; i += step) {
                VectorMask<Double> in = D.indexInRange(i, classes);
                DoubleVector v = DoubleVector.fromArray(D, x, xo + i, in);
                mv = mv.blend(v, v.compare(VectorOperators.GT, mv, in));
            }
            double m = mv.reduceLanes(VectorOperators.MAX);
            DoubleVector s = DoubleVector.zero(D);
            DoubleVector sumA = DoubleVector.zero(D);
            DoubleVector dot = DoubleVector.zero(D);
            for (int i = 0; i < classes; i += step) {
                VectorMask<Double> in = D.indexInRange(i, classes);
                DoubleVector z = DoubleVector.fromArray(D, x, xo + i, in).sub(m);
                DoubleVector a = DoubleVector.fromArray(D, y, yo + i, in).fma(k1, k2);
                if (w != null) {
                    a = a.mul(DoubleVector.fromArray(D, w, i, in));
                }
                a = a.blend(0, in.not());
                DoubleVector e = z.lanewise(VectorOperators.EXP);
                if (g != null) {
                    e.intoArray(g, go + i, in);
                }
                s = s.add(e, in);
                sumA = sumA.add(a);
                dot = a.mul(z).blend(0, a.compare(VectorOperators.EQ, 0)).add(dot);
            }
            double sum = s.reduceLanes(VectorOperators.ADD);
            double totalA = sumA.reduceLanes(VectorOperators.ADD);
            double loss = classes == 0 ? -0.0 : totalA * Math.log(sum) - dot.reduceLanes(VectorOperators.ADD);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (g != null) {
                double pScale = totalA * gradScale / sum;
                for (int i = 0; i < classes; i += step) {
                    VectorMask<Double> in = D.indexInRange(i, classes);
                    DoubleVector a = DoubleVector.fromArray(D, y, yo + i, in).fma(k1, k2);
                    if (w != null) {
                        a = a.mul(DoubleVector.fromArray(D, w, i, in));
                    }
                    DoubleVector.fromArray(D, g, go + i, in).mul(pScale).sub(a.mul(gradScale))
                            .intoArray(g, go + i, in);
                }
            }
        }
        return total;
    }
}
