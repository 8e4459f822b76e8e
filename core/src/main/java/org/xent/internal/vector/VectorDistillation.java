package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import static org.xent.internal.vector.Species.EXACT_FLOAT;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.ScratchPool;
import org.xent.internal.DistillationKernel;

/**
 * Vector API distillation loss, fused: no softmax is materialised. Per row, one pass takes the maxima of the
 * student and teacher rows together; one pass computes both exps per class and accumulates, in vector lanes,
 * St, Ss and the dot {@code sum et (zt - zs)} (the row loss is {@code T^2 (dot / St - log St + log Ss)}).
 * Forward + backward stores the student exps in the gradient buffer during that pass (so it works in place: each
 * student logit is read just before its slot is overwritten), then one more pass recomputes the teacher exp
 * and writes {@code k es / Ss - k et / St}. That is three exps per class for forward + backward, two for forward.
 * Float64 computes the same in three phases that share one exp call site (see {@code row64}).
 *
 * <p>Float32 multiplies by 1/T (rounded to float) instead of dividing by T: a division per lane would cost
 * about as much as an exp, and the rounding difference is one ulp of {@code x / T}. Because multiplication by a
 * positive number is monotone, {@code max(x) / T} is the max of the scaled row, so the max class has z = 0
 * exactly (z is {@code x * (1/T) - max * (1/T)}, two roundings, never an fma, which would leave a residue).
 *
 * <p>Float32 vector loops cover whole vectors; the last {@code classes % lanes} elements of a row are done in
 * double (see the note above {@code rowKl}).
 */
final class VectorDistillation implements DistillationKernel {

    static final VectorDistillation INSTANCE = new VectorDistillation();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in float lanes before the partial sums move to double lanes. */
    private static final int BLOCK = 8;

    private VectorDistillation() {}

    /** A call's room for the lanes of its accumulators, summed by {@link LaneSums}. */
    private static final ScratchPool<double[]> LANES = new ScratchPool<>(() -> LaneSums.doubleScratch(3));

    // ---------------------------------------------------------------- float32

    @Override
    public double forwardBackward(float[] s, int sOffset, float[] u, int uOffset, int rows, int classes,
                                  double temperature, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        double[] lanes = LANES.take();
        try {
            final float invT = (float) (1.0 / temperature);
            final double t2 = temperature * temperature;
            double total = 0.0;
            for (int r = 0; r < rows; r++) {
                int so = sOffset + r * classes;
                int uo = uOffset + r * classes;
                long maxima = rowMaxima(s, so, u, uo, classes);
                float ms = Float.intBitsToFloat((int) (maxima >>> 32)) * invT;
                float mt = Float.intBitsToFloat((int) maxima) * invT;
                double loss = classes == 0 ? 0.0
                        : grad == null ? t2 * rowKl(s, so, u, uo, classes, invT, ms, mt, lanes)
                        : t2 * rowKlAndGrad(s, so, u, uo, classes, invT, ms, mt, grad, gradOffset + r * classes,
                                gradScale, lanes);
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = (float) loss;
                }
                total += loss;
            }
            return total;
        } finally {
            LANES.give(lanes);
        }
    }

    /**
     * The maxima of the student and teacher rows in one pass, packed as float bits (student high, teacher low) so
     * that nothing is allocated. Compare + blend: a NaN is skipped here and shows up in the exp pass instead.
     */
    private static long rowMaxima(float[] s, int so, float[] u, int uo, int classes) {
        FloatVector maxS = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector maxT = maxS;
        final int upper = F.loopBound(classes);
        int c = 0;
        for (; c < upper; c += F.length()) {
            FloatVector vs = FloatVector.fromArray(F, s, so + c);
            FloatVector vt = FloatVector.fromArray(F, u, uo + c);
            maxS = EXACT_FLOAT.cast(maxS).blend(vs, vs.compare(VectorOperators.GT, maxS));
            maxT = EXACT_FLOAT.cast(maxT).blend(vt, vt.compare(VectorOperators.GT, maxT));
        }
        if (c < classes) {
            VectorMask<Float> in = F.indexInRange(c, classes);
            FloatVector vs = FloatVector.fromArray(F, s, so + c, in);
            FloatVector vt = FloatVector.fromArray(F, u, uo + c, in);
            maxS = EXACT_FLOAT.cast(maxS).blend(vs, vs.compare(VectorOperators.GT, maxS, in));
            maxT = EXACT_FLOAT.cast(maxT).blend(vt, vt.compare(VectorOperators.GT, maxT, in));
        }
        return ((long) Float.floatToRawIntBits(EXACT_FLOAT.cast(maxS).reduceLanes(VectorOperators.MAX)) << 32)
                | (Float.floatToRawIntBits(EXACT_FLOAT.cast(maxT).reduceLanes(VectorOperators.MAX)) & 0xffffffffL);
    }

    /*
     * The row methods are shaped by C2's node budget for inlining (NodeCountInliningCutoff): with masked loads and
     * stores, a loop body with two inline exps exceeds it and the second exp returns a boxed vector per
     * iteration. So the vector loops cover whole vectors only and the last classes % lanes elements are done in
     * plain double arithmetic in the same method.
     */

    /**
     * sum_c pt (log pt - log ps) of one row, from one pass computing both exps. Float lanes sum blocks of BLOCK
     * vectors, then each block moves to double lanes, so long rows (50k classes) keep the sums to a few ulps.
     */
    private static double rowKl(float[] s, int so, float[] u, int uo, int classes, float invT, float ms, float mt,
                                double[] lanes) {
        final int step = F.length();
        final int upper = F.loopBound(classes);
        DoubleVector sumS = DoubleVector.zero(D);
        DoubleVector sumT = DoubleVector.zero(D);
        DoubleVector sumDot = DoubleVector.zero(D);
        int c = 0;
        while (c < upper) {
            FloatVector bs = FloatVector.zero(F);
            FloatVector bt = FloatVector.zero(F);
            FloatVector bd = FloatVector.zero(F);
            for (int end = Math.min(upper, c + BLOCK * step); c < end; c += step) {
                FloatVector zs = FloatVector.fromArray(F, s, so + c).mul(invT).sub(ms);
                FloatVector zt = FloatVector.fromArray(F, u, uo + c).mul(invT).sub(mt);
                FloatVector es = FloatExp.expNonPositive(zs);
                FloatVector et = FloatExp.expNonPositive(zt);
                bs = EXACT_FLOAT.cast(bs).add(es);
                bt = EXACT_FLOAT.cast(bt).add(et);
                // a teacher probability of 0 contributes 0, even against a student logit of -inf
                bd = EXACT_FLOAT.cast(bd).add(et.mul(zt.sub(zs)).blend(0f, et.compare(VectorOperators.EQ, 0f)));
            }
            sumS = EXACT_DOUBLE.cast(sumS).add(EXACT_FLOAT.cast(bs).convertShape(VectorOperators.F2D, D, 0)).add(EXACT_FLOAT.cast(bs).convertShape(VectorOperators.F2D, D, 1));
            sumT = EXACT_DOUBLE.cast(sumT).add(EXACT_FLOAT.cast(bt).convertShape(VectorOperators.F2D, D, 0)).add(EXACT_FLOAT.cast(bt).convertShape(VectorOperators.F2D, D, 1));
            sumDot = EXACT_DOUBLE.cast(sumDot).add(EXACT_FLOAT.cast(bd).convertShape(VectorOperators.F2D, D, 0))
                    .add(EXACT_FLOAT.cast(bd).convertShape(VectorOperators.F2D, D, 1));
        }
        EXACT_DOUBLE.cast(sumS).intoArray(lanes, 0);
        EXACT_DOUBLE.cast(sumT).intoArray(lanes, D.length());
        EXACT_DOUBLE.cast(sumDot).intoArray(lanes, 2 * D.length());
        double ss = LaneSums.sum(lanes, 0);
        double st = LaneSums.sum(lanes, D.length());
        double dot = LaneSums.sum(lanes, 2 * D.length());
        for (; c < classes; c++) {
            float zs = s[so + c] * invT - ms;
            float zt = u[uo + c] * invT - mt;
            double es = Math.exp(zs);
            double et = Math.exp(zt);
            ss += es;
            st += et;
            if (et != 0) {
                dot += et * ((double) zt - zs);
            }
        }
        return dot / st - Math.log(st) + Math.log(ss);
    }

    /**
     * {@link #rowKl} that also stores es in g, then turns it into {@code k es / Ss - k et / St}.
     *
     * <p>Two phases over the row share one loop body, so that the method has two exp call sites, not three (the
     * teacher exp is computed in both phases: for the sums, then again for pt), which keeps it within C2's node
     * budget for inlining (see above). The factors {@code k / Ss} and {@code k / St} are split into float head +
     * tail and the teacher product's rounding error is recovered with an fma: where ps and pt are both large and
     * close (few live classes), two plainly rounded products would cost an ulp of ps each.
     */
    private static double rowKlAndGrad(float[] s, int so, float[] u, int uo, int classes, float invT,
                                       float ms, float mt, float[] g, int go, float k, double[] lanes) {
        final int step = F.length();
        final int upper = F.loopBound(classes);
        double ss = 0, st = 0, dot = 0;
        double ksExact = 0, ktExact = 0;
        float ksHi = 0, ksLo = 0, ktHi = 0, ktLo = 0;
        for (int phase = 0; phase < 2; phase++) {
            DoubleVector sumS = DoubleVector.zero(D);
            DoubleVector sumT = DoubleVector.zero(D);
            DoubleVector sumDot = DoubleVector.zero(D);
            int c = 0;
            while (c < upper) {
                FloatVector bs = FloatVector.zero(F);
                FloatVector bt = FloatVector.zero(F);
                FloatVector bd = FloatVector.zero(F);
                for (int end = Math.min(upper, c + BLOCK * step); c < end; c += step) {
                    FloatVector zt = FloatVector.fromArray(F, u, uo + c).mul(invT).sub(mt);
                    FloatVector et = FloatExp.expNonPositive(zt);
                    if (phase == 0) {
                        FloatVector zs = FloatVector.fromArray(F, s, so + c).mul(invT).sub(ms);
                        FloatVector es = FloatExp.expNonPositive(zs);
                        es.intoArray(g, go + c);
                        bs = EXACT_FLOAT.cast(bs).add(es);
                        bt = EXACT_FLOAT.cast(bt).add(et);
                        bd = EXACT_FLOAT.cast(bd).add(et.mul(zt.sub(zs)).blend(0f, et.compare(VectorOperators.EQ, 0f)));
                    } else {
                        FloatVector es = FloatVector.fromArray(F, g, go + c);
                        FloatVector ktHiV = FloatVector.broadcast(F, ktHi);
                        FloatVector pt = et.mul(ktHiV);
                        FloatVector ptErr = et.fma(ktHiV, pt.neg()); // exact rounding error of et * ktHi
                        // tail: es ksLo - et ktLo - ptErr
                        FloatVector tail = es.mul(ksLo).sub(et.fma(FloatVector.broadcast(F, ktLo), ptErr));
                        es.fma(FloatVector.broadcast(F, ksHi), pt.neg()).add(tail).intoArray(g, go + c);
                    }
                }
                if (phase == 0) {
                    sumS = EXACT_DOUBLE.cast(sumS).add(EXACT_FLOAT.cast(bs).convertShape(VectorOperators.F2D, D, 0))
                            .add(EXACT_FLOAT.cast(bs).convertShape(VectorOperators.F2D, D, 1));
                    sumT = EXACT_DOUBLE.cast(sumT).add(EXACT_FLOAT.cast(bt).convertShape(VectorOperators.F2D, D, 0))
                            .add(EXACT_FLOAT.cast(bt).convertShape(VectorOperators.F2D, D, 1));
                    sumDot = EXACT_DOUBLE.cast(sumDot).add(EXACT_FLOAT.cast(bd).convertShape(VectorOperators.F2D, D, 0))
                            .add(EXACT_FLOAT.cast(bd).convertShape(VectorOperators.F2D, D, 1));
                }
            }
            if (phase == 0) {
                EXACT_DOUBLE.cast(sumS).intoArray(lanes, 0);
                EXACT_DOUBLE.cast(sumT).intoArray(lanes, D.length());
                EXACT_DOUBLE.cast(sumDot).intoArray(lanes, 2 * D.length());
                ss = LaneSums.sum(lanes, 0);
                st = LaneSums.sum(lanes, D.length());
                dot = LaneSums.sum(lanes, 2 * D.length());
                for (; c < classes; c++) {
                    float zs = s[so + c] * invT - ms;
                    float zt = u[uo + c] * invT - mt;
                    double es = Math.exp(zs);
                    double et = Math.exp(zt);
                    g[go + c] = (float) es;
                    ss += es;
                    st += et;
                    if (et != 0) {
                        dot += et * ((double) zt - zs);
                    }
                }
                ksExact = k / ss;
                ktExact = k / st;
                ksHi = (float) ksExact;
                ksLo = (float) (ksExact - ksHi);
                ktHi = (float) ktExact;
                ktLo = (float) (ktExact - ktHi);
            } else {
                for (; c < classes; c++) {
                    double et = Math.exp(u[uo + c] * invT - mt);
                    g[go + c] = (float) (g[go + c] * ksExact - et * ktExact);
                }
            }
        }
        return dot / st - Math.log(st) + Math.log(ss);
    }

    // ---------------------------------------------------------------- float64

    @Override
    public double forwardBackward(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes,
                                  double temperature, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        double[] lanes = LANES.take();
        try {
            return run(s, sOffset, u, uOffset, rows, classes, temperature, rowLoss, rowLossOffset,
                    grad, gradOffset, gradScale, lanes);
        } finally {
            LANES.give(lanes);
        }
    }

    /**
     * Float64 favours accuracy: it divides by T (so z / T - max / T <= 0 still holds) and uses the inline
     * {@link DoubleExp}; one method serves forward and forward + backward.
     */
    private static double run(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes, double t,
                              double[] rowLoss, int rowLossOffset, double[] g, int gradOffset, double k,
                              double[] lanes) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int so = sOffset + r * classes;
            final int uo = uOffset + r * classes;
            final double ms;
            final double mt;
            if (Species.DOUBLE_MASKS) {
                DoubleVector maxS = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
                DoubleVector maxT = maxS;
                for (int c = 0; c < classes; c += D.length()) {
                    VectorMask<Double> in = D.indexInRange(c, classes);
                    DoubleVector vs = DoubleVector.fromArray(D, s, so + c, in);
                    DoubleVector vt = DoubleVector.fromArray(D, u, uo + c, in);
                    maxS = EXACT_DOUBLE.cast(maxS).blend(vs, vs.compare(VectorOperators.GT, maxS, in));
                    maxT = EXACT_DOUBLE.cast(maxT).blend(vt, vt.compare(VectorOperators.GT, maxT, in));
                }
                ms = EXACT_DOUBLE.cast(maxS).reduceLanes(VectorOperators.MAX) / t;
                mt = EXACT_DOUBLE.cast(maxT).reduceLanes(VectorOperators.MAX) / t;
            } else {
                ms = DoubleRowMax.withoutMasks(s, so, classes) / t;
                mt = DoubleRowMax.withoutMasks(u, uo, classes) / t;
            }
            double loss = classes == 0 ? 0.0
                    : t * t * row64(s, so, u, uo, classes, t, ms, mt, g, gradOffset + r * classes, k, lanes);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
        }
        return total;
    }

    /** The teacher phase's dot, sum et (zt - zs), by the scalar rule (et = 0 adds 0), for rows whose lanes gave NaN. */
    private static double teacherDot(double[] s, int so, double[] u, int uo, int classes, double t, double ms,
                                     double mt) {
        double dot = 0;
        for (int c = 0; c < classes; c++) {
            double z = u[uo + c] / t - mt;
            double e = DoubleExp.expNonPositive(z);
            if (e != 0) {
                dot += e * (z - (s[so + c] / t - ms));
            }
        }
        return dot;
    }

    /**
     * One float64 row in up to three phases that share one loop body, and so one exp call site: 0, the teacher (St
     * and the dot, reading the student logits too); 1, the student (Ss, storing es in g when there is a gradient:
     * in place, after phase 0 has read the student row); 2, only with a gradient, {@code g = k (es / Ss - et / St)}
     * with et recomputed. Whole vectors, then the exp's scalar twin for the tail. One method per phase measured
     * as boxing (9.6 KB per call at 256 bits): C2 can inline the three into one compilation (as when one of them
     * was deoptimised by the first call with a gradient) and then runs out of nodes before the last exp
     * (NodeCountInliningCutoff); two exp call sites in one loop did the same. A masked last iteration measured
     * 24 B per row (a boxed mask).
     */
    private static double row64(double[] s, int so, double[] u, int uo, int classes, double t, double ms, double mt,
                                double[] g, int go, double k, double[] lanes) {
        double st = 0, dot = 0, ss = 0, ks = 0, kt = 0;
        for (int phase = 0; phase < (g == null ? 2 : 3); phase++) {
            final boolean student = phase == 1;
            final double[] src = student ? s : u;
            final int off = student ? so : uo;
            final double m = student ? ms : mt;
            DoubleVector sum = DoubleVector.zero(D);
            DoubleVector sumDot = DoubleVector.zero(D);
            int c = 0;
            for (int upper = D.loopBound(classes); c < upper; c += D.length()) {
                DoubleVector z = DoubleVector.fromArray(D, src, off + c).div(t).sub(m);
                DoubleVector e = DoubleExp.expNonPositive(z);
                if (phase == 0) { // loop-invariant branches: C2 unswitches them
                    DoubleVector zs = DoubleVector.fromArray(D, s, so + c).div(t).sub(ms);
                    sum = EXACT_DOUBLE.cast(sum).add(e);
                    // a teacher probability of 0 contributes 0, even against a student logit of -inf
                    sumDot = Species.DOUBLE_MASKS
                            ? EXACT_DOUBLE.cast(sumDot)
                                    .add(e.mul(z.sub(zs)).blend(0.0, e.compare(VectorOperators.EQ, 0.0)))
                            : EXACT_DOUBLE.cast(sumDot).add(e.mul(z.sub(zs))); // NaN: redone by teacherDot
                } else if (student) {
                    if (g != null) {
                        e.intoArray(g, go + c);
                    }
                    sum = EXACT_DOUBLE.cast(sum).add(e);
                } else {
                    DoubleVector.fromArray(D, g, go + c).mul(ks).sub(e.mul(kt)).intoArray(g, go + c);
                }
            }
            EXACT_DOUBLE.cast(sum).intoArray(lanes, 0);
            EXACT_DOUBLE.cast(sumDot).intoArray(lanes, D.length());
            double total = LaneSums.sum(lanes, 0);
            double totalDot = LaneSums.sum(lanes, D.length());
            for (; c < classes; c++) {
                double z = src[off + c] / t - m;
                double e = DoubleExp.expNonPositive(z);
                if (phase == 0) {
                    total += e;
                    if (e != 0) {
                        totalDot += e * (z - (s[so + c] / t - ms));
                    }
                } else if (student) {
                    if (g != null) {
                        g[go + c] = e;
                    }
                    total += e;
                } else {
                    g[go + c] = g[go + c] * ks - e * kt;
                }
            }
            if (phase == 0) {
                if (!Species.DOUBLE_MASKS && Double.isNaN(totalDot)) { // before phase 1 may overwrite s in place
                    totalDot = teacherDot(s, so, u, uo, classes, t, ms, mt);
                }
                st = total;
                dot = totalDot;
                kt = k / st;
            } else if (student) {
                ss = total;
                ks = k / ss;
            }
        }
        return dot / st - Math.log(st) + Math.log(ss);
    }
}
