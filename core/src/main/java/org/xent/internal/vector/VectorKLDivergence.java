package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.KLDivergenceKernel;

/**
 * Vector API KL divergence. The loss is elementwise, so the N x C block is processed flat, in blocks of
 * {@value #BLOCK} elements whose partial sums stay in vector lanes (at most 512 / lanes terms per lane) and are
 * then added in double: with 4096-element blocks the float32 sum of golden case 102 (1 x 4097) was 36 times
 * less accurate than PyTorch's pairwise sum. float32 uses the inline {@link FloatLog} (probability
 * target: xlogy(t, t) = t log t) and {@link FloatExpWide} (log target: exp(t), which may be positive for a
 * malformed target); one transcendental call site per loop.
 */
final class VectorKLDivergence implements KLDivergenceKernel {

    static final VectorKLDivergence INSTANCE = new VectorKLDivergence();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;
    private static final int BLOCK = 512;

    private VectorKLDivergence() {}

    /** A call's scratch: room for the lanes of its accumulators, summed by {@link LaneSums}. */
    private static final class Scratch {
        final double[] lanes64 = LaneSums.doubleScratch(3);
        /** A float64 block's logs. */
        final double[] logs64 = new double[BLOCK];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    // ---------------------------------------------------------------- float32

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] t, int tOffset, int size, boolean logTarget,
                                  float[] out, int outOffset, float[] grad, int gradOffset, float gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            double total = 0.0;
            for (int b = 0; b < size; b += BLOCK) {
                int n = Math.min(BLOCK, size - b);
                total += logTarget
                        ? blockLogTarget(x, xOffset + b, t, tOffset + b, n, out, outOffset + b, grad, gradOffset + b,
                                gradScale, scratch)
                        : blockProbTarget(x, xOffset + b, t, tOffset + b, n, out, outOffset + b, grad,
                                gradOffset + b, gradScale, scratch);
            }
            return total;
        } finally {
            SCRATCH.give(scratch);
        }
    }

    /**
     * Whether the probability-target log skips {@link FloatLog#log}'s special-value blends (8 lanes and fewer),
     * which changes no bit of the result. The element is t log t - t x, set to 0 where t = 0 and x < +inf: at t = 0
     * the log's value is multiplied by 0 (any finite value gives 0, and where x = +inf, t x is NaN either way); at
     * t = +inf the product is +inf for a finite log as for an infinite one; a NaN t makes it NaN either way. Only
     * t < 0 needs its NaN blended in. That is 7 operations a vector less (2 compares, 2 mask operations, 3 blends) in
     * a loop bound by their number: forward 1.10-1.19x on a Zen 3 (AVX2 native, medians of 3 rounds of alternating
     * JMH forks), 1.08-1.18x as 128-bit code there. At 16 lanes, not measured on that machine, the full log stays.
     * Written out in both loops: a helper taking a vector is not always inlined.
     */
    private static final boolean CHEAP_TARGET_LOG = F.length() <= 8;

    /** xlogy(t, t) - t x; where t = 0 and x < +inf the element is 0 (masked class, and 0 log 0 = 0). */
    private static double blockProbTarget(float[] x, int xo, float[] t, int to, int n, float[] out, int oo,
                                         float[] g, int go, float gradScale, Scratch scratch) {
        final float negScale = -gradScale;
        FloatVector sum = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector tv = FloatVector.fromArray(F, t, to + i);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            VectorMask<Float> masked = tv.compare(VectorOperators.EQ, 0f)
                    .and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            // a constant: C2 keeps one of the two (see CHEAP_TARGET_LOG)
            FloatVector logT = CHEAP_TARGET_LOG
                    ? FloatLog.logUnitInterval(tv).blend(Float.NaN, tv.compare(VectorOperators.LT, 0f))
                    : FloatLog.log(tv);
            FloatVector l = tv.mul(logT).sub(tv.mul(xv)).blend(0f, masked);
            sum = EXACT_FLOAT.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                tv.mul(negScale).intoArray(g, go + i);
            }
        }
        if (i < n) {
            VectorMask<Float> in = F.indexInRange(i, n);
            FloatVector tv = FloatVector.fromArray(F, t, to + i, in);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i, in);
            VectorMask<Float> masked = tv.compare(VectorOperators.EQ, 0f)
                    .and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            // a constant: C2 keeps one of the two (see CHEAP_TARGET_LOG)
            FloatVector logT = CHEAP_TARGET_LOG
                    ? FloatLog.logUnitInterval(tv).blend(Float.NaN, tv.compare(VectorOperators.LT, 0f))
                    : FloatLog.log(tv);
            FloatVector l = tv.mul(logT).sub(tv.mul(xv)).blend(0f, masked);
            sum = EXACT_FLOAT.cast(sum).add(l, in);
            if (out != null) {
                l.intoArray(out, oo + i, in);
            }
            if (g != null) {
                tv.mul(negScale).intoArray(g, go + i, in);
            }
        }
        // lanes added in double (a float tree reduction rounds at every level); written out here, not in a helper,
        // because a helper taking a vector is not always inlined and then boxes its argument
        DoubleVector sum2 = ((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        sum2.intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    /** exp(t) (t - x); where exp(t) = 0 and x < +inf the element is 0 (masked class). */
    private static double blockLogTarget(float[] x, int xo, float[] t, int to, int n, float[] out, int oo,
                                        float[] g, int go, float gradScale, Scratch scratch) {
        final float negScale = -gradScale;
        FloatVector sum = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector tv = FloatVector.fromArray(F, t, to + i);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector e = FloatExpWide.exp(tv);
            VectorMask<Float> masked = e.compare(VectorOperators.EQ, 0f)
                    .and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            FloatVector l = e.mul(tv.sub(xv)).blend(0f, masked);
            sum = EXACT_FLOAT.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                e.mul(negScale).intoArray(g, go + i);
            }
        }
        if (i < n) {
            VectorMask<Float> in = F.indexInRange(i, n);
            FloatVector tv = FloatVector.fromArray(F, t, to + i, in);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i, in);
            FloatVector e = FloatExpWide.exp(tv);
            VectorMask<Float> masked = e.compare(VectorOperators.EQ, 0f)
                    .and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            FloatVector l = e.mul(tv.sub(xv)).blend(0f, masked);
            sum = EXACT_FLOAT.cast(sum).add(l, in);
            if (out != null) {
                l.intoArray(out, oo + i, in);
            }
            if (g != null) {
                e.mul(negScale).intoArray(g, go + i, in);
            }
        }
        // lanes added in double (a float tree reduction rounds at every level); written out here, not in a helper,
        // because a helper taking a vector is not always inlined and then boxes its argument
        DoubleVector sum2 = ((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        sum2.intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 path uses the inline {@link DoubleLog} and {@link DoubleExpWide} (the same bits in every JIT tier
     * and at every width, where {@code lanewise(LOG/EXP)} allocated with 2 lanes), one block method per target kind
     * (one transcendental call site each, as in float32), whole vectors and a scalar tail with the twins (a masked
     * last iteration around an inline exp or log measured 24 B per row, a boxed mask, in some JVM histories).
     */
    @Override
    public double forwardBackward(double[] x, int xOffset, double[] t, int tOffset, int size, boolean logTarget,
                                  double[] out, int outOffset, double[] g, int gradOffset, double gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            double total = 0.0;
            for (int b = 0; b < size; b += BLOCK) {
                int n = Math.min(BLOCK, size - b);
                total += !Species.DOUBLE_MASKS
                        ? blockTwoLanes(x, xOffset + b, t, tOffset + b, n, logTarget, out, outOffset + b, g,
                                gradOffset + b, gradScale, scratch)
                        : logTarget
                        ? blockLogTarget(x, xOffset + b, t, tOffset + b, n, out, outOffset + b, g, gradOffset + b,
                                gradScale, scratch)
                        : blockProbTarget(x, xOffset + b, t, tOffset + b, n, out, outOffset + b, g, gradOffset + b,
                                gradScale, scratch);
            }
            return total;
        } finally {
            SCRATCH.give(scratch);
        }
    }


    /**
     * Float64 xlogy(t, t) - t x; where t = 0 and x < +inf the element is 0 (masked class, and 0 log 0 = 0). The
     * logs come from {@link DoubleLog#logInto} (see there why a pass of their own).
     */
    private static double blockProbTarget(double[] x, int xo, double[] t, int to, int n, double[] out, int oo,
                                          double[] g, int go, double gradScale, Scratch scratch) {
        final double[] logs = scratch.logs64;
        DoubleLog.logInto(t, to, n, logs);
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(n); i < upper; i += D.length()) {
            DoubleVector tv = DoubleVector.fromArray(D, t, to + i);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            VectorMask<Double> masked = tv.compare(VectorOperators.EQ, 0)
                    .and(xv.compare(VectorOperators.LT, Double.POSITIVE_INFINITY));
            DoubleVector l = tv.mul(DoubleVector.fromArray(D, logs, i)).sub(tv.mul(xv)).blend(0, masked);
            sum = EXACT_DOUBLE.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                tv.mul(negScale).intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        double total = LaneSums.sum(scratch.lanes64, 0);
        for (; i < n; i++) {
            double tc = t[to + i];
            double xc = x[xo + i];
            double l = tc == 0 && xc < Double.POSITIVE_INFINITY ? 0 : tc * logs[i] - tc * xc;
            total += l;
            if (out != null) {
                out[oo + i] = l;
            }
            if (g != null) {
                g[go + i] = tc * negScale;
            }
        }
        return total;
    }

    /** Float64 exp(t) (t - x); where exp(t) = 0 and x < +inf the element is 0. */
    private static double blockLogTarget(double[] x, int xo, double[] t, int to, int n, double[] out, int oo,
                                         double[] g, int go, double gradScale, Scratch scratch) {
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(n); i < upper; i += D.length()) {
            DoubleVector tv = DoubleVector.fromArray(D, t, to + i);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector e = DoubleExpWide.exp(tv); // a malformed target may be positive
            VectorMask<Double> masked = e.compare(VectorOperators.EQ, 0)
                    .and(xv.compare(VectorOperators.LT, Double.POSITIVE_INFINITY));
            DoubleVector l = e.mul(tv.sub(xv)).blend(0, masked);
            sum = EXACT_DOUBLE.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                e.mul(negScale).intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        double total = LaneSums.sum(scratch.lanes64, 0);
        for (; i < n; i++) {
            double tc = t[to + i];
            double xc = x[xo + i];
            double e = DoubleExpWide.exp(tc);
            double l = e == 0 && xc < Double.POSITIVE_INFINITY ? 0 : e * (tc - xc);
            total += l;
            if (out != null) {
                out[oo + i] = l;
            }
            if (g != null) {
                g[go + i] = e * negScale;
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- float64 with 2 double lanes

    /** Probability targets above this are left to scalar code: {@link DoubleLog#logNonNegative}'s range. */
    private static final double LEAN_TARGET_MAX = 0x1p971;

    /**
     * One float64 block with 2 double lanes, where C2 has no double compare, blend or mask (see
     * {@link Species#DOUBLE_MASKS}). The block is first tested by {@link DoubleRange}, before anything is written
     * (an in-place gradient cannot change what was tested): logits above -inf (then a zero-probability target
     * gives 0 through the arithmetic itself: 0 times a finite log or difference, made +0 by adding +0, as the
     * wider form's blend gives), and targets in [0, 2^971] (probabilities) or above -inf (log-probabilities), no
     * NaN anywhere. Such a block takes whole vectors without masks, with the lean {@link DoubleLog#logNonNegative}
     * or the mask-free {@link DoubleExpWide}; another one the scalar code of {@link #blockTwoLanesTail}. Both give
     * the wider form's element values.
     */
    private static double blockTwoLanes(double[] x, int xo, double[] t, int to, int n, boolean logTarget,
                                        double[] out, int oo, double[] g, int go, double gradScale, Scratch scratch) {
        boolean lean = DoubleRange.allWithin(x, xo, n, -Double.MAX_VALUE, Double.POSITIVE_INFINITY)
                && (logTarget ? DoubleRange.allWithin(t, to, n, -Double.MAX_VALUE, Double.POSITIVE_INFINITY)
                        : DoubleRange.allWithin(t, to, n, 0.0, LEAN_TARGET_MAX));
        if (!lean) {
            return blockTwoLanesTail(x, xo, t, to, 0, n, logTarget, out, oo, g, go, gradScale);
        }
        int whole = D.loopBound(n);
        double sum = logTarget ? leanLogTarget(x, xo, t, to, whole, out, oo, g, go, gradScale, scratch)
                : leanProbTarget(x, xo, t, to, whole, out, oo, g, go, gradScale, scratch);
        return sum + blockTwoLanesTail(x, xo, t, to, whole, n, logTarget, out, oo, g, go, gradScale);
    }

    /*
     * One method per target kind, each with one transcendental: with the exp and the log in one loop C2 reached its
     * inlining budget and called the exp out of line, boxing a vector per iteration (12.8 KB per call at 8 x 100,
     * LossesAllocationTest at 128 bits).
     */

    /** t log t - t x + 0 over n elements (a multiple of the lanes) of a lean block; gradient -t scale. */
    private static double leanProbTarget(double[] x, int xo, double[] t, int to, int n, double[] out, int oo,
                                         double[] g, int go, double gradScale, Scratch scratch) {
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        for (int i = 0; i < n; i += D.length()) {
            DoubleVector tv = DoubleVector.fromArray(D, t, to + i);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector l = tv.mul(DoubleLog.logNonNegative(tv)).sub(tv.mul(xv)).add(0.0);
            sum = EXACT_DOUBLE.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                tv.mul(negScale).intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    /** exp(t) (t - x) + 0 over n elements (a multiple of the lanes) of a lean block; gradient -exp(t) scale. */
    private static double leanLogTarget(double[] x, int xo, double[] t, int to, int n, double[] out, int oo,
                                        double[] g, int go, double gradScale, Scratch scratch) {
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        for (int i = 0; i < n; i += D.length()) {
            DoubleVector tv = DoubleVector.fromArray(D, t, to + i);
            DoubleVector e = DoubleExpWide.exp(tv);
            DoubleVector l = e.mul(tv.sub(DoubleVector.fromArray(D, x, xo + i))).add(0.0);
            sum = EXACT_DOUBLE.cast(sum).add(l);
            if (out != null) {
                l.intoArray(out, oo + i);
            }
            if (g != null) {
                e.mul(negScale).intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    /**
     * Elements [from, n) of a float64 block in scalar code, with the twins of the inline log and exp (the lanes'
     * bits) and the masked rule: where the target's probability is 0 and x < +inf the element is 0.
     */
    private static double blockTwoLanesTail(double[] x, int xo, double[] t, int to, int from, int n,
                                            boolean logTarget, double[] out, int oo, double[] g, int go,
                                            double gradScale) {
        final double negScale = -gradScale;
        double total = 0.0;
        for (int i = from; i < n; i++) {
            double tc = t[to + i];
            double xc = x[xo + i];
            double prob = logTarget ? DoubleExpWide.exp(tc) : tc;
            double l = prob == 0 && xc < Double.POSITIVE_INFINITY ? 0
                    : logTarget ? prob * (tc - xc) : tc * DoubleLog.log(tc) - tc * xc;
            total += l;
            if (out != null) {
                out[oo + i] = l;
            }
            if (g != null) {
                g[go + i] = prob * negScale;
            }
        }
        return total;
    }
}
