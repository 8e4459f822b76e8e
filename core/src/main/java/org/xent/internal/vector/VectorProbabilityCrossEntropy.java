package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.ProbabilityCrossEntropyKernel;

/**
 * Vector API cross-entropy on probabilities or log-probabilities. One pass per row: with probabilities, the
 * inline {@link FloatLog} gives log p, clamped below at -100 by compare + blend, and the gradient -a / p is
 * written in the same pass (zero where the clamp is active); with log-probabilities there is no transcendental
 * at all. Row sums stay in vector lanes and are finished in double. The gradient is computed as (a * -scale) / p
 * so that a tiny (subnormal) p overflows only when the scaled result itself does.
 */
final class VectorProbabilityCrossEntropy implements ProbabilityCrossEntropyKernel {

    static final VectorProbabilityCrossEntropy INSTANCE = new VectorProbabilityCrossEntropy();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;
    private static final float LOG_FLOOR = -100f;
    /**
     * Whether float32 probability rows run masked iterations (16 lanes: AVX-512 masks are cheap, and the form was
     * measured there) or whole vectors and a scalar tail (8 lanes and fewer: see {@link #rowProbInput}).
     */
    private static final boolean MASKED_ROWS = F.length() > 8;

    private VectorProbabilityCrossEntropy() {}

    /** A call's scratch: room for the lanes of its accumulators, summed by {@link LaneSums}. */
    private static final class Scratch {
        final double[] lanes64 = LaneSums.doubleScratch(3);
        /** The float accumulator of a lean block or row. */
        final float[] lanes32 = LaneSums.floatScratch(1);
        /** A float64 row's logs. */
        double[] logs64 = new double[0];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    // ---------------------------------------------------------------- validation

    @Override
    public int findInvalidProbability(float[] p, int offset, int length) {
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
    public int findInvalidProbability(double[] p, int offset, int length) {
        if (!Species.DOUBLE_MASKS) { // 2 double lanes: no compare (see Species.DOUBLE_MASKS)
            return DoubleRange.firstOutside(p, offset, length, 0.0, 1.0);
        }
        int i = 0;
        for (int upper = D.loopBound(length); i < upper; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, p, offset + i);
            if (!v.compare(VectorOperators.GE, 0).and(v.compare(VectorOperators.LE, 1)).allTrue()) {
                break;
            }
        }
        for (; i < length; i++) {
            double v = p[offset + i];
            if (!(v >= 0 && v <= 1)) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- float32

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, boolean logInput, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            double total = 0.0;
            for (int r = 0; r < rows; r++) {
                int o = r * classes;
                double loss = -(double) (logInput
                        ? rowLogInput(x, xOffset + o, y, yOffset + o, classes, weights, grad, gradOffset + o,
                                -gradScale, scratch)
                        : classes >= F.length() && grad != x
                                && FloatRange.allWithin(x, xOffset + o, classes, Float.MIN_NORMAL, 1f)
                        ? rowNormal(x, xOffset + o, y, yOffset + o, classes, weights, grad, gradOffset + o,
                                -gradScale, scratch)
                        : rowProbInput(x, xOffset + o, y, yOffset + o, classes, weights, grad, gradOffset + o,
                                -gradScale, scratch));
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = (float) loss;
                }
                total += loss;
            }
            return total;
        } finally {
            SCRATCH.give(scratch);
        }
    }

    /**
     * sum_c a_c max(log p_c, -100); gradient -a / p * scale where log p >= -100, else 0. Whole vectors, then the
     * last {@code classes % lanes} elements in {@link #probTail}. An earlier form masked every iteration, so that
     * the long inline log appeared once (with a second inline copy for a masked tail, C2 stopped inlining it and
     * boxed its result, 1.5 KB per call): on AVX2 those masked loads cost 2.7x (0.32 against 0.86 G elements/s
     * for this loop at 1024x1000 on a Zen 3), since without AVX-512 a masked load is a blend sequence. The tail
     * therefore takes {@link Math#log} in double, a few calls per row, and the log stays inline once. At 16 lanes
     * the masked form stays ({@link #MASKED_ROWS}).
     */
    private static double rowProbInput(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                      float[] g, int go, float negScale, Scratch scratch) {
        if (MASKED_ROWS) { // a constant: C2 keeps one of the two forms
            return rowProbInputMasked(x, xo, y, yo, classes, w, g, go, negScale, scratch);
        }
        FloatVector sum = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector p = FloatVector.fromArray(F, x, xo + i);
            FloatVector a = FloatVector.fromArray(F, y, yo + i);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i));
            }
            // the log for [0, 1]; a probability outside it (or NaN) gets a NaN log, so that its row and the
            // sum are NaN and the caller reports the invalid input (see the kernel contract)
            FloatVector lp = FloatLog.logUnitInterval(p)
                    .blend(Float.NaN, p.compare(VectorOperators.GE, 0f).and(p.compare(VectorOperators.LE, 1f)).not());
            VectorMask<Float> clamped = lp.compare(VectorOperators.LT, LOG_FLOOR);
            sum = a.fma(lp.blend(LOG_FLOOR, clamped), sum);
            if (g != null) {
                a.mul(negScale).div(p).blend(0f, clamped).intoArray(g, go + i);
            }
        }
        DoubleVector sum2 = ((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        sum2.intoArray(scratch.lanes64, 0);
        double total = LaneSums.sum(scratch.lanes64, 0);
        return i < classes ? probTail(x, xo, y, yo, i, classes, w, g, go, negScale, total) : total;
    }

    /**
     * {@link #rowProbInput} for a row of at least one vector whose probabilities all lie in
     * [{@link Float#MIN_NORMAL}, 1] (checked by {@link FloatRange}, one unsigned max a vector): log p is at least
     * -87.4, so nothing is clamped, no p is invalid or subnormal, and the lean {@link FloatLog#logNormal} serves,
     * 11 vector operations a vector fewer; the same bits per element. The whole vectors, then the row's last whole
     * vector with its first lanes (done) left out of the sum, as binary cross-entropy does: no masked loads, and
     * no call into the general row for the tail (one such call, at 16 lanes, boxed 192 B a row in one JVM of the
     * allocation tests). Not for a gradient written over the probabilities (the second call reads lanes the first
     * has overwritten): those calls take the general row. A softmax in float32 leaves the lean rows only where a
     * probability underflows (a logit 87 below the row's largest).
     */
    private static double rowNormal(float[] x, int xo, float[] y, int yo, int classes, float[] w, float[] g, int go,
                                    float negScale, Scratch scratch) {
        final int whole = F.loopBound(classes), rest = classes - whole, last = classes - F.length();
        double total = rowNormalVectors(x, xo, y, yo, whole, 0, w, 0, g, go, negScale, scratch);
        return rest == 0 ? total : total + rowNormalVectors(x, xo + last, y, yo + last, F.length(), F.length() - rest,
                w, last, g, go + last, negScale, scratch);
    }

    /**
     * sum a log p over n elements (a multiple of the lanes); with {@code skip > 0} (then n is one vector), the lanes
     * below skip are left out.
     */
    private static double rowNormalVectors(float[] x, int xo, float[] y, int yo, int n, int skip, float[] w, int wo,
                                           float[] g, int go, float negScale, Scratch scratch) {
        final VectorMask<Float> skipped = FloatVector.zero(F).addIndex(1).compare(VectorOperators.LT, (float) skip);
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            FloatVector p = FloatVector.fromArray(F, x, xo + i);
            FloatVector a = FloatVector.fromArray(F, y, yo + i);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, wo + i));
            }
            // FloatLog.logNormal(p) written out, step for step (the same bits): called, it was sometimes left out
            // of line (C2's node budget for inlining, NodeCountInliningCutoff, reached first in the caller it was
            // compiled into) and then boxed its argument and result, 1-25 KB a call in one JVM in three under load;
            // written out, the method is also too big for C2 to inline into its caller, so it compiles on its own
            IntVector ix = p.reinterpretAsInts().add(FloatLog.ONE_BITS - FloatLog.SQRT_HALF_BITS);
            FloatVector e = ((FloatVector) ix.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                    .sub(127f);
            FloatVector f = ix.and(0x007FFFFF).add(FloatLog.SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector s2 = s.mul(s);
            FloatVector poly = s2.fma(FloatLog.C9, FloatLog.C7).fma(s2, FloatVector.broadcast(F, FloatLog.C5))
                    .fma(s2, FloatVector.broadcast(F, FloatLog.C3));
            FloatVector logm = s.neg().fma(f.sub(s2.mul(poly)), f);
            FloatVector logp = e.fma(FloatVector.broadcast(F, FloatLog.LN2_HI),
                    e.fma(FloatVector.broadcast(F, FloatLog.LN2_LO), logm));
            sum = a.fma(logp, sum);
            if (g != null) {
                a.mul(negScale).div(p).intoArray(g, go + i); // skipped lanes rewritten with the same values
            }
        }
        // the skipped lanes (of a one-vector call) set to the 0 that a zero coefficient would have added there:
        // once a call, not a blend in every iteration (5-10 % at 4096x128 with 8 lanes once this method stopped
        // being inlined with skip = 0 folded)
        EXACT_FLOAT.cast(sum).blend(0f, skipped).intoArray(scratch.lanes32, 0); // lanes added in double, fixed order
        return LaneSums.sum(scratch.lanes32, 0);
    }

    /**
     * {@link #rowProbInput} at 16 lanes, where the masked loads are AVX-512 mask operations: every iteration is
     * masked so that the long inline log appears once (with a second copy for the tail, C2 stopped inlining it and
     * boxed its result, 1.5 KB per call measured), and a row of 1000 has no scalar tail of 8 {@link Math#log}s.
     */
    private static double rowProbInputMasked(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                      float[] g, int go, float negScale, Scratch scratch) {
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < classes; i += F.length()) {
            VectorMask<Float> in = F.indexInRange(i, classes);
            FloatVector p = FloatVector.fromArray(F, x, xo + i, in);
            FloatVector a = FloatVector.fromArray(F, y, yo + i, in);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i, in));
            }
            // the log for [0, 1]; a probability outside it (or NaN) gets a NaN log, so that its row and the
            // sum are NaN and the caller reports the invalid input (see the kernel contract)
            FloatVector lp = FloatLog.logUnitInterval(p)
                    .blend(Float.NaN, p.compare(VectorOperators.GE, 0f).and(p.compare(VectorOperators.LE, 1f)).not());
            VectorMask<Float> clamped = lp.compare(VectorOperators.LT, LOG_FLOOR);
            // lanes past the row end hold p = 0 and a = 0: their term is 0 * -100 = 0
            sum = a.fma(lp.blend(LOG_FLOOR, clamped), sum);
            if (g != null) {
                a.mul(negScale).div(p).blend(0f, clamped).intoArray(g, go + i, in);
            }
        }
        DoubleVector sum2 = ((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        sum2.intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    /** {@link #rowProbInput}'s last elements, from {@code from}, added to {@code total}: the same rules in scalar. */
    private static double probTail(float[] x, int xo, float[] y, int yo, int from, int classes, float[] w,
                                   float[] g, int go, float negScale, double total) {
        for (int i = from; i < classes; i++) {
            float p = x[xo + i];
            float a = w == null ? y[yo + i] : y[yo + i] * w[i];
            double lp = p >= 0f && p <= 1f ? Math.log(p) : Double.NaN;
            boolean clamped = lp < LOG_FLOOR;
            total += a * (clamped ? LOG_FLOOR : lp);
            if (g != null) {
                g[go + i] = clamped ? 0f : a * negScale / p;
            }
        }
        return total;
    }

    /** sum_c a_c lp_c, a zero coefficient contributing 0 where lp = -inf; gradient -a * scale. */
    private static double rowLogInput(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                     float[] g, int go, float negScale, Scratch scratch) {
        FloatVector sum = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector lp = FloatVector.fromArray(F, x, xo + i);
            FloatVector a = FloatVector.fromArray(F, y, yo + i);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i));
            }
            VectorMask<Float> masked = a.compare(VectorOperators.EQ, 0f)
                    .and(lp.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            sum = EXACT_FLOAT.cast(sum).add(a.mul(lp).blend(0f, masked));
            if (g != null) {
                a.mul(negScale).intoArray(g, go + i);
            }
        }
        if (i < classes) {
            VectorMask<Float> in = F.indexInRange(i, classes);
            FloatVector lp = FloatVector.fromArray(F, x, xo + i, in);
            FloatVector a = FloatVector.fromArray(F, y, yo + i, in);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, i, in));
            }
            VectorMask<Float> masked = a.compare(VectorOperators.EQ, 0f)
                    .and(lp.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            sum = EXACT_FLOAT.cast(sum).add(a.mul(lp).blend(0f, masked), in);
            if (g != null) {
                a.mul(negScale).intoArray(g, go + i, in);
            }
        }
        DoubleVector sum2 = ((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(sum).convertShape(VectorOperators.F2D, D, 1));
        sum2.intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 path uses the inline {@link DoubleLog} (the same bits in every JIT tier and at every width, where
     * {@code lanewise(LOG)} allocated with 2 lanes), one row method per input kind; the log's rows run whole
     * vectors and a scalar tail with its twin (a masked last iteration around an inline log measured 24 B per row,
     * a boxed mask, in some JVM histories), the log-input rows a masked loop.
     */
    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] w, boolean logInput, double[] rowLoss, int rowLossOffset,
                                  double[] g, int gradOffset, double gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            double total = 0.0;
            for (int r = 0; r < rows; r++) {
                final int o = r * classes;
                double loss = -(!Species.DOUBLE_MASKS
                        ? rowTwoLanes(x, xOffset + o, y, yOffset + o, classes, w, logInput, g, gradOffset + o,
                                gradScale, scratch)
                        : logInput
                        ? rowLogInput(x, xOffset + o, y, yOffset + o, classes, w, g, gradOffset + o, gradScale, scratch)
                        : rowProbabilities(x, xOffset + o, y, yOffset + o, classes, w, g, gradOffset + o, gradScale,
                                scratch));
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = loss;
                }
                total += loss;
            }
            return total;
        } finally {
            SCRATCH.give(scratch);
        }
    }

    /** sum a x over a float64 row of log-probabilities (0 where a = 0 and x = -inf); gradient -a scale. */
    private static double rowLogInput(double[] x, int xo, double[] y, int yo, int classes, double[] w, double[] g,
                                      int go, double gradScale, Scratch scratch) {
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        for (int i = 0; i < classes; i += D.length()) {
            VectorMask<Double> in = D.indexInRange(i, classes);
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i, in);
            DoubleVector a = DoubleVector.fromArray(D, y, yo + i, in);
            if (w != null) {
                a = a.mul(DoubleVector.fromArray(D, w, i, in));
            }
            VectorMask<Double> masked = a.compare(VectorOperators.EQ, 0)
                    .and(xv.compare(VectorOperators.EQ, Double.NEGATIVE_INFINITY));
            sum = EXACT_DOUBLE.cast(sum).add(a.mul(xv).blend(0, masked), in);
            if (g != null) {
                a.mul(negScale).intoArray(g, go + i, in);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0);
    }


    /**
     * sum a max(log p, -100) over a float64 row of probabilities (NaN where p > 1); gradient -a scale / p. The logs
     * come from {@link DoubleLog#logInto} (see there why a pass of their own), the rest from whole vectors and a
     * scalar tail (a masked last iteration measured 24 B per row, a boxed mask, in some JVM histories).
     */
    private static double rowProbabilities(double[] x, int xo, double[] y, int yo, int classes, double[] w,
                                           double[] g, int go, double gradScale, Scratch scratch) {
        if (scratch.logs64.length < classes) {
            scratch.logs64 = new double[classes]; // grows once per scratch for the widest rows seen
        }
        final double[] logs = scratch.logs64;
        DoubleLog.logInto(x, xo, classes, logs);
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector a = DoubleVector.fromArray(D, y, yo + i);
            if (w != null) {
                a = a.mul(DoubleVector.fromArray(D, w, i));
            }
            DoubleVector lp = DoubleVector.fromArray(D, logs, i)
                    .blend(Double.NaN, xv.compare(VectorOperators.GT, 1.0)); // NaN: see the contract
            VectorMask<Double> clamped = lp.compare(VectorOperators.LT, -100.0);
            sum = EXACT_DOUBLE.cast(sum).add(a.mul(lp.blend(-100.0, clamped)));
            if (g != null) {
                a.mul(negScale).div(xv).blend(0, clamped).intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        double total = LaneSums.sum(scratch.lanes64, 0);
        for (; i < classes; i++) {
            double xc = x[xo + i];
            double a = w == null ? y[yo + i] : y[yo + i] * w[i];
            double lp = xc > 1.0 ? Double.NaN : logs[i];
            boolean clamped = lp < -100.0;
            total += a * (clamped ? -100.0 : lp);
            if (g != null) {
                g[go + i] = clamped ? 0 : a * negScale / xc;
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- float64 with 2 double lanes

    /**
     * One float64 row with 2 double lanes, where C2 has no double compare, blend or mask (see
     * {@link Species#DOUBLE_MASKS}): the row is first tested by {@link DoubleRange} (probabilities in [0, 1];
     * log-probabilities above -inf, where the masked rule a = 0, x = -inf never applies), before anything is
     * written, so an in-place gradient cannot change what was tested. Such a row takes whole vectors without
     * masks, another one the scalar code of {@link #rowTwoLanesTail}; both give the wider form's element values.
     */
    private static double rowTwoLanes(double[] x, int xo, double[] y, int yo, int classes, double[] w,
                                      boolean logInput, double[] g, int go, double gradScale, Scratch scratch) {
        boolean lean = logInput
                ? DoubleRange.allWithin(x, xo, classes, -Double.MAX_VALUE, Double.POSITIVE_INFINITY)
                : DoubleRange.allWithin(x, xo, classes, 0.0, 1.0);
        if (!lean) {
            return rowTwoLanesTail(x, xo, y, yo, 0, classes, w, logInput, g, go, gradScale);
        }
        final double negScale = -gradScale;
        DoubleVector sum = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
            DoubleVector a = DoubleVector.fromArray(D, y, yo + i);
            if (w != null) {
                a = a.mul(DoubleVector.fromArray(D, w, i));
            }
            if (logInput) {
                sum = EXACT_DOUBLE.cast(sum).add(a.mul(xv));
                if (g != null) {
                    a.mul(negScale).intoArray(g, go + i);
                }
                continue;
            }
            DoubleVector log = DoubleLog.logNonNegative(xv);
            sum = EXACT_DOUBLE.cast(sum).add(a.mul(log.max(LOG_FLOOR)));
            if (g != null) {
                // +0 where the clamp is active (log < -100): the sign bit of log + 100 (never -0) made a lane mask
                // of all ones or zeros, since there is no compare; those lanes' quotient may be inf or NaN (p = 0)
                LongVector keep = log.add(-LOG_FLOOR).reinterpretAsLongs().lanewise(VectorOperators.LSHR, 63).sub(1L);
                a.mul(negScale).div(xv).reinterpretAsLongs().and(keep).reinterpretAsDoubles().intoArray(g, go + i);
            }
        }
        EXACT_DOUBLE.cast(sum).intoArray(scratch.lanes64, 0);
        return LaneSums.sum(scratch.lanes64, 0)
                + rowTwoLanesTail(x, xo, y, yo, i, classes, w, logInput, g, go, gradScale);
    }

    /**
     * Elements [from, classes) of a float64 row in scalar code, with the log's scalar twin (the lanes' bits) and
     * the rules of the wider form: NaN for p > 1, the clamp's gradient 0, a = 0 against x = -inf gives 0.
     */
    private static double rowTwoLanesTail(double[] x, int xo, double[] y, int yo, int from, int classes, double[] w,
                                          boolean logInput, double[] g, int go, double gradScale) {
        final double negScale = -gradScale;
        double total = 0.0;
        for (int i = from; i < classes; i++) {
            double xc = x[xo + i];
            double a = w == null ? y[yo + i] : y[yo + i] * w[i];
            if (logInput) {
                total += a == 0 && xc == Double.NEGATIVE_INFINITY ? 0 : a * xc;
                if (g != null) {
                    g[go + i] = a * negScale;
                }
                continue;
            }
            double lp = xc > 1.0 ? Double.NaN : DoubleLog.log(xc);
            boolean clamped = lp < LOG_FLOOR;
            total += a * (clamped ? LOG_FLOOR : lp);
            if (g != null) {
                g[go + i] = clamped ? 0 : a * negScale / xc;
            }
        }
        return total;
    }
}
