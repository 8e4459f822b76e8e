package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;

/**
 * Vector API binary cross-entropy on logits: one exp and one log per element.
 *
 * <p>PyTorch's stable form {@code log(exp(-mx) + exp(-x - mx)) + mx} with {@code mx = max(-x, 0)} has one of
 * its two exponents exactly 0 (exp(0) = 1 exactly) and the other equal to -|x|, so it is computed as
 * {@code log(1 + exp(-|x|)) + mx}: the same roundings with one exp instead of two. The one place the two differ
 * is x = -inf, where PyTorch's {@code -x - mx = inf - inf} makes the loss NaN; that lane is set to NaN
 * explicitly. The same {@code e = exp(-|x|)} gives the sigmoid for the gradient, {@code (x >= 0 ? 1 : e) / (1 + e)},
 * which stays finite at x = +-inf as in PyTorch.
 */
final class VectorBinaryCrossEntropyWithLogits implements BinaryCrossEntropyWithLogitsKernel {

    static final VectorBinaryCrossEntropyWithLogits INSTANCE = new VectorBinaryCrossEntropyWithLogits();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in float lanes before the partial sums move to double lanes. */
    private static final int BLOCK = 8;

    private VectorBinaryCrossEntropyWithLogits() {}

    @Override
    public double forward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                          float[] weights, int weightsRowStride, float[] posWeight, float[] loss, int lossOffset) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                null, 0, 0f);
    }

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, int weightsRowStride, float[] posWeight, float[] loss,
                                  int lossOffset, float[] grad, int gradOffset, float gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, int wStride, float[] pw, float[] loss, int lossOffset,
                              float[] g, int gradOffset, float gradScale) {
        final int step = F.length();
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            final int wo = r * wStride;
            DoubleVector rowSum = DoubleVector.zero(D);
            int c = 0;
            while (c < classes) {
                // float lanes sum one block of BLOCK vectors, then the block moves to double lanes: the lane sums stay
                // short, so a 128k-class row is summed as accurately as a short one
                FloatVector sum = FloatVector.zero(F);
                for (int end = Math.min(classes, c + BLOCK * step); c < end; c += step) {
                    VectorMask<Float> in = F.indexInRange(c, classes);
                    FloatVector xv = FloatVector.fromArray(F, x, xOffset + base + c, in);
                    FloatVector yv = FloatVector.fromArray(F, y, yOffset + base + c, in);
                    FloatVector nx = xv.neg();
                    // max(-x, 0) by compare + blend: a NaN logit stays NaN
                    FloatVector mx = nx.blend(0f, nx.compare(VectorOperators.LT, 0f));
                    FloatVector e = FloatExp.expNonPositive(xv.abs().neg());
                    FloatVector onePlusE = e.add(1f);
                    FloatVector softplus = FloatLog.log(onePlusE).add(mx);
                    FloatVector oneMinusY = yv.neg().add(1f);
                    FloatVector l;
                    FloatVector pwv = FloatVector.broadcast(F, 1f);
                    if (pw != null) {
                        pwv = FloatVector.fromArray(F, pw, c, in);
                        FloatVector logWeight = pwv.sub(1f).fma(yv, FloatVector.broadcast(F, 1f));
                        l = oneMinusY.mul(xv).add(logWeight.mul(softplus));
                    } else {
                        l = oneMinusY.mul(xv).add(softplus);
                    }
                    l = l.blend(Float.NaN, xv.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                    FloatVector wv = FloatVector.broadcast(F, 1f);
                    if (w != null) {
                        wv = FloatVector.fromArray(F, w, wo + c, in);
                        l = l.mul(wv);
                    }
                    sum = sum.add(l, in);
                    if (loss != null) {
                        l.intoArray(loss, lossOffset + base + c, in);
                    }
                    if (g != null) {
                        FloatVector sigmoid = FloatVector.broadcast(F, 1f)
                                .blend(e, xv.compare(VectorOperators.LT, 0f)).div(onePlusE);
                        FloatVector pwy = pwv.mul(yv);
                        // (pw y + 1 - y) sigmoid - pw y
                        FloatVector d = pwy.add(oneMinusY).mul(sigmoid).sub(pwy);
                        d.mul(wv.mul(gradScale)).intoArray(g, gradOffset + base + c, in);
                    }
                }
                rowSum = rowSum.add(sum.convertShape(VectorOperators.F2D, D, 0))
                        .add(sum.convertShape(VectorOperators.F2D, D, 1));
            }
            total += rowSum.reduceLanes(VectorOperators.ADD);
        }
        return total;
    }

    @Override
    public double forward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                          double[] weights, int weightsRowStride, double[] posWeight, double[] loss, int lossOffset) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                null, 0, 0);
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, int weightsRowStride, double[] posWeight, double[] loss,
                                  int lossOffset, double[] grad, int gradOffset, double gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    /** Float64: the same algebra with {@code lanewise(EXP)} and {@code lanewise(LOG)}. */
    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] pw, double[] loss, int lossOffset,
                              double[] g, int gradOffset, double gradScale) {
        final int step = D.length();
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            final int wo = r * wStride;
            DoubleVector sum = DoubleVector.zero(D);
            for (int c = 0; c < classes; c += step) {
                VectorMask<Double> in = D.indexInRange(c, classes);
                DoubleVector xv = DoubleVector.fromArray(D, x, xOffset + base + c, in);
                DoubleVector yv = DoubleVector.fromArray(D, y, yOffset + base + c, in);
                DoubleVector nx = xv.neg();
                DoubleVector mx = nx.blend(0.0, nx.compare(VectorOperators.LT, 0.0));
                DoubleVector e = xv.abs().neg().lanewise(VectorOperators.EXP);
                DoubleVector onePlusE = e.add(1.0);
                DoubleVector softplus = onePlusE.lanewise(VectorOperators.LOG).add(mx);
                DoubleVector oneMinusY = yv.neg().add(1.0);
                DoubleVector l;
                DoubleVector pwv = DoubleVector.broadcast(D, 1.0);
                if (pw != null) {
                    pwv = DoubleVector.fromArray(D, pw, c, in);
                    DoubleVector logWeight = pwv.sub(1.0).fma(yv, DoubleVector.broadcast(D, 1.0));
                    l = oneMinusY.mul(xv).add(logWeight.mul(softplus));
                } else {
                    l = oneMinusY.mul(xv).add(softplus);
                }
                l = l.blend(Double.NaN, xv.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
                DoubleVector wv = DoubleVector.broadcast(D, 1.0);
                if (w != null) {
                    wv = DoubleVector.fromArray(D, w, wo + c, in);
                    l = l.mul(wv);
                }
                sum = sum.add(l, in);
                if (loss != null) {
                    l.intoArray(loss, lossOffset + base + c, in);
                }
                if (g != null) {
                    DoubleVector sigmoid = DoubleVector.broadcast(D, 1.0)
                            .blend(e, xv.compare(VectorOperators.LT, 0.0)).div(onePlusE);
                    DoubleVector pwy = pwv.mul(yv);
                    DoubleVector d = pwy.add(oneMinusY).mul(sigmoid).sub(pwy);
                    d.mul(wv.mul(gradScale)).intoArray(g, gradOffset + base + c, in);
                }
            }
            total += sum.reduceLanes(VectorOperators.ADD);
        }
        return total;
    }
}
