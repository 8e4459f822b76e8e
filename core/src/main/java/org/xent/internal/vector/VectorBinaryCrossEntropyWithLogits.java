package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
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

    /** A call's scratch: room for the lanes of its accumulators, summed by {@link LaneSums}. */
    private static final class Scratch {
        final double[] lanes64 = LaneSums.doubleScratch(3);
        /**
         * A float64 row's exp(-|x|), which the loss pass and the gradient pass both read: one exp per element, and
         * each pass's loop stays small. An exp and a log in one loop were too many nodes for C2
         * (NodeCountInliningCutoff: it then called the log out of line and boxed its vectors, ~20 KB per call),
         * and the wide exp inside the gradient's loop boxed too (28.8 KB per call, in the allocation test's JVM).
         */
        double[] exps64 = new double[0];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, int weightsRowStride, float[] posWeight, float[] loss,
                                  int lossOffset, float[] grad, int gradOffset, float gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                    grad, gradOffset, gradScale, scratch);
        } finally {
            SCRATCH.give(scratch);
        }
    }

    private static double run(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, int wStride, float[] pw, float[] loss, int lossOffset,
                              float[] g, int gradOffset, float gradScale, Scratch scratch) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            total += rowLoss(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, loss,
                    lossOffset + base, scratch);
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
                                  float[] loss, int lo, Scratch scratch) {
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
                sum = EXACT_FLOAT.cast(sum).add(l, fresh);
                if (loss != null) {
                    l.intoArray(loss, lo + off); // rewrites done lanes with the same values
                }
            }
            rowSum = EXACT_DOUBLE.cast(rowSum).add(EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                    .add(EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        }
        EXACT_DOUBLE.cast(rowSum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
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
            g[go + c] = (float) gradient(xc, yc, pw == null ? yc : pw[c] * yc, Math.exp(-Math.abs(xc)),
                    w == null ? gradScale : w[wo + c] * (double) gradScale);
        }
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, int weightsRowStride, double[] posWeight, double[] loss,
                                  int lossOffset, double[] grad, int gradOffset, double gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                    grad, gradOffset, gradScale, scratch);
        } finally {
            SCRATCH.give(scratch);
        }
    }

    /**
     * Float64: the same algebra with the inline {@link DoubleExpWide} and {@link DoubleLog} (the same bits in
     * every JIT tier and at every width, where {@code lanewise(EXP/LOG)} allocated with 2 lanes), and the same
     * split into passes (exp, loss, gradient: see {@link Scratch#exps64}), which keeps each method small enough for C2
     * to compile without boxing whatever mix of options the call site's profile has seen.
     */
    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] pw, double[] loss, int lossOffset,
                              double[] g, int gradOffset, double gradScale, Scratch scratch) {
        if (scratch.exps64.length < classes) {
            scratch.exps64 = new double[classes]; // grows once per scratch for the widest rows seen
        }
        final double[] e = scratch.exps64;
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            expPass64(x, xOffset + base, classes, e);
            // 2 lanes (no compare or blend: see Species.DOUBLE_MASKS): a row with a logit -inf or NaN, whose element
            // loss the vector pass could not make NaN, is left to scalar code
            total += Species.DOUBLE_MASKS
                    || DoubleRange.allWithin(x, xOffset + base, classes, -Double.MAX_VALUE, Double.POSITIVE_INFINITY)
                    ? softplusPass64(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, e, loss,
                            loss == null ? 0 : lossOffset + base, scratch)
                    : softplusTail64(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, 0, classes, e, loss,
                            loss == null ? 0 : lossOffset + base);
            if (g != null) {
                rowGradient64(x, xOffset + base, y, yOffset + base, w, r * wStride, pw, classes, e, g,
                        gradOffset + base, gradScale);
            }
        }
        return total;
    }

    /**
     * e = exp(-|x|) over one row into {@code e}, in the wide form (e underflows gradually: sigmoid(-745) is
     * subnormal, not 0). Whole vectors, then the scalar twin for the tail: a masked last iteration here measured
     * 24 B per row (a boxed mask) once the allocation test's other calls had run in the same JVM.
     */
    private static void expPass64(double[] x, int xo, int classes, double[] e) {
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleExpWide.exp(DoubleVector.fromArray(D, x, xo + c).abs().neg()).intoArray(e, c);
        }
        for (; c < classes; c++) {
            e[c] = DoubleExpWide.exp(-Math.abs(x[xo + c]));
        }
    }

    /**
     * The row's losses from the exps in {@code e}: their sum, and each stored in {@code loss} when it is not null.
     * Whole vectors, then a scalar tail with the log's scalar twin (see {@link #expPass64}).
     */
    private static double softplusPass64(double[] x, int xo, double[] y, int yo, double[] w, int wo, double[] pw,
                                         int classes, double[] e, double[] loss, int lo, Scratch scratch) {
        DoubleVector sum = DoubleVector.zero(D);
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + c);
            DoubleVector yv = DoubleVector.fromArray(D, y, yo + c);
            DoubleVector nx = xv.neg();
            // max(-x, 0); with 2 lanes a lane-wise max, the same value here (log(1 + e) > 0 where -x is -0)
            DoubleVector mx = Species.DOUBLE_MASKS ? nx.blend(0.0, nx.compare(VectorOperators.LT, 0.0)) : nx.max(0.0);
            DoubleVector onePlusE = DoubleVector.fromArray(D, e, c).add(1.0); // in [1, 2]: no special value
            DoubleVector log = Species.DOUBLE_MASKS ? DoubleLog.log(onePlusE) : DoubleLog.logNonNegative(onePlusE);
            DoubleVector softplus = log.add(mx);
            if (pw != null) {
                softplus = softplus.mul(DoubleVector.fromArray(D, pw, c).sub(1.0).mul(yv).add(1.0));
            }
            DoubleVector l = yv.neg().add(1.0).mul(xv).add(softplus);
            if (Species.DOUBLE_MASKS) { // with 2 lanes the row has no -inf (tested by the caller)
                l = l.blend(Double.NaN, xv.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
            }
            if (w != null) {
                l = l.mul(DoubleVector.fromArray(D, w, wo + c));
            }
            sum = EXACT_DOUBLE.cast(sum).add(l);
            if (loss != null) {
                l.intoArray(loss, lo + c);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0) + softplusTail64(x, xo, y, yo, w, wo, pw, c, classes, e, loss, lo);
    }

    /** Elements [from, classes) of {@link #softplusPass64} in scalar code, with the log's scalar twin. */
    private static double softplusTail64(double[] x, int xo, double[] y, int yo, double[] w, int wo, double[] pw,
                                         int from, int classes, double[] e, double[] loss, int lo) {
        double total = 0.0;
        for (int c = from; c < classes; c++) {
            double xc = x[xo + c];
            double yc = y[yo + c];
            double softplus = DoubleLog.log(e[c] + 1.0) + Math.max(-xc, 0.0);
            if (pw != null) {
                softplus *= (pw[c] - 1.0) * yc + 1.0;
            }
            double l = xc == Double.NEGATIVE_INFINITY ? Double.NaN : (1.0 - yc) * xc + softplus;
            if (w != null) {
                l *= w[wo + c];
            }
            total += l;
            if (loss != null) {
                loss[lo + c] = l;
            }
        }
        return total;
    }

    /** The gradient of one float64 row from the exps of the loss pass in {@code e}. */
    private static void rowGradient64(double[] x, int xo, double[] y, int yo, double[] w, int wo, double[] pw,
                                      int classes, double[] e, double[] g, int go, double gradScale) {
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + c);
            DoubleVector yv = DoubleVector.fromArray(D, y, yo + c);
            DoubleVector ev = DoubleVector.fromArray(D, e, c);
            DoubleVector sigmoid = numerator(xv, ev).div(ev.add(1.0));
            DoubleVector pwy = pw == null ? yv : DoubleVector.fromArray(D, pw, c).mul(yv);
            DoubleVector d = pwy.add(yv.neg().add(1.0)).mul(sigmoid).sub(pwy); // pw y + (1 - y), as in float32
            DoubleVector scale = w == null ? DoubleVector.broadcast(D, gradScale)
                    : DoubleVector.fromArray(D, w, wo + c).mul(gradScale);
            d.mul(scale).intoArray(g, go + c);
        }
        for (; c < classes; c++) {
            double yc = y[yo + c];
            g[go + c] = gradient(x[xo + c], yc, pw == null ? yc : pw[c] * yc, e[c],
                    w == null ? gradScale : w[wo + c] * gradScale);
        }
    }

    /**
     * The sigmoid's numerator from e = exp(-|x|): e where x < 0, else 1. With 2 double lanes (no compare or blend:
     * see {@link Species#DOUBLE_MASKS}) a select by x's sign bit, made a lane mask of all ones or zeros by integer
     * operations: the same value for every x (-0 and a NaN of either sign have e = 1 or NaN, so either choice
     * agrees with the comparison's).
     */
    private static DoubleVector numerator(DoubleVector x, DoubleVector e) {
        if (Species.DOUBLE_MASKS) {
            return DoubleVector.broadcast(D, 1.0).blend(e, x.compare(VectorOperators.LT, 0.0));
        }
        LongVector positive = x.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 63).sub(1L); // all ones: x >= +0
        LongVector eBits = e.reinterpretAsLongs();
        return eBits.lanewise(VectorOperators.XOR, eBits.lanewise(VectorOperators.XOR, ONE_BITS).and(positive))
                .reinterpretAsDoubles();
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    /** One gradient element in double, {@code ((pw y + (1 - y)) sigmoid(x) - pw y) scale}, from e = exp(-|x|). */
    private static double gradient(double x, double y, double pwy, double e, double scale) {
        double sigmoid = (x < 0 ? e : 1.0) / (1.0 + e);
        return ((pwy + (1.0 - y)) * sigmoid - pwy) * scale;
    }
}
