package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.BinaryCrossEntropyKernel;

/**
 * Vector API binary cross-entropy on probabilities. Float32 makes one pass per row with both logs (the lean
 * inline {@link FloatLog#logNormal}; see {@code rowLoss} for why that log), then a gradient pass when asked; a
 * row with a probability below {@link Float#MIN_NORMAL} (0, a subnormal) or an invalid one is computed in double
 * by {@code tail} instead. Float64 makes the same passes with the inline {@link DoubleLog} and
 * its clamps. Rows are summed in vector lanes. In float32 {@code 1 - p} is rounded to float before its log, as
 * PyTorch does.
 */
final class VectorBinaryCrossEntropy implements BinaryCrossEntropyKernel {

    static final VectorBinaryCrossEntropy INSTANCE = new VectorBinaryCrossEntropy();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in float lanes before the partial sums move to double lanes. */
    private static final int BLOCK = 8;

    /** A call's room for the lanes of its accumulators, summed by {@link LaneSums}. */
    private static final ScratchPool<double[]> LANES = new ScratchPool<>(() -> LaneSums.doubleScratch(1));

    private VectorBinaryCrossEntropy() {}

    @Override
    public double forwardBackward(float[] p, int pOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, int weightsRowStride, float[] loss, int lossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        double[] lanes = LANES.take();
        try {
            return run(p, pOffset, y, yOffset, rows, classes, weights, weightsRowStride, loss, lossOffset,
                    grad, gradOffset, gradScale, lanes);
        } finally {
            LANES.give(lanes);
        }
    }

    private static double run(float[] p, int pOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, int wStride, float[] loss, int lossOffset,
                              float[] g, int gradOffset, float gradScale, double[] lanes) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            final int wo = r * wStride;
            if (classes >= F.length() && FloatRange.allWithin(p, pOffset + base, classes, Float.MIN_NORMAL, 1f)) {
                final int po = pOffset + base, yo = yOffset + base, lo = lossOffset + base;
                final int whole = F.loopBound(classes), rest = classes - whole, last = classes - F.length();
                // the whole vectors, then the row's last whole vector with its first lanes (done) masked off
                total += rowLoss(p, po, y, yo, w, wo, whole, 0, loss, lo, lanes);
                if (rest > 0) {
                    total += rowLoss(p, po + last, y, yo + last, w, wo + last, F.length(), F.length() - rest, loss,
                            lo + last, lanes);
                }
            } else {
                total += tail(p, pOffset + base, y, yOffset + base, w, wo, 0, classes, loss, lossOffset + base);
            }
            if (g != null) {
                rowGradient(p, pOffset + base, y, yOffset + base, w, wo, classes, g, gradOffset + base, gradScale);
            }
        }
        return total;
    }

    /**
     * Elements [from, classes) in double: rows shorter than one vector, and rows holding a probability the vector
     * passes do not take (below {@link Float#MIN_NORMAL}: 0, a subnormal, or an invalid value, which makes the sum
     * NaN). A float32 sigmoid gives 0 or a subnormal only for logits below about -87.
     */
    private static double tail(float[] p, int po, float[] y, int yo, float[] w, int wo, int from, int classes,
                               float[] loss, int lo) {
        double sum = 0;
        for (int c = from; c < classes; c++) {
            double pc = p[po + c];
            double yc = y[yo + c];
            double l = (w == null ? 1.0 : w[wo + c])
                    * ((yc - 1.0) * Math.max(Math.log((float) (1.0 - pc)), -100.0) - yc * Math.max(Math.log(pc), -100.0));
            sum += (float) l;
            if (loss != null) {
                loss[lo + c] = (float) l;
            }
        }
        return sum;
    }

    /*
     * Why one pass with two logs, whole vectors and a skip mask. An earlier form made one pass per log: with two
     * copies of the full log (subnormal scaling, special-value blends, clamps) in one loop body C2 reached its node
     * budget for inlining (NodeCountInliningCutoff) before the second, which was then called out of line and
     * returned a boxed vector per iteration (about 10 KB per 1000 elements). The lean log (FloatLog.logNormal)
     * is small enough for two: the caller has checked that every p of the row lies in [MIN_NORMAL, 1] (FloatRange,
     * one unsigned max a vector), so no input is subnormal, no log p falls below -87.4 to clamp, and no invalid
     * probability needs its NaN; 1 - p is 0 (p = 1) or at least 2^-24, so only 1 - p = 0 is mapped to the clamp's
     * -100. The same bits per element as the full log with its clamp and blends (the allocation tests, at every
     * width, would see a log left out of line).
     *
     * Masked loads on every iteration (for the tail) measured 3x slower at C = 1000, and a masked copy of the body
     * for the tail would be more log call sites; so a row's elements past its last whole vector are a second call
     * on the row's last whole vector (overlapping lanes recomputed to the same bits), with the lanes below skip
     * masked off the sum by a mask fixed for the call. An earlier form took that vector in the same loop, its
     * offset min(c, C - lanes) and mask computed in every iteration: that index kept C2 from removing the bounds
     * checks, and the loop measured 1.19-1.30x slower at 8 lanes (1024x1000, AVX2 code on a Zen 5). Rows shorter
     * than one vector go through tail.
     */

    /**
     * The element losses {@code -w (y max(log p, -100) + (1 - y) max(log(1 - p), -100))} of the first n elements of
     * a row (n a multiple of the lanes, every p in [MIN_NORMAL, 1]), computed as a + b with
     * {@code a = -w y log p} and {@code b = w (y - 1) max(log(1 - p), -100)}: returns their sum without the lanes
     * below {@code skip} of every vector, and stores every element in {@code loss} if it is not null.
     */
    private static double rowLoss(float[] p, int po, float[] y, int yo, float[] w, int wo, int n, int skip,
                                  float[] loss, int lo, double[] lanes) {
        final int step = F.length();
        final VectorMask<Float> fresh = FloatVector.zero(F).addIndex(1).compare(VectorOperators.GE, (float) skip);
        DoubleVector rowSum = DoubleVector.zero(D);
        int c = 0;
        while (c < n) {
            // float lanes sum one block of BLOCK vectors, then the block moves to double lanes: the lane sums stay
            // short, so a 128k-class row is summed as accurately as a short one
            FloatVector sum = FloatVector.zero(F);
            for (int end = Math.min(n, c + BLOCK * step); c < end; c += step) {
                FloatVector pv = FloatVector.fromArray(F, p, po + c);
                FloatVector yv = FloatVector.fromArray(F, y, yo + c);
                FloatVector qv = pv.neg().add(1f);
                FloatVector a = yv.mul(FloatLog.logNormal(pv)).neg();
                FloatVector b = yv.sub(1f).mul(FloatLog.logNormal(qv).blend(-100f, qv.compare(VectorOperators.EQ, 0f)));
                if (w != null) {
                    FloatVector wv = FloatVector.fromArray(F, w, wo + c);
                    a = a.mul(wv);
                    b = b.mul(wv);
                }
                FloatVector l = a.add(b);
                sum = EXACT_FLOAT.cast(sum).add(l, fresh);
                if (loss != null) {
                    l.intoArray(loss, lo + c);
                }
            }
            rowSum = EXACT_DOUBLE.cast(rowSum).add(EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                    .add(EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        }
        EXACT_DOUBLE.cast(rowSum).intoArray(lanes, 0);
        return LaneSums.sum(lanes, 0);
    }

    /** Gradient of one row, {@code w (p - y) / max(p (1 - p), E) * gradScale}; runs after the log passes (in place). */
    private static void rowGradient(float[] p, int po, float[] y, int yo, float[] w, int wo, int classes,
                                    float[] g, int go, float gradScale) {
        final int upper = F.loopBound(classes);
        int c = 0;
        for (; c < upper; c += F.length()) {
            FloatVector pv = FloatVector.fromArray(F, p, po + c);
            FloatVector yv = FloatVector.fromArray(F, y, yo + c);
            FloatVector den = pv.mul(pv.neg().add(1f));
            den = den.blend(EPSILON, den.compare(VectorOperators.LT, EPSILON));
            FloatVector scale = w == null ? FloatVector.broadcast(F, gradScale)
                    : FloatVector.fromArray(F, w, wo + c).mul(gradScale);
            // divide first: (p - y) times a small scale could go subnormal before the division
            pv.sub(yv).div(den).mul(scale).intoArray(g, go + c);
        }
        if (c < classes) {
            VectorMask<Float> in = F.indexInRange(c, classes);
            FloatVector pv = FloatVector.fromArray(F, p, po + c, in);
            FloatVector yv = FloatVector.fromArray(F, y, yo + c, in);
            FloatVector den = pv.mul(pv.neg().add(1f));
            den = den.blend(EPSILON, den.compare(VectorOperators.LT, EPSILON));
            FloatVector scale = w == null ? FloatVector.broadcast(F, gradScale)
                    : FloatVector.fromArray(F, w, wo + c, in).mul(gradScale);
            pv.sub(yv).div(den).mul(scale).intoArray(g, go + c, in);
        }
    }

    @Override
    public double forwardBackward(double[] p, int pOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, int weightsRowStride, double[] loss, int lossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        double[] lanes = LANES.take();
        try {
            return run(p, pOffset, y, yOffset, rows, classes, weights, weightsRowStride, loss, lossOffset,
                    grad, gradOffset, gradScale, lanes);
        } finally {
            LANES.give(lanes);
        }
    }

    /**
     * Float64: per row, one pass per clamped log (for the reason given above rowLoss: with both full inline
     * logs in one loop C2 called the second out of line and boxed ~20 KB per call), then the gradient pass.
     */
    private static double run(double[] p, int pOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] loss, int lossOffset,
                              double[] g, int gradOffset, double gradScale, double[] lanes) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int base = r * classes;
            final int wo = r * wStride;
            if (Species.DOUBLE_MASKS || DoubleRange.allWithin(p, pOffset + base, classes, 0.0, 1.0)) {
                double sumP = rowLogP64(p, pOffset + base, y, yOffset + base, w, wo, classes, loss,
                        lossOffset + base, lanes);
                double sumQ = rowLogQ64(p, pOffset + base, y, yOffset + base, w, wo, classes, loss,
                        lossOffset + base, lanes);
                total += loss == null ? sumP + sumQ : sumQ;
            } else { // 2 lanes, a row with an invalid probability: scalar code, which gives its element losses NaN
                total += tail64(p, pOffset + base, y, yOffset + base, w, wo, 0, classes, loss, lossOffset + base);
            }
            if (g == null) {
                continue;
            }
            if (Species.DOUBLE_MASKS) {
                rowGradient64(p, pOffset + base, y, yOffset + base, w, wo, classes, g, gradOffset + base, gradScale);
            } else {
                rowGradientTwoLanes(p, pOffset + base, y, yOffset + base, w, wo, classes, g, gradOffset + base,
                        gradScale);
            }
        }
        return total;
    }

    /**
     * max(log x, -100) for x in [0, 1]; NaN for a negative x or NaN where the kernels have masks. With 2 double lanes
     * (no compare or blend, see {@link Species#DOUBLE_MASKS}) the lean {@link DoubleLog#logNonNegative} and a
     * lane-wise max: the same values for every x in [-0, 1], which the caller has checked.
     */
    private static DoubleVector clampedLog(DoubleVector x) {
        if (!Species.DOUBLE_MASKS) {
            return DoubleLog.logNonNegative(x).max(-100.0);
        }
        DoubleVector log = DoubleLog.log(x);
        return log.blend(-100.0, log.compare(VectorOperators.LT, -100.0));
    }

    /**
     * The y term in float64: {@code a = -w y max(log p, -100)}, summed, and stored in loss if not null.
     * Whole vectors, then the log's scalar twin for the tail: a masked last iteration around an inline exp or
     * log measured 24 B per row (a boxed mask) in the float64 kernels, depending on what else the JVM ran.
     */
    private static double rowLogP64(double[] p, int po, double[] y, int yo, double[] w, int wo, int classes,
                                    double[] loss, int lo, double[] lanes) {
        DoubleVector sum = DoubleVector.zero(D);
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleVector logP = clampedLog(DoubleVector.fromArray(D, p, po + c)); // NaN for p < 0 or NaN
            DoubleVector a = DoubleVector.fromArray(D, y, yo + c).mul(logP).neg();
            if (w != null) {
                a = a.mul(DoubleVector.fromArray(D, w, wo + c));
            }
            sum = EXACT_DOUBLE.cast(sum).add(a);
            if (loss != null) {
                a.intoArray(loss, lo + c);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(lanes, 0);
        double total = LaneSums.sum(lanes, 0);
        for (; c < classes; c++) {
            double logP = DoubleLog.log(p[po + c]);
            double a = -(y[yo + c] * (logP < -100.0 ? -100.0 : logP));
            if (w != null) {
                a *= w[wo + c];
            }
            total += a;
            if (loss != null) {
                loss[lo + c] = a;
            }
        }
        return total;
    }

    /**
     * The (1 - y) term in float64: {@code b = w (y - 1) max(log(1 - p), -100)}; without loss returns the sum of
     * b, with it adds b to the a that {@link #rowLogP64} stored there and returns the sum of the element losses.
     */
    private static double rowLogQ64(double[] p, int po, double[] y, int yo, double[] w, int wo, int classes,
                                    double[] loss, int lo, double[] lanes) {
        DoubleVector sum = DoubleVector.zero(D);
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleVector logQ = clampedLog(DoubleVector.fromArray(D, p, po + c).neg().add(1.0)); // NaN for p > 1
            DoubleVector b = DoubleVector.fromArray(D, y, yo + c).sub(1.0).mul(logQ);
            if (w != null) {
                b = b.mul(DoubleVector.fromArray(D, w, wo + c));
            }
            if (loss != null) {
                b = DoubleVector.fromArray(D, loss, lo + c).add(b);
                b.intoArray(loss, lo + c);
            }
            sum = EXACT_DOUBLE.cast(sum).add(b);
        }
        EXACT_DOUBLE.cast(sum).intoArray(lanes, 0);
        double total = LaneSums.sum(lanes, 0);
        for (; c < classes; c++) {
            double logQ = DoubleLog.log(1.0 - p[po + c]);
            double b = (y[yo + c] - 1.0) * (logQ < -100.0 ? -100.0 : logQ);
            if (w != null) {
                b *= w[wo + c];
            }
            if (loss != null) {
                b = loss[lo + c] + b;
                loss[lo + c] = b;
            }
            total += b;
        }
        return total;
    }

    /** Gradient of one float64 row, {@code w (p - y) / max(p (1 - p), E) * gradScale}, after the log passes. */
    private static void rowGradient64(double[] p, int po, double[] y, int yo, double[] w, int wo, int classes,
                                      double[] g, int go, double gradScale) {
        for (int c = 0; c < classes; c += D.length()) {
            VectorMask<Double> in = D.indexInRange(c, classes);
            DoubleVector pv = DoubleVector.fromArray(D, p, po + c, in);
            DoubleVector den = pv.mul(pv.neg().add(1.0));
            den = den.blend(EPSILON, den.compare(VectorOperators.LT, EPSILON));
            DoubleVector scale = w == null ? DoubleVector.broadcast(D, gradScale)
                    : DoubleVector.fromArray(D, w, wo + c, in).mul(gradScale);
            pv.sub(DoubleVector.fromArray(D, y, yo + c, in)).div(den).mul(scale).intoArray(g, go + c, in);
        }
    }

    // ---------------------------------------------------------------- float64 with 2 double lanes

    /**
     * Elements [from, n) of a float64 row in scalar code with the log's scalar twin (the vector lanes' bits):
     * {@code a = -w y max(log p, -100)}, {@code b = w (y - 1) max(log(1 - p), -100)}, the element loss a + b (NaN for
     * an invalid p) stored when loss is not null; returns their sum.
     */
    private static double tail64(double[] p, int po, double[] y, int yo, double[] w, int wo, int from, int n,
                                 double[] loss, int lo) {
        double sum = 0.0;
        for (int c = from; c < n; c++) {
            double pc = p[po + c];
            double yc = y[yo + c];
            double logP = DoubleLog.log(pc);
            double logQ = DoubleLog.log(1.0 - pc);
            double a = -(yc * (logP < -100.0 ? -100.0 : logP));
            double b = (yc - 1.0) * (logQ < -100.0 ? -100.0 : logQ);
            if (w != null) {
                a *= w[wo + c];
                b *= w[wo + c];
            }
            double l = a + b;
            sum += l;
            if (loss != null) {
                loss[lo + c] = l;
            }
        }
        return sum;
    }

    /** {@link #rowGradient64} without masks: whole vectors with the clamp as lane-wise max, then scalar code. */
    private static void rowGradientTwoLanes(double[] p, int po, double[] y, int yo, double[] w, int wo, int classes,
                                            double[] g, int go, double gradScale) {
        int c = 0;
        for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
            DoubleVector pv = DoubleVector.fromArray(D, p, po + c);
            DoubleVector den = pv.mul(pv.neg().add(1.0)).max(EPSILON); // NaN stays NaN, as with the blend
            DoubleVector scale = w == null ? DoubleVector.broadcast(D, gradScale)
                    : DoubleVector.fromArray(D, w, wo + c).mul(gradScale);
            pv.sub(DoubleVector.fromArray(D, y, yo + c)).div(den).mul(scale).intoArray(g, go + c);
        }
        for (; c < classes; c++) {
            double pc = p[po + c];
            double den = pc * (1.0 - pc);
            double scale = w == null ? gradScale : w[wo + c] * gradScale;
            g[go + c] = (pc - y[yo + c]) / (den < EPSILON ? EPSILON : den) * scale;
        }
    }

    @Override
    public int firstInvalidProbability(float[] p, int offset, int length) {
        // whole vectors with an all-lanes test, then the scalar rescan from the first bad vector (no masked loads:
        // with them C2 was seen to box the masks, 270 B a call, depending on what it had inlined before)
        int i = 0;
        for (int upper = F.loopBound(length); i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, p, offset + i);
            // NaN fails both comparisons
            if (!v.compare(VectorOperators.GE, 0f).and(v.compare(VectorOperators.LE, 1f)).allTrue()) {
                break;
            }
        }
        for (; i < length; i++) {
            float v = p[offset + i];
            if (!(v >= 0f && v <= 1f)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int firstInvalidProbability(double[] p, int offset, int length) {
        if (!Species.DOUBLE_MASKS) { // 2 double lanes: no compare (see Species.DOUBLE_MASKS)
            return DoubleRange.firstOutside(p, offset, length, 0.0, 1.0);
        }
        // whole vectors with an all-lanes test, then the scalar rescan from the first bad vector (no masked loads:
        // with them C2 was seen to box the masks, 270 B a call, depending on what it had inlined before)
        int i = 0;
        for (int upper = D.loopBound(length); i < upper; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, p, offset + i);
            // NaN fails both comparisons
            if (!v.compare(VectorOperators.GE, 0.0).and(v.compare(VectorOperators.LE, 1.0)).allTrue()) {
                break;
            }
        }
        for (; i < length; i++) {
            double v = p[offset + i];
            if (!(v >= 0.0 && v <= 1.0)) {
                return i;
            }
        }
        return -1;
    }
}
