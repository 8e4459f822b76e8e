package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.HardCrossEntropyKernel;

/**
 * Vector API cross-entropy with class-index targets. Per row: the max pass shared with the soft kernel, then one
 * pass computing exp(x - m) once per element into the exp-sum s and, only with label smoothing, the weighted sum
 * of shifted logits sum_c w_c (x_c - m). The one-hot part is a single gather of the target's logit (read before
 * the pass, so that in-place gradients work). Row loss, in double:
 * {@code Q log s - k1 w_t (x_t - m) - k2 sum_c w_c (x_c - m)} with {@code Q = k1 w_t + k2 sum_c w_c}.
 * Forward + backward stores the exps in the gradient buffer during the same pass and rescales them in a
 * second one ({@code g = e (Q scale / s) - k2 w scale}), then corrects the target's element.
 *
 * <p>Each row loop is one method with one exp call site, so C2 inlines everything and nothing is boxed.
 */
final class VectorHardCrossEntropy implements HardCrossEntropyKernel {

    static final VectorHardCrossEntropy INSTANCE = new VectorHardCrossEntropy();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    private VectorHardCrossEntropy() {}

    /**
     * A call's scratch: the lanes of its accumulators, summed by {@link LaneSums}, a row's sums, and a copy of the
     * current row for in-place float64 calls without double masks.
     */
    private static final class Scratch {
        final float[] lanes = LaneSums.floatScratch(1);
        final double[] lanes64 = LaneSums.doubleScratch(3);
        final double[] sums = new double[2];
        double[] row64 = new double[0];
    }

    private static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    // ---------------------------------------------------------------- float32

    @Override
    public double forwardBackward(float[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                                  float[] weights, float smoothing, int ignoreIndex, float[] rowLoss,
                                  int rowLossOffset, float[] grad, int gradOffset, float gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            final float k1 = 1f - smoothing;
            final float k2 = smoothing > 0f ? (float) (smoothing / (double) classes) : 0f;
            final double sumW = k2 == 0f ? 0.0 : weightSum(weights, classes);
            double total = 0.0;
            for (int r = 0; r < rows; r++) {
                final int xo = xOffset + r * classes;
                final int t = targets[targetsOffset + r];
                double loss;
                if (t == ignoreIndex) {
                    loss = 0.0;
                    if (grad != null) {
                        Arrays.fill(grad, gradOffset + r * classes, gradOffset + (r + 1) * classes, 0f);
                    }
                } else {
                    float m = VectorSoftCrossEntropy.rowMax(x, xo, classes);
                    if (grad == null) {
                        loss = rowLoss(x, xo, t, classes, weights, k1, k2, sumW, m, scratch);
                    } else {
                        loss = rowLossAndGrad(x, xo, t, classes, weights, k1, k2, sumW, m,
                                grad, gradOffset + r * classes, gradScale, scratch);
                    }
                }
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

    private static double weightSum(float[] w, int classes) {
        if (w == null) {
            return classes;
        }
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += w[c];
        }
        return s;
    }

    /** Vectors summed in float lanes before the partial sums move to double (see VectorSoftCrossEntropy). */
    private static final int BLOCK = 16;


    private static double rowLoss(float[] x, int xo, int t, int classes, float[] w, float k1, float k2,
                                  double sumW, float m, Scratch scratch) {
        final double[] sums = scratch.sums;
        expPass(x, xo, classes, w, k2 != 0f, m, null, 0, sums, scratch);
        return finish(sums[0], sums[1], x[xo + t] - m, k1 * (w == null ? 1f : w[t]), k2, sumW);
    }

    /**
     * s = sum e^(x - m) over a row into {@code sums[0]}, and, when smoothing, dotW = sum w (x - m) into
     * {@code sums[1]} (a zero weight contributes 0 even where x is -inf); stores the exps in {@code g} when it is
     * not null. The smoothing dot is a separate pass (over data already in L1) so that each loop stays small
     * enough for C2 to compile without boxing whatever mix of options a program uses.
     */
    private static void expPass(float[] x, int xo, int classes, float[] w, boolean smoothing, float m,
                                float[] g, int go, double[] sums, Scratch scratch) {
        // the dot first: in place, the exp pass overwrites the logits with the exps
        sums[1] = smoothing ? weightedDot(x, xo, classes, w, m, scratch) : 0;
        sums[0] = expSum(x, xo, classes, m, g, go, scratch);
    }

    /**
     * sum e^(x - m), storing the exps in g when it is not null. Float lanes add blocks of BLOCK vectors, blocks
     * add into a second float accumulator, and the lanes are then added in double: a float tree reduction of the
     * lanes alone cost up to ~4e-7 relative in s (golden case 061). The tail (under one vector) uses the lanes' exp on single floats.
     */
    private static double expSum(float[] x, int xo, int classes, float m, float[] g, int go, Scratch scratch) {
        FloatVector all = FloatVector.zero(F);
        int i = 0;
        final int upper = F.loopBound(classes);
        while (i < upper) {
            FloatVector s = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                // FloatExp.expNonPositive written out, as in VectorSoftCrossEntropy: called, it can stay out of
                // line (C2 may compile it on its own first, then refuse to inline it) and box every vector
                FloatVector zc = z.blend(FloatExp.FLOOR, z.compare(VectorOperators.LT, FloatExp.FLOOR)); // NaN stays
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
            }
            all = EXACT_FLOAT.cast(all).add(s);
        }
        DoubleVector all2 = ((DoubleVector) EXACT_FLOAT.cast(all).convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) EXACT_FLOAT.cast(all).convertShape(VectorOperators.F2D, D, 1));
        all2.intoArray(scratch.lanes64, 0);
        double sum = LaneSums.sum(scratch.lanes64, 0);
        for (; i < classes; i++) {
            float e = FloatExp.expNonPositive(x[xo + i] - m);
            if (g != null) {
                g[go + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** sum w (x - m) (w = 1 when null); a zero weight contributes 0 even where x is -inf. */
    private static double weightedDot(float[] x, int xo, int classes, float[] w, float m, Scratch scratch) {
        double total = 0;
        int i = 0;
        final int upper = F.loopBound(classes);
        while (i < upper) {
            FloatVector d = FloatVector.zero(F);
            for (int end = Math.min(upper, i + BLOCK * F.length()); i < end; i += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xo + i).sub(m);
                if (w == null) {
                    d = EXACT_FLOAT.cast(d).add(z);
                } else {
                    FloatVector wv = FloatVector.fromArray(F, w, i);
                    d = wv.mul(z).blend(0f, wv.compare(VectorOperators.EQ, 0f)).add(d);
                }
            }
            EXACT_FLOAT.cast(d).intoArray(scratch.lanes, 0);
            total += LaneSums.sum(scratch.lanes, 0);
        }
        for (; i < classes; i++) {
            float wc = w == null ? 1f : w[i];
            if (wc != 0f) {
                total += (double) wc * (x[xo + i] - m);
            }
        }
        return total;
    }

    private static double rowLossAndGrad(float[] x, int xo, int t, int classes, float[] w, float k1, float k2,
                                         double sumW, float m, float[] g, int go, float gradScale, Scratch scratch) {
        final float zt = x[xo + t] - m;
        final double[] sums = scratch.sums;
        expPass(x, xo, classes, w, k2 != 0f, m, g, go, sums, scratch);
        final double sum = sums[0];
        final float at = k1 * (w == null ? 1f : w[t]);
        final double loss = finish(sum, sums[1], zt, at, k2, sumW);
        // g = e * (Q scale / s) - k2 w scale, then the target's element is recomputed from its stored exp
        final double sumQ = at + k2 * sumW;
        final double pScaleD = sumQ * gradScale / sum;
        final float et = g[go + t];
        final float pScale = (float) pScaleD;
        final float k2s = (float) ((double) k2 * gradScale); // one rounding
        gradPass(classes, w, pScale, k2s, g, go);
        // the target's element, p_t Q - k1 w_t - k2 w_t, in one rounding rather than three
        g[go + t] = (float) (et * pScaleD - ((double) at + (double) k2 * (w == null ? 1f : w[t])) * gradScale);
        return loss;
    }

    /** g = g pScale - k2s w over one row whose exps are in g. */
    private static void gradPass(int classes, float[] w, float pScale, float k2s, float[] g, int go) {
        final FloatVector p = FloatVector.broadcast(F, pScale);
        int i = 0;
        for (int upper = F.loopBound(classes); i < upper; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, g, go + i);
            FloatVector q = w == null ? FloatVector.broadcast(F, k2s) : FloatVector.fromArray(F, w, i).mul(k2s);
            e.fma(p, q.neg()).intoArray(g, go + i);
        }
        for (; i < classes; i++) {
            float q = w == null ? k2s : w[i] * k2s;
            g[go + i] = Math.fma(g[go + i], pScale, -q);
        }
    }

    private static double finish(double s, double dotW, double zt, double at, double k2, double sumW) {
        double sumQ = at + k2 * sumW;
        double dot = (at != 0 ? at * zt : 0.0) + (k2 != 0 ? k2 * dotW : 0.0);
        return sumQ * Math.log(s) - dot;
    }

    // ---------------------------------------------------------------- float64

    /**
     * The float64 path favours accuracy and brevity over speed: masked loops, the inline {@link DoubleExp} (the
     * same bits in every JIT tier and at every width, where {@code lanewise(EXP)} allocated with 2 lanes), and
     * one method per pass so that C2 inlines the exp into its loop.
     */
    @Override
    public double forwardBackward(double[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                                  double[] w, double smoothing, int ignoreIndex, double[] rowLoss,
                                  int rowLossOffset, double[] g, int gradOffset, double gradScale) {
        Scratch scratch = SCRATCH.take();
        try {
            final double k1 = 1.0 - smoothing;
            final double k2 = smoothing > 0 ? smoothing / classes : 0.0;
            double sumW = 0;
            if (k2 != 0) {
                if (w == null) {
                    sumW = classes;
                } else {
                    for (int c = 0; c < classes; c++) {
                        sumW += w[c];
                    }
                }
            }
            final double[] sums = scratch.sums;
            // Without double masks (2 lanes) the exp pass sums w (x - m) with a plain multiply, and a row whose sum
            // came out NaN (a zero weight against a -inf logit, or a NaN) is summed again by the scalar rule,
            // which needs the logits: in place with smoothing (the only case with that sum), the row is copied
            // before its exps overwrite it.
            final boolean copyRows = !Species.DOUBLE_MASKS && k2 != 0 && g == x && gradOffset == xOffset;
            if (copyRows && scratch.row64.length < classes) {
                scratch.row64 = new double[classes]; // grows once per scratch for the widest rows seen
            }
            final double[] src = copyRows ? scratch.row64 : x;
            double total = 0.0;
            for (int r = 0; r < rows; r++) {
                final int go = gradOffset + r * classes;
                final int t = targets[targetsOffset + r];
                if (t == ignoreIndex) {
                    if (rowLoss != null) {
                        rowLoss[rowLossOffset + r] = 0.0;
                    }
                    if (g != null) {
                        Arrays.fill(g, go, go + classes, 0.0);
                    }
                    continue;
                }
                final int xo;
                if (copyRows) {
                    System.arraycopy(x, xOffset + r * classes, src, 0, classes);
                    xo = 0;
                } else {
                    xo = xOffset + r * classes;
                }
                final double m = rowMax(src, xo, classes);
                final double zt = src[xo + t] - m;
                expPass(src, xo, classes, w, k2 != 0, m, g, go, sums, scratch);
                if (!Species.DOUBLE_MASKS && k2 != 0 && Double.isNaN(sums[1])) {
                    sums[1] = weightedDot(src, xo, classes, w, m);
                }
                final double sum = sums[0];
                final double at = k1 * (w == null ? 1.0 : w[t]);
                final double sumQ = at + k2 * sumW;
                final double dot = (at != 0 ? at * zt : 0.0) + (k2 != 0 ? k2 * sums[1] : 0.0);
                final double loss = sumQ * Math.log(sum) - dot;
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = loss;
                }
                total += loss;
                if (g != null) {
                    gradPass(classes, w, sumQ * gradScale / sum, k2 * gradScale, g, go);
                    g[go + t] -= at * gradScale;
                }
            }
            return total;
        } finally {
            SCRATCH.give(scratch);
        }
    }

    private static double rowMax(double[] x, int xo, int classes) {
        if (!Species.DOUBLE_MASKS) {
            return DoubleRowMax.withoutMasks(x, xo, classes);
        }
        DoubleVector mv = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < classes; i += D.length()) {
            VectorMask<Double> in = D.indexInRange(i, classes);
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i, in);
            mv = EXACT_DOUBLE.cast(mv).blend(v, v.compare(VectorOperators.GT, mv, in));
        }
        return EXACT_DOUBLE.cast(mv).reduceLanes(VectorOperators.MAX);
    }

    /**
     * s = sum e^(x - m) into {@code sums[0]} and, when smoothing, sum w (x - m) into {@code sums[1]} (a zero weight
     * contributes 0 even where x is -inf); stores the exps in g when it is not null (after reading x: in place
     * works). Whole vectors, then the exp's scalar twin for the tail: masked last iterations around an inline
     * exp or log measured 24 B per row (a boxed mask) in the float64 kernels, depending on what else the JVM ran.
     */
    private static void expPass(double[] x, int xo, int classes, double[] w, boolean smoothing, double m,
                                double[] g, int go, double[] sums, Scratch scratch) {
        DoubleVector s = DoubleVector.zero(D);
        DoubleVector dotW = DoubleVector.zero(D);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, x, xo + i).sub(m);
            DoubleVector e = DoubleExp.expNonPositive(z);
            if (g != null) {
                e.intoArray(g, go + i);
            }
            s = EXACT_DOUBLE.cast(s).add(e);
            if (smoothing) {
                DoubleVector wv = w == null ? DoubleVector.broadcast(D, 1.0) : DoubleVector.fromArray(D, w, i);
                dotW = Species.DOUBLE_MASKS
                        ? EXACT_DOUBLE.cast(dotW).add(wv.mul(z).blend(0, wv.compare(VectorOperators.EQ, 0)))
                        : EXACT_DOUBLE.cast(dotW).add(wv.mul(z)); // a NaN sum is redone by weightedDot
            }
        }
        EXACT_DOUBLE.cast(s).intoArray(scratch.lanes64, 0);
        double sum = LaneSums.sum(scratch.lanes64, 0);
        EXACT_DOUBLE.cast(dotW).intoArray(scratch.lanes64, D.length());
        double dot = LaneSums.sum(scratch.lanes64, D.length());
        for (; i < classes; i++) {
            double z = x[xo + i] - m;
            double e = DoubleExp.expNonPositive(z);
            if (g != null) {
                g[go + i] = e;
            }
            sum += e;
            double wc = w == null ? 1.0 : w[i];
            if (smoothing && wc != 0) {
                dot += wc * z;
            }
        }
        sums[0] = sum;
        sums[1] = dot;
    }

    /** sum w (x - m) over a row where a zero weight contributes 0, whatever x is. */
    private static double weightedDot(double[] x, int xo, int classes, double[] w, double m) {
        double dot = 0;
        for (int i = 0; i < classes; i++) {
            double wc = w == null ? 1.0 : w[i];
            if (wc != 0) {
                dot += wc * (x[xo + i] - m);
            }
        }
        return dot;
    }

    /** g = g pScale - k2s w over one row whose exps are in g. */
    private static void gradPass(int classes, double[] w, double pScale, double k2s, double[] g, int go) {
        if (!Species.DOUBLE_MASKS) { // whole vectors, then a scalar tail
            int i = 0;
            for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
                DoubleVector q = w == null ? DoubleVector.broadcast(D, k2s) : DoubleVector.fromArray(D, w, i).mul(k2s);
                DoubleVector.fromArray(D, g, go + i).mul(pScale).sub(q).intoArray(g, go + i);
            }
            for (; i < classes; i++) {
                g[go + i] = g[go + i] * pScale - (w == null ? k2s : w[i] * k2s);
            }
            return;
        }
        for (int i = 0; i < classes; i += D.length()) {
            VectorMask<Double> in = D.indexInRange(i, classes);
            DoubleVector q = w == null ? DoubleVector.broadcast(D, k2s) : DoubleVector.fromArray(D, w, i, in).mul(k2s);
            DoubleVector.fromArray(D, g, go + i, in).mul(pScale).sub(q).intoArray(g, go + i, in);
        }
    }
}
