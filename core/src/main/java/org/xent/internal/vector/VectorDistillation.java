package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.DistillationKernel;

/**
 * Vector API distillation loss, fused: no softmax is materialised. Per row, one pass takes the maxima of the
 * student and teacher rows together; one pass computes both exps per class and accumulates, in vector lanes,
 * St, Ss and the dot {@code sum et (zt - zs)} (the row loss is {@code T^2 (dot / St - log St + log Ss)}).
 * Forward + backward stores the student exps in the gradient buffer during that pass (so it works in place: each
 * student logit is read just before its slot is overwritten), then one more pass recomputes the teacher exp
 * and writes {@code k es / Ss - k et / St}. That is three exps per class for forward + backward, two for forward.
 *
 * <p>Float32 multiplies by 1/T (rounded to float) instead of dividing by T: a division per lane would cost
 * about as much as an exp, and the rounding difference is one ulp of {@code x / T}. Because multiplication by a
 * positive number is monotone, {@code max(x) / T} is the max of the scaled row, so the max class has z = 0
 * exactly (z is {@code x * (1/T) - max * (1/T)}, two roundings, never an fma, which would leave a residue).
 *
 * <p>Loops handle their tail with a mask on the last iteration, one copy of each body.
 */
final class VectorDistillation implements DistillationKernel {

    static final VectorDistillation INSTANCE = new VectorDistillation();

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Vectors summed in float lanes before the partial sums move to double lanes. */
    private static final int BLOCK = 8;

    private VectorDistillation() {}

    // ---------------------------------------------------------------- float32

    @Override
    public double forward(float[] s, int sOffset, float[] u, int uOffset, int rows, int classes,
                          double temperature, float[] rowLoss, int rowLossOffset) {
        final float invT = (float) (1.0 / temperature);
        final double t2 = temperature * temperature;
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int so = sOffset + r * classes;
            int uo = uOffset + r * classes;
            float ms = rowMax(s, so, classes) * invT;
            float mt = rowMax(u, uo, classes) * invT;
            double loss = classes == 0 ? 0.0 : t2 * rowKl(s, so, u, uo, classes, invT, ms, mt);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
        }
        return total;
    }

    @Override
    public double forwardBackward(float[] s, int sOffset, float[] u, int uOffset, int rows, int classes,
                                  double temperature, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        final float invT = (float) (1.0 / temperature);
        final double t2 = temperature * temperature;
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int so = sOffset + r * classes;
            int uo = uOffset + r * classes;
            float ms = rowMax(s, so, classes) * invT;
            float mt = rowMax(u, uo, classes) * invT;
            double loss = classes == 0 ? 0.0
                    : t2 * rowKlAndGrad(s, so, u, uo, classes, invT, ms, mt, grad, gradOffset + r * classes, gradScale);
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
        }
        return total;
    }

    /** Row max with compare + blend; a NaN is skipped here and shows up in the exp pass instead. */
    private static float rowMax(float[] x, int xo, int classes) {
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < classes; c += F.length()) {
            VectorMask<Float> in = F.indexInRange(c, classes);
            FloatVector v = FloatVector.fromArray(F, x, xo + c, in);
            mv = mv.blend(v, v.compare(VectorOperators.GT, mv, in));
        }
        return mv.reduceLanes(VectorOperators.MAX);
    }

    /**
     * sum_c pt (log pt - log ps) of one row, from one pass computing both exps. Float lanes sum blocks of BLOCK
     * vectors, then each block moves to double lanes, so long rows (50k classes) keep the sums to a few ulps.
     */
    private static double rowKl(float[] s, int so, float[] u, int uo, int classes, float invT, float ms, float mt) {
        final int step = F.length();
        DoubleVector sumS = DoubleVector.zero(D);
        DoubleVector sumT = DoubleVector.zero(D);
        DoubleVector sumDot = DoubleVector.zero(D);
        int c = 0;
        while (c < classes) {
            FloatVector bs = FloatVector.zero(F);
            FloatVector bt = FloatVector.zero(F);
            FloatVector bd = FloatVector.zero(F);
            for (int end = Math.min(classes, c + BLOCK * step); c < end; c += step) {
                VectorMask<Float> in = F.indexInRange(c, classes);
                FloatVector zs = FloatVector.fromArray(F, s, so + c, in).mul(invT).sub(ms);
                FloatVector zt = FloatVector.fromArray(F, u, uo + c, in).mul(invT).sub(mt);
                FloatVector es = FloatExp.expNonPositive(zs);
                FloatVector et = FloatExp.expNonPositive(zt);
                bs = bs.add(es, in);
                bt = bt.add(et, in);
                // a teacher probability of 0 contributes 0, even against a student logit of -inf
                FloatVector term = et.mul(zt.sub(zs)).blend(0f, et.compare(VectorOperators.EQ, 0f));
                bd = bd.add(term, in);
            }
            sumS = sumS.add(bs.convertShape(VectorOperators.F2D, D, 0)).add(bs.convertShape(VectorOperators.F2D, D, 1));
            sumT = sumT.add(bt.convertShape(VectorOperators.F2D, D, 0)).add(bt.convertShape(VectorOperators.F2D, D, 1));
            sumDot = sumDot.add(bd.convertShape(VectorOperators.F2D, D, 0))
                    .add(bd.convertShape(VectorOperators.F2D, D, 1));
        }
        double st = sumT.reduceLanes(VectorOperators.ADD);
        double ss = sumS.reduceLanes(VectorOperators.ADD);
        return sumDot.reduceLanes(VectorOperators.ADD) / st - Math.log(st) + Math.log(ss);
    }

    /**
     * {@link #rowKl} that also stores es in g, then turns it into {@code k es / Ss - k et / St} in a second pass.
     * The two factors {@code k / Ss} and {@code k / St} are split into float head + tail and the teacher product's
     * rounding error is recovered with an fma: where ps and pt are both large and close (few live classes), two
     * plainly rounded products would cost an ulp of ps each, more than the difference deserves.
     */
    private static double rowKlAndGrad(float[] s, int so, float[] u, int uo, int classes, float invT,
                                       float ms, float mt, float[] g, int go, float k) {
        final int step = F.length();
        DoubleVector sumS = DoubleVector.zero(D);
        DoubleVector sumT = DoubleVector.zero(D);
        DoubleVector sumDot = DoubleVector.zero(D);
        int c = 0;
        while (c < classes) {
            FloatVector bs = FloatVector.zero(F);
            FloatVector bt = FloatVector.zero(F);
            FloatVector bd = FloatVector.zero(F);
            for (int end = Math.min(classes, c + BLOCK * step); c < end; c += step) {
                VectorMask<Float> in = F.indexInRange(c, classes);
                FloatVector zs = FloatVector.fromArray(F, s, so + c, in).mul(invT).sub(ms);
                FloatVector zt = FloatVector.fromArray(F, u, uo + c, in).mul(invT).sub(mt);
                FloatVector es = FloatExp.expNonPositive(zs);
                FloatVector et = FloatExp.expNonPositive(zt);
                es.intoArray(g, go + c, in);
                bs = bs.add(es, in);
                bt = bt.add(et, in);
                FloatVector term = et.mul(zt.sub(zs)).blend(0f, et.compare(VectorOperators.EQ, 0f));
                bd = bd.add(term, in);
            }
            sumS = sumS.add(bs.convertShape(VectorOperators.F2D, D, 0)).add(bs.convertShape(VectorOperators.F2D, D, 1));
            sumT = sumT.add(bt.convertShape(VectorOperators.F2D, D, 0)).add(bt.convertShape(VectorOperators.F2D, D, 1));
            sumDot = sumDot.add(bd.convertShape(VectorOperators.F2D, D, 0))
                    .add(bd.convertShape(VectorOperators.F2D, D, 1));
        }
        double st = sumT.reduceLanes(VectorOperators.ADD);
        double ss = sumS.reduceLanes(VectorOperators.ADD);
        double ksExact = k / ss;
        double ktExact = k / st;
        float ksHi = (float) ksExact;
        float ksLo = (float) (ksExact - ksHi);
        float ktHi = (float) ktExact;
        float ktLo = (float) (ktExact - ktHi);
        FloatVector ksHiV = FloatVector.broadcast(F, ksHi);
        FloatVector ktHiV = FloatVector.broadcast(F, ktHi);
        for (c = 0; c < classes; c += step) {
            VectorMask<Float> in = F.indexInRange(c, classes);
            FloatVector zt = FloatVector.fromArray(F, u, uo + c, in).mul(invT).sub(mt);
            FloatVector et = FloatExp.expNonPositive(zt);
            FloatVector es = FloatVector.fromArray(F, g, go + c, in);
            FloatVector pt = et.mul(ktHiV);
            FloatVector ptErr = et.fma(ktHiV, pt.neg()); // exact rounding error of et * ktHi
            // tail: es ksLo - et ktLo - ptErr
            FloatVector tail = es.mul(ksLo).sub(et.fma(FloatVector.broadcast(F, ktLo), ptErr));
            es.fma(ksHiV, pt.neg()).add(tail).intoArray(g, go + c, in);
        }
        return sumDot.reduceLanes(VectorOperators.ADD) / st - Math.log(st) + Math.log(ss);
    }

    // ---------------------------------------------------------------- float64

    @Override
    public double forward(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes,
                          double temperature, double[] rowLoss, int rowLossOffset) {
        return run(s, sOffset, u, uOffset, rows, classes, temperature, rowLoss, rowLossOffset, null, 0, 0);
    }

    @Override
    public double forwardBackward(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes,
                                  double temperature, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        return run(s, sOffset, u, uOffset, rows, classes, temperature, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    /**
     * Float64 favours accuracy: it divides by T and uses {@code lanewise(EXP)}; one method serves forward and
     * forward + backward.
     */
    private static double run(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes, double t,
                              double[] rowLoss, int rowLossOffset, double[] g, int gradOffset, double k) {
        final int step = D.length();
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int so = sOffset + r * classes;
            final int uo = uOffset + r * classes;
            final int go = gradOffset + r * classes;
            DoubleVector maxS = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
            DoubleVector maxT = maxS;
            for (int c = 0; c < classes; c += step) {
                VectorMask<Double> in = D.indexInRange(c, classes);
                DoubleVector vs = DoubleVector.fromArray(D, s, so + c, in);
                DoubleVector vt = DoubleVector.fromArray(D, u, uo + c, in);
                maxS = maxS.blend(vs, vs.compare(VectorOperators.GT, maxS, in));
                maxT = maxT.blend(vt, vt.compare(VectorOperators.GT, maxT, in));
            }
            double ms = maxS.reduceLanes(VectorOperators.MAX) / t;
            double mt = maxT.reduceLanes(VectorOperators.MAX) / t;
            DoubleVector sumS = DoubleVector.zero(D);
            DoubleVector sumT = DoubleVector.zero(D);
            DoubleVector dot = DoubleVector.zero(D);
            for (int c = 0; c < classes; c += step) {
                VectorMask<Double> in = D.indexInRange(c, classes);
                DoubleVector zs = DoubleVector.fromArray(D, s, so + c, in).div(t).sub(ms);
                DoubleVector zt = DoubleVector.fromArray(D, u, uo + c, in).div(t).sub(mt);
                DoubleVector es = zs.lanewise(VectorOperators.EXP);
                DoubleVector et = zt.lanewise(VectorOperators.EXP);
                if (g != null) {
                    es.intoArray(g, go + c, in);
                }
                sumS = sumS.add(es, in);
                sumT = sumT.add(et, in);
                DoubleVector term = et.mul(zt.sub(zs)).blend(0.0, et.compare(VectorOperators.EQ, 0.0));
                dot = dot.add(term, in);
            }
            double st = sumT.reduceLanes(VectorOperators.ADD);
            double ss = sumS.reduceLanes(VectorOperators.ADD);
            double loss = classes == 0 ? 0.0
                    : t * t * (dot.reduceLanes(VectorOperators.ADD) / st - Math.log(st) + Math.log(ss));
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (g != null) {
                double ks = k / ss;
                double kt = k / st;
                for (int c = 0; c < classes; c += step) {
                    VectorMask<Double> in = D.indexInRange(c, classes);
                    DoubleVector zt = DoubleVector.fromArray(D, u, uo + c, in).div(t).sub(mt);
                    DoubleVector et = zt.lanewise(VectorOperators.EXP);
                    DoubleVector.fromArray(D, g, go + c, in).mul(ks).sub(et.mul(kt)).intoArray(g, go + c, in);
                }
            }
        }
        return total;
    }
}
