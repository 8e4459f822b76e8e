package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * Vector API soft-label cross-entropy. Per row: a max pass, then one pass that computes exp(x - m) once per
 * element and accumulates, in vector lanes, the exp-sum s, the coefficient sum A and the shifted dot product
 * D = sum a (x - m); the row loss is {@code A log s - D}. Subtracting the max inside the dot (rather than
 * computing {@code A (m + log s) - sum a x}) keeps rows with huge logits (1e30) exact instead of cancelling.
 * Forward + backward stores the exps in the gradient buffer and rescales them in a third pass.
 *
 * <p>Rows up to 2048 classes take two passes (max, then exp); longer rows are cut into chunks whose max pass
 * is fused into the previous chunk's exp pass and merged like an online softmax (see {@link #CHUNK}), which
 * reads a long row from memory once with one exp per element, without the per-element rescaling of a
 * lane-wise online softmax. The exp is written out inline (see {@link FloatExp}), the loops end with a scalar
 * tail in double, and lane sums stay in float lanes (blocks of {@code BLOCK} vectors, then the blocks' sums)
 * until one cross-lane reduction per call: masked tails, vector-valued helpers and wide conversions made C2 box
 * vectors here (hundreds of bytes to kilobytes per row).
 */
final class VectorSoftCrossEntropy implements SoftCrossEntropyKernel {

    static final VectorSoftCrossEntropy INSTANCE = new VectorSoftCrossEntropy();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in one float accumulator before it is added to the call's block-sum accumulator. */
    private static final int BLOCK = 16;

    private VectorSoftCrossEntropy() {}

    // ---------------------------------------------------------------- float32

    /**
     * Rows longer than {@code 2 * CHUNK} are processed in chunks of CHUNK classes (the last one takes the
     * remainder), with the max of chunk k + 1 computed inside the exp pass of chunk k. A long row is then read
     * from memory once, while the exp arithmetic runs, instead of once for a bandwidth-bound max pass and once
     * more for the exp pass; chunk results are merged like an online softmax, in double. Measured at 256x32000
     * (forward, one thread, quiet machine): 4.3-4.5 ms a call with chunks of 1024 or 2048, 6.0 with 4096 and
     * 5.9-6.6 without chunks.
     */
    static final int CHUNK = 1024;

    /**
     * A call's scratch: the exp pass's sums, the lanes of its accumulators for {@link LaneSums}, each chunk's
     * reference max for the gradient pass, and a copy of the current row for in-place calls.
     */
    private static final class Scratch {
        final double[] sums = new double[4];
        final float[] lanes = LaneSums.floatScratch(1);
        final double[] lanes64 = LaneSums.doubleScratch(3);
        float[] chunkMax = new float[64];
        float[] row = new float[0];
        double[] row64 = new double[0];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, float smoothing, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset,
                    grad, gradOffset, gradScale, scratch);
        } finally {
            SCRATCH.give(scratch);
        }
    }

    private static double run(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, float smoothing, float[] rowLoss, int rowLossOffset,
                              float[] g, int gradOffset, float gradScale, Scratch scratch) {
        final float k1 = smoothing > 0f ? 1f - smoothing : 1f;
        final float k2 = smoothing > 0f ? (float) (smoothing / (double) classes) : 0f;
        final double[] sums = scratch.sums;
        final float[] lanes = scratch.lanes;
        final int chunks = classes > 2 * CHUNK ? classes / CHUNK : 1;
        if (g != null && scratch.chunkMax.length < chunks) {
            scratch.chunkMax = new float[chunks]; // grows once per scratch for the widest rows seen
        }
        final float[] chunkMax = scratch.chunkMax;
        // In place, the exp pass overwrites the logits with exps while maskedDot (rows with masked classes)
        // and the fused next-chunk max still need them: such calls read the row from a per-thread copy. This
        // keeps the exp pass free of an in-place branch: with one, it boxed vectors (~12 KB a row) once called
        // with mixed options (measured by NoAllocationTest).
        final boolean inPlace = g == x && gradOffset == xOffset;
        if (inPlace && scratch.row.length < classes) {
            scratch.row = new float[classes]; // grows once per scratch for the widest rows seen
        }
        final float[] src = inPlace ? scratch.row : x;
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            final int yo = yOffset + r * classes;
            final int go = gradOffset + r * classes;
            final int xo;
            if (inPlace) {
                System.arraycopy(x, xOffset + r * classes, src, 0, classes);
                xo = 0;
            } else {
                xo = xOffset + r * classes;
            }
            double loss;
            if (chunks == 1) {
                float m = rowMax(src, xo, classes);
                expPass(src, xo, y, yo, classes, w, 0, k1, k2, m, g, go, -1, 0, sums, lanes);
                loss = finish(classes, sums[0], sums[1], sums[2]);
                if (g != null) {
                    // gradient = (e / s * A - a) * scale, computed as e * (A * scale / s) - a * scale
                    gradPass(y, yo, classes, w, 0, k1 * gradScale, k2 * gradScale,
                            (float) (sums[1] * gradScale / sums[0]), g, go);
                }
            } else {
                double bigM = Double.NEGATIVE_INFINITY;
                double bigS = 0;
                double bigA = 0;
                double bigD = 0;
                float next = rowMax(src, xo, CHUNK);
                for (int k = 0; k < chunks; k++) {
                    final int c0 = k * CHUNK;
                    final int len = k + 1 < chunks ? CHUNK : classes - c0;
                    final int nextLen = k + 2 < chunks ? CHUNK : classes - c0 - CHUNK;
                    final float mc = next;
                    // a fully masked chunk (all -inf) is evaluated against 0 so that its exps are 0, not NaN
                    final float mRef = mc == Float.NEGATIVE_INFINITY ? 0f : mc;
                    expPass(src, xo + c0, y, yo + c0, len, w, c0, k1, k2, mRef, g, go + c0,
                            k + 1 < chunks ? xo + c0 + CHUNK : -1, nextLen, sums, lanes);
                    next = (float) sums[3];
                    if (g != null) {
                        chunkMax[k] = mRef;
                    }
                    // merge (mc, s, A, D) into the row's running (M, S, A, D), D taken relative to the max
                    double sC = sums[0];
                    double aC = sums[1];
                    double dC = sums[2]; // relative to mRef; for a masked chunk 0 or -inf whatever the reference
                    double newM = Math.max(bigM, mc);
                    if (k == 0) {
                        bigM = mc;
                        bigS = sC;
                        bigA = aC;
                        bigD = dC;
                        continue;
                    }
                    double shiftOld = bigM == newM ? 0 : bigM - newM;
                    double shiftNew = mc == newM ? 0 : mc - newM;
                    bigS = bigS * Math.exp(shiftOld) + sC * Math.exp(shiftNew);
                    bigD = bigD + (bigA != 0 ? bigA * shiftOld : 0) + dC + (aC != 0 ? aC * shiftNew : 0);
                    bigA += aC;
                    bigM = newM;
                }
                loss = bigS == 0 ? Double.NaN : finish(classes, bigS, bigA, bigD); // all logits -inf: NaN
                if (g != null) {
                    for (int k = 0; k < chunks; k++) {
                        final int c0 = k * CHUNK;
                        final int len = k + 1 < chunks ? CHUNK : classes - c0;
                        double pScale = bigA * gradScale * Math.exp(chunkMax[k] - bigM) / bigS;
                        gradPass(y, yo + c0, len, w, c0, k1 * gradScale, k2 * gradScale, (float) pScale, g, go + c0);
                    }
                }
            }
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
            mv = EXACT_FLOAT.cast(mv).blend(v, v.compare(VectorOperators.GT, mv));
            mv2 = EXACT_FLOAT.cast(mv2).blend(v2, v2.compare(VectorOperators.GT, mv2));
        }
        for (int upper = F.loopBound(classes); i < upper; i += step) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            mv = EXACT_FLOAT.cast(mv).blend(v, v.compare(VectorOperators.GT, mv));
        }
        mv = EXACT_FLOAT.cast(mv).blend(mv2, EXACT_FLOAT.cast(mv2).compare(VectorOperators.GT, mv));
        float m = EXACT_FLOAT.cast(mv).reduceLanes(VectorOperators.MAX);
        for (; i < classes; i++) {
            float v = x[xo + i];
            m = v > m ? v : m;
        }
        return m;
    }

    /**
     * The exp pass over {@code classes} entries: writes s = sum e^(x - m), A = sum a and D = sum a (x - m) to
     * {@code sums[0..2]}; when {@code g} is not null the exps are stored there for the gradient pass. When
     * {@code nx >= 0} it also computes the max of the {@code nLen >= classes} logits from {@code x[nx]} (the
     * next chunk) into {@code sums[3]}, so that their first read overlaps this chunk's arithmetic.
     * Weights are read from {@code w[wo]}.
     */
    private static void expPass(float[] x, int xo, float[] y, int yo, int classes, float[] w, int wo,
                                float k1, float k2, float m, float[] g, int go, int nx, int nLen, double[] sums,
                                float[] lanes) {
        FloatVector nextMax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        final int upper = F.loopBound(classes);
        final boolean smoothed = k1 != 1f || k2 != 0f;
        final boolean fused = nx >= 0;
        // Two levels of float lanes: a block of BLOCK vectors, then the blocks' sums, reduced across lanes once
        // at the end. A call covers at most 2 * CHUNK classes (longer rows are chunked and merged in double),
        // so a lane adds at most BLOCK + 2 * CHUNK / (BLOCK * lanes) terms: a 128k-class row stays as accurate as
        // a 1k-class one. Reducing across lanes once per call instead of once per block: 2.42 -> 2.71 G
        // elements/s at 1024x1000 in a minimal loop (the cross-lane reductions were ~10 % of the ops).
        FloatVector allS = FloatVector.zero(F);
        FloatVector allA = FloatVector.zero(F);
        FloatVector allDot = FloatVector.zero(F);
        while (i < upper) {
            FloatVector s = FloatVector.zero(F);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector dot = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                FloatVector a = FloatVector.fromArray(F, y, yo + i);
                if (smoothed) { // loop-invariant branches: C2 unswitches them
                    a = a.fma(k1, k2);
                }
                if (w != null) {
                    a = a.mul(FloatVector.fromArray(F, w, wo + i));
                }
                if (fused) {
                    FloatVector v = FloatVector.fromArray(F, x, nx + i);
                    nextMax = EXACT_FLOAT.cast(nextMax).blend(v, v.compare(VectorOperators.GT, nextMax));
                }
                // FloatExp.expNonPositive(z) written out (a call to it was seen to stay out of line, boxing ~12 KB a
                // row, when C2 had compiled FloatExp on its own first), with one change: the clamp is an unsigned
                // minimum on the bit patterns, one op instead of compare + blend. It also clamps a NaN whose sign
                // bit is set (the x86 default NaN) to exp 0; such a z makes the dot below NaN, and maskedDot then
                // marks the row NaN.
                FloatVector zc = z.reinterpretAsInts().lanewise(VectorOperators.UMIN, FloatExp.FLOOR_BITS)
                        .reinterpretAsFloats();
                FloatVector t = zc.fma(FloatExp.LOG2E_T, FloatExp.MAGIC);
                FloatVector kf = t.sub(FloatExp.MAGIC);
                FloatVector r = kf.fma(FloatVector.broadcast(F, -FloatExp.LN2_T_HI), zc);
                r = kf.fma(FloatVector.broadcast(F, -FloatExp.LN2_T_LO), r);
                FloatVector q = FloatExp.QUARTIC // a constant: C2 keeps one of the two
                        ? r.fma(FloatExp.Q4, FloatExp.Q3).fma(r, FloatVector.broadcast(F, FloatExp.Q2))
                        : r.fma(FloatExp.Q3, FloatExp.Q2);
                q = q.fma(r, FloatVector.broadcast(F, 1f));
                IntVector k = t.reinterpretAsInts();
                FloatVector u = q.fma(r, k.selectFrom(FloatExp.CORR).reinterpretAsFloats());
                FloatVector scale = k.lanewise(VectorOperators.LSHL, FloatExp.SCALE_SHIFT).and(FloatExp.EXPONENT_MASK)
                        .add(k.selectFrom(FloatExp.POW)).reinterpretAsFloats();
                FloatVector e = u.fma(scale, scale);
                if (g != null) {
                    e.intoArray(g, go + i);
                }
                s = EXACT_FLOAT.cast(s).add(e);
                a0 = EXACT_FLOAT.cast(a0).add(a);
                dot = a.fma(z, dot);
            }
            allS = EXACT_FLOAT.cast(allS).add(s);
            allA = EXACT_FLOAT.cast(allA).add(a0);
            allDot = EXACT_FLOAT.cast(allDot).add(dot);
        }
        // fixed-order lane sums (see LaneSums): widened to double, then a butterfly in registers; no store and
        // reload, which measured 8-12 % slower at 1024x1000 (store forwarding from a wide store to scalar loads)
        DoubleVector s2 = ((DoubleVector) EXACT_FLOAT.cast(allS).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(allS).convertShape(VectorOperators.F2D, D, 1));
        DoubleVector a2 = ((DoubleVector) EXACT_FLOAT.cast(allA).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(allA).convertShape(VectorOperators.F2D, D, 1));
        DoubleVector d2 = ((DoubleVector) EXACT_FLOAT.cast(allDot).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(allDot).convertShape(VectorOperators.F2D, D, 1));
        if (D.length() > 16) { // the lane count is a constant: C2 keeps only the steps of this width
            s2 = s2.add(s2.rearrange(LaneSums.X16));
            a2 = a2.add(a2.rearrange(LaneSums.X16));
            d2 = d2.add(d2.rearrange(LaneSums.X16));
        }
        if (D.length() > 8) {
            s2 = s2.add(s2.rearrange(LaneSums.X8));
            a2 = a2.add(a2.rearrange(LaneSums.X8));
            d2 = d2.add(d2.rearrange(LaneSums.X8));
        }
        if (D.length() > 4) {
            s2 = s2.add(s2.rearrange(LaneSums.X4));
            a2 = a2.add(a2.rearrange(LaneSums.X4));
            d2 = d2.add(d2.rearrange(LaneSums.X4));
        }
        if (D.length() > 2) {
            s2 = s2.add(s2.rearrange(LaneSums.X2));
            a2 = a2.add(a2.rearrange(LaneSums.X2));
            d2 = d2.add(d2.rearrange(LaneSums.X2));
        }
        double sumS = s2.lane(0) + s2.lane(1);
        double sumA = a2.lane(0) + a2.lane(1);
        double sumDot = d2.lane(0) + d2.lane(1);
        if (i < classes) {
            sums[0] = sumS;
            sums[1] = sumA;
            sums[2] = sumDot;
            tail(x, xo, y, yo, i, classes, w, wo, k1, k2, m, g, go, sums);
            sumS = sums[0];
            sumA = sums[1];
            sumDot = sums[2];
        }
        if (Double.isNaN(sumDot)) {
            if (anyNaN(x, xo, classes, m)) {
                // a NaN z may have been clamped to exp 0 in the lanes: the row's loss and gradient are NaN
                sumS = Double.NaN;
            } else {
                sumDot = maskedDot(x, xo, y, yo, classes, w, wo, k1, k2, m, lanes);
            }
        }
        sums[0] = sumS;
        sums[1] = sumA;
        sums[2] = sumDot;
        if (fused) {
            float nm = EXACT_FLOAT.cast(nextMax).reduceLanes(VectorOperators.MAX);
            if (upper < nLen) {
                float rest = rowMax(x, nx + upper, nLen - upper);
                nm = rest > nm ? rest : nm;
            }
            sums[3] = nm;
        }
    }

    /** g = g * pScale - a * scale over one row, where g holds the row's exps. */
    private static void gradPass(float[] y, int yo, int classes, float[] w, int wo, float k1s, float k2s,
                                 float pScale, float[] g, int go) {
        FloatVector p = FloatVector.broadcast(F, pScale);
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1s, k2s);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, wo + i));
            }
            FloatVector.fromArray(F, g, go + i).fma(p, a.neg()).intoArray(g, go + i);
        }
        for (; i < classes; i++) {
            float a = Math.fma(y[yo + i], k1s, k2s);
            if (w != null) {
                a *= w[wo + i];
            }
            g[go + i] = Math.fma(g[go + i], pScale, -a);
        }
    }

    /** Whether any x - m is NaN over {@code classes} logits: a NaN logit, or an infinite max. */
    /**
     * The scalar tail of an exp pass (fewer than one vector): the lanes' exp on one float, added in double into
     * {@code sums[0..2]}. A method of its own so that {@link FloatExp#expNonPositive} is inlined here: inside
     * {@code expPass}, grown by the fixed-order lane sums, C2 left it out of line, a call per tail element (12 %
     * of the forward at 1024x1000 with 16 lanes, whose rows end in 8 tail elements).
     */
    private static void tail(float[] x, int xo, float[] y, int yo, int from, int classes, float[] w, int wo, float k1,
                             float k2, float m, float[] g, int go, double[] sums) {
        double sumS = sums[0];
        double sumA = sums[1];
        double sumDot = sums[2];
        for (int i = from; i < classes; i++) {
            float z = x[xo + i] - m;
            float a = Math.fma(y[yo + i], k1, k2);
            if (w != null) {
                a *= w[wo + i];
            }
            float e = FloatExp.expNonPositive(z);
            if (g != null) {
                g[go + i] = e;
            }
            sumS += e;
            sumA += a;
            sumDot += (double) a * z;
        }
        sums[0] = sumS;
        sums[1] = sumA;
        sums[2] = sumDot;
    }

    private static boolean anyNaN(float[] x, int xo, int classes, float m) {
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            if (FloatVector.fromArray(F, x, xo + i).sub(m).test(VectorOperators.IS_NAN).anyTrue()) {
                return true;
            }
        }
        for (; i < classes; i++) {
            float z = x[xo + i] - m;
            if (z != z) {
                return true;
            }
        }
        return false;
    }

    /**
     * The dot product sum a (x - m) where a zero coefficient contributes 0 even if x is -inf (masked class). The
     * exp pass uses a plain fma, which gives NaN for 0 * -inf (and for any NaN z, handled by {@link #anyNaN});
     * only rows where that happened come here, so the common case pays nothing for the masked-class rule.
     */
    private static double maskedDot(float[] x, int xo, float[] y, int yo, int classes, float[] w,
                                    int wo, float k1, float k2, float m, float[] lanes) {
        double total = 0;
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
            FloatVector a = FloatVector.fromArray(F, y, yo + i).fma(k1, k2);
            if (w != null) {
                a = a.mul(FloatVector.fromArray(F, w, wo + i));
            }
            a.mul(z).blend(0f, a.compare(VectorOperators.EQ, 0f)).intoArray(lanes, 0);
            total += LaneSums.sum(lanes, 0);
        }
        for (; i < classes; i++) {
            float a = Math.fma(y[yo + i], k1, k2);
            if (w != null) {
                a *= w[wo + i];
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
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, double smoothing, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset,
                    grad, gradOffset, gradScale, scratch);
        } finally {
            SCRATCH.give(scratch);
        }
    }

    /**
     * The float64 path favours accuracy over speed: two passes per row (max, then exp-sum and dot products), the
     * inline {@link DoubleExp} (0.88 ulp; the same bits in every JIT tier and at every width, where
     * {@code lanewise(EXP)} allocated with 2 lanes and spilled around a stub call at 4 and 8), one method per pass
     * so that C2 inlines the exp into each loop, and scalar tails that use the exp's scalar twin.
     */
    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, double smoothing, double[] rowLoss, int rowLossOffset,
                              double[] g, int gradOffset, double gradScale, Scratch scratch) {
        final double k1 = smoothing > 0 ? 1 - smoothing : 1;
        final double k2 = smoothing > 0 ? smoothing / classes : 0;
        final double[] sums = scratch.sums;
        final double[] lanes = scratch.lanes64;
        // In place the exps overwrite the logits, so the masked-class recomputation below could not re-read
        // them: the exp pass applies the rule in its loop instead, with a compare + blend. Without double masks
        // (2 lanes) the row is copied first, as the float32 path does, and the recomputation reads the copy.
        final boolean sameRows = g == x && gradOffset == xOffset;
        final boolean inPlace = sameRows && Species.DOUBLE_MASKS;
        final boolean copyRows = sameRows && !Species.DOUBLE_MASKS;
        if (copyRows && scratch.row64.length < classes) {
            scratch.row64 = new double[classes]; // grows once per scratch for the widest rows seen
        }
        final double[] src = copyRows ? scratch.row64 : x;
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            final int xo;
            if (copyRows) {
                System.arraycopy(x, xOffset + r * classes, src, 0, classes);
                xo = 0;
            } else {
                xo = xOffset + r * classes;
            }
            final int yo = yOffset + r * classes;
            final int go = gradOffset + r * classes;
            final double m = rowMax(src, xo, classes);
            expPass(src, xo, y, yo, classes, w, k1, k2, m, g, go, inPlace, sums, lanes);
            final double sum = sums[0], totalA = sums[1];
            double totalDot = sums[2];
            if (Double.isNaN(totalDot) && !inPlace) {
                totalDot = maskedDot(src, xo, y, yo, classes, w, k1, k2, m);
            }
            double loss = classes == 0 ? -0.0 : totalA * Math.log(sum) - totalDot;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (g != null) {
                gradPass(y, yo, classes, w, k1, k2, totalA * gradScale / sum, gradScale, g, go);
            }
        }
        return total;
    }

    /**
     * Row max with compare + blend (without double masks, 2 lanes: {@link DoubleRowMax}); NaN is caught by the
     * exp pass (it makes the dot product NaN).
     */
    private static double rowMax(double[] x, int xo, int classes) {
        if (!Species.DOUBLE_MASKS) {
            return DoubleRowMax.withoutMasks(x, xo, classes);
        }
        DoubleVector mv = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i);
            mv = EXACT_DOUBLE.cast(mv).blend(v, v.compare(VectorOperators.GT, mv));
        }
        double m = EXACT_DOUBLE.cast(mv).reduceLanes(VectorOperators.MAX);
        for (; i < classes; i++) {
            m = x[xo + i] > m ? x[xo + i] : m;
        }
        return m;
    }

    /**
     * s = sum e^(x - m), A = sum a and D = sum a (x - m) into {@code sums[0..2]}, storing the exps in g when it is
     * not null; in place, a zero coefficient contributes 0 to D even where x is -inf.
     */
    private static void expPass(double[] x, int xo, double[] y, int yo, int classes, double[] w, double k1,
                                double k2, double m, double[] g, int go, boolean inPlace, double[] sums,
                                double[] lanes) {
        DoubleVector s = DoubleVector.zero(D);
        DoubleVector sumA = DoubleVector.zero(D);
        DoubleVector dot = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, x, xo + i).sub(m);
            DoubleVector a = DoubleVector.fromArray(D, y, yo + i).fma(k1, k2);
            if (w != null) {
                a = a.mul(DoubleVector.fromArray(D, w, i));
            }
            DoubleVector e = DoubleExp.expNonPositive(z);
            if (g != null) {
                e.intoArray(g, go + i);
            }
            s = EXACT_DOUBLE.cast(s).add(e);
            sumA = EXACT_DOUBLE.cast(sumA).add(a);
            if (inPlace) { // loop-invariant: C2 unswitches it
                dot = a.mul(z).blend(0, a.compare(VectorOperators.EQ, 0)).add(dot);
            } else {
                dot = a.fma(z, dot);
            }
        }
        EXACT_DOUBLE.cast(s).intoArray(lanes, 0);
        EXACT_DOUBLE.cast(sumA).intoArray(lanes, D.length());
        EXACT_DOUBLE.cast(dot).intoArray(lanes, 2 * D.length());
        double sum = LaneSums.sum(lanes, 0);
        double totalA = LaneSums.sum(lanes, D.length());
        double totalDot = LaneSums.sum(lanes, 2 * D.length());
        for (; i < classes; i++) {
            double z = x[xo + i] - m;
            double a = Math.fma(y[yo + i], k1, k2);
            if (w != null) {
                a *= w[i];
            }
            double e = DoubleExp.expNonPositive(z); // the lanes' bits
            if (g != null) {
                g[go + i] = e;
            }
            sum += e;
            totalA += a;
            if (a != 0) {
                totalDot = Math.fma(a, z, totalDot);
            }
        }
        sums[0] = sum;
        sums[1] = totalA;
        sums[2] = totalDot;
    }

    /** sum a (x - m) where a zero coefficient contributes 0 even if x is -inf (0 * -inf made the fma's dot NaN). */
    private static double maskedDot(double[] x, int xo, double[] y, int yo, int classes, double[] w, double k1,
                                    double k2, double m) {
        double totalDot = 0;
        for (int c = 0; c < classes; c++) {
            double a = Math.fma(y[yo + c], k1, k2);
            if (w != null) {
                a *= w[c];
            }
            if (a != 0) {
                totalDot += a * (x[xo + c] - m);
            }
        }
        return totalDot;
    }

    /** g = g pScale - a gradScale over one row whose exps are in g. */
    private static void gradPass(double[] y, int yo, int classes, double[] w, double k1, double k2, double pScale,
                                 double gradScale, double[] g, int go) {
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
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
