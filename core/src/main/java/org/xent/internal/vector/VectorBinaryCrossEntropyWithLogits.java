package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;

/**
 * Vector API binary cross-entropy on logits.
 *
 * <p>Float32 makes one pass per row for the loss (one exp, one log per element) and, for the gradient, a second
 * pass that recomputes the exp (see {@code rowLoss} for why).
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
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            total += rowLoss(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, loss, lossOffset + base);
            if (g != null) {
                rowGradient(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, g, gradOffset + base,
                        gradScale);
            }
        }
        return total;
    }

    /**
     * Sum of one row's element losses, stored too if {@code loss} is not null.
     *
     * <p>Shaped by C2's node budget for inlining (NodeCountInliningCutoff): an exp and a log in a loop whose loads
     * and stores are masked exceed it before the log, which is then called out of line and returns a boxed vector
     * per iteration. So the loads are never masked: the last iteration loads the row's last whole vector
     * (overlapping lanes already done) and counts only its fresh lanes; rows shorter than one vector go through
     * {@link #tailLoss} in double; and the gradient is a separate pass that recomputes the exp.
     */
    private static double rowLoss(float[] x, int xo, float[] y, int yo, float[] w, int wo, float[] pw, int classes,
                                  float[] loss, int lo) {
        final int step = F.length();
        if (classes < step) {
            return tailLoss(x, xo, y, yo, w, wo, pw, 0, classes, loss, lo);
        }
        final FloatVector lane = FloatVector.zero(F).addIndex(1);
        DoubleVector rowSum = DoubleVector.zero(D);
        int c = 0;
        while (c < classes) {
            // float lanes sum one block of BLOCK vectors, then the block moves to double lanes
            FloatVector sum = FloatVector.zero(F);
            for (int end = Math.min(classes, c + BLOCK * step); c < end; c += step) {
                // the last iteration reads the last whole vector; lanes below c - off were done already
                final int off = Math.min(c, classes - step);
                VectorMask<Float> fresh = lane.compare(VectorOperators.GE, (float) (c - off));
                FloatVector xv = FloatVector.fromArray(F, x, xo + off);
                FloatVector yv = FloatVector.fromArray(F, y, yo + off);
                FloatVector nx = xv.neg();
                // max(-x, 0) by compare + blend: a NaN logit stays NaN
                FloatVector mx = nx.blend(0f, nx.compare(VectorOperators.LT, 0f));
                FloatVector e = FloatExp.expNonPositive(xv.abs().neg());
                FloatVector softplus = FloatLog.log(e.add(1f)).add(mx);
                if (pw != null) {
                    // L = 1 + (pw - 1) y
                    softplus = softplus.mul(FloatVector.fromArray(F, pw, off).sub(1f).mul(yv).add(1f));
                }
                FloatVector l = yv.neg().add(1f).mul(xv).add(softplus);
                // x = -inf: PyTorch's -x - mx is inf - inf, so the loss is NaN whatever y
                l = l.blend(Float.NaN, xv.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                if (w != null) {
                    l = l.mul(FloatVector.fromArray(F, w, wo + off));
                }
                sum = sum.add(l, fresh);
                if (loss != null) {
                    l.intoArray(loss, lo + off); // rewrites done lanes with the same values
                }
            }
            rowSum = rowSum.add(sum.convertShape(VectorOperators.F2D, D, 0))
                    .add(sum.convertShape(VectorOperators.F2D, D, 1));
        }
        return rowSum.reduceLanes(VectorOperators.ADD);
    }

    /** Elements [from, classes) of a short row in double: the stable form verbatim (its NaN at x = -inf included). */
    private static double tailLoss(float[] x, int xo, float[] y, int yo, float[] w, int wo, float[] pw,
                                   int from, int classes, float[] loss, int lo) {
        double sum = 0;
        for (int c = from; c < classes; c++) {
            double xc = x[xo + c];
            double yc = y[yo + c];
            double mx = Math.max(-xc, 0.0);
            double softplus = Math.log(Math.exp(-mx) + Math.exp(-xc - mx)) + mx;
            double logWeight = pw == null ? 1.0 : 1.0 + (pw[c] - 1.0) * yc;
            float l = (float) ((w == null ? 1.0 : w[wo + c]) * ((1.0 - yc) * xc + logWeight * softplus));
            sum += l;
            if (loss != null) {
                loss[lo + c] = l;
            }
        }
        return sum;
    }

    /**
     * Gradient of one row, {@code w ((pw y + 1 - y) sigmoid(x) - pw y) * gradScale}, with
     * {@code sigmoid(x) = (x >= 0 ? 1 : e) / (1 + e)}, {@code e = exp(-|x|)}: finite at x = +-inf.
     */
    private static void rowGradient(float[] x, int xo, float[] y, int yo, float[] w, int wo, float[] pw,
                                    int classes, float[] g, int go, float gradScale) {
        final int upper = F.loopBound(classes);
        int c = 0;
        for (; c < upper; c += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + c);
            FloatVector yv = FloatVector.fromArray(F, y, yo + c);
            FloatVector e = FloatExp.expNonPositive(xv.abs().neg());
            FloatVector sigmoid = FloatVector.broadcast(F, 1f)
                    .blend(e, xv.compare(VectorOperators.LT, 0f)).div(e.add(1f));
            FloatVector pwy = pw == null ? yv : FloatVector.fromArray(F, pw, c).mul(yv);
            // (pw y + (1 - y)) sigmoid - pw y; 1 - y is exact for y in [0.5, 2]
            FloatVector d = pwy.add(yv.neg().add(1f)).mul(sigmoid).sub(pwy);
            FloatVector scale = w == null ? FloatVector.broadcast(F, gradScale)
                    : FloatVector.fromArray(F, w, wo + c).mul(gradScale);
            d.mul(scale).intoArray(g, go + c);
        }
        // the last classes % lanes elements in double: a masked copy of the loop body would be a second inline
        // exp call site, past C2's node budget (it measured as one boxed vector per row)
        for (; c < classes; c++) {
            double xc = x[xo + c];
            double yc = y[yo + c];
            double e = Math.exp(-Math.abs(xc));
            double sigmoid = (xc < 0 ? e : 1.0) / (1.0 + e);
            double pwy = pw == null ? yc : pw[c] * yc;
            double scale = w == null ? gradScale : w[wo + c] * (double) gradScale;
            g[go + c] = (float) (((pwy + (1.0 - yc)) * sigmoid - pwy) * scale);
        }
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

    /**
     * Float64: the same algebra with {@code lanewise(EXP)} and {@code lanewise(LOG)}, and the same split into a
     * loss pass and a gradient pass, which keeps each method small enough for C2 to compile without boxing
     * whatever mix of options the call site's profile has seen.
     */
    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] pw, double[] loss, int lossOffset,
                              double[] g, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            total += rowLoss64(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, loss,
                    lossOffset + base);
            if (g != null) {
                rowGradient64(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, g,
                        gradOffset + base, gradScale);
            }
        }
        return total;
    }

    private static double rowLoss64(double[] x, int xo, double[] y, int yo, double[] w, int wo, double[] pw,
                                    int classes, double[] loss, int lo) {
        DoubleVector sum = DoubleVector.zero(D);
        for (int c = 0; c < classes; c += D.length()) {
            VectorMask<Double> in = D.indexInRange(c, classes);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + c, in);
            DoubleVector yv = DoubleVector.fromArray(D, y, yo + c, in);
            DoubleVector nx = xv.neg();
            DoubleVector mx = nx.blend(0.0, nx.compare(VectorOperators.LT, 0.0));
            DoubleVector e = xv.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector softplus = e.add(1.0).lanewise(VectorOperators.LOG).add(mx);
            if (pw != null) {
                softplus = softplus.mul(DoubleVector.fromArray(D, pw, c, in).sub(1.0).mul(yv).add(1.0));
            }
            DoubleVector l = yv.neg().add(1.0).mul(xv).add(softplus);
            l = l.blend(Double.NaN, xv.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
            if (w != null) {
                l = l.mul(DoubleVector.fromArray(D, w, wo + c, in));
            }
            sum = sum.add(l, in);
            if (loss != null) {
                l.intoArray(loss, lo + c, in);
            }
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    private static void rowGradient64(double[] x, int xo, double[] y, int yo, double[] w, int wo, double[] pw,
                                      int classes, double[] g, int go, double gradScale) {
        for (int c = 0; c < classes; c += D.length()) {
            VectorMask<Double> in = D.indexInRange(c, classes);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + c, in);
            DoubleVector yv = DoubleVector.fromArray(D, y, yo + c, in);
            DoubleVector e = xv.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector sigmoid = DoubleVector.broadcast(D, 1.0)
                    .blend(e, xv.compare(VectorOperators.LT, 0.0)).div(e.add(1.0));
            DoubleVector pwy = pw == null ? yv : DoubleVector.fromArray(D, pw, c, in).mul(yv);
            DoubleVector d = pwy.add(yv.neg().add(1.0)).mul(sigmoid).sub(pwy); // pw y + (1 - y), as in float32
            DoubleVector scale = w == null ? DoubleVector.broadcast(D, gradScale)
                    : DoubleVector.fromArray(D, w, wo + c, in).mul(gradScale);
            d.mul(scale).intoArray(g, go + c, in);
        }
    }
}
