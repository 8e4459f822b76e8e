package org.xent.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An inline exp for float lanes holding values <= 0 (a logit minus its row max).
 *
 * <p>Why not {@code lanewise(EXP)}: that is a call into a stub around which C2 spills every live vector register.
 * Measured here (JDK 25, 512-bit, a loop of exp-sum plus one fma over 1024 floats): 0.37 ns per element with
 * {@code lanewise(EXP)}, 0.26 with a polynomial exp written inline (1.45x); the gap grows with the number of live
 * vectors in a real kernel. This one is straight-line code the kernel's loop inlines.
 *
 * <p>Method (a table, so that the polynomial is short; {@link FloatExpTable} has the forms and why each width
 * has its own): with T = 16, 8 or 4 table entries (the lane count, at most 16), k = round(T z log2 e) by the
 * magic-number addition, so z = (k/T) ln 2 + r with |r| <= ln2/(2T); r is computed in two parts (Cody-Waite,
 * with fma). Then e^z = 2^n T_j (1 + c_j) e^r with k = T n + j, T_j = 2^(j/T) rounded to float and c_j its
 * relative rounding error (a second table); e^r - 1 = r q(r) with a minimax cubic (quartic at 4 lanes) q, and
 * the result is {@code fma(u, S, S)} with S = 2^n T_j built by adding n to T_j's exponent bits and
 * u = r q(r) + c_j, which rounds only once near the result. At 16 lanes that is 7 fma/mul ops per vector where
 * the previous degree-7 polynomial took 11; the soft-label cross-entropy kernel is bound by those ports.
 *
 * <p>The table lookup is a one-vector lane permute at every width (the table has one entry per lane, replicated
 * above 16 lanes); each width's form gives the same bits as its scalar twin.
 *
 * <p>Range: inputs below {@link #LOWEST} (-87.33654, where e^z < 2^-126) give a value in [0, 2^-126); inputs at
 * or below {@link #FLOOR} (including -inf) give exactly +0, because the clamp lands on k = -127 T, whose scale
 * 2^-127 T_0 has all-zero bits. NaN gives NaN in this method and its scalar twin. Worst relative error against
 * the exact value over all 1,118,743,632 floats in [-87.33654, 0], measured per form by {@code FloatExpTest}:
 * 6.25e-8 at 16 lanes, 8.84e-8 at 8, 7.14e-8 at 4 (0.52, 0.74 and 0.60 ulp of 1).
 *
 * <p>Kept in one small static method so that C2 inlines it; the kernels call it at most twice per loop.
 * Caveat, measured: if C2 compiles this method on its own first (C1-compiled kernel code calls it out of line
 * many times), C2 later refuses to inline it into a kernel ("already compiled into a medium method") and every
 * call then boxes its vectors, for the rest of the JVM's life. The hottest kernels therefore write this sequence
 * out in their loop (with these constants, in the same order, so that FloatExpTest's measurement applies).
 */
final class FloatExp {
    private FloatExp() {}

    private static final VectorSpecies<Integer> I = Species.FLOAT.withLanes(int.class);
    /** Lanes per vector; C2 folds every branch on it. */
    static final int LANES = I.length();
    /** This JVM's form: the table that fills one vector. */
    static final FloatExpTable FORM = FloatExpTable.forLanes(LANES);

    /** The bound {@code FloatExpTest} asserts over [LOWEST, 0] for this JVM's form. */
    static final double MAX_RELATIVE_ERROR = FORM.maxRelativeError();

    /** Below this, e^z is subnormal: results are in [0, 2^-126), not accurate. */
    static final float LOWEST = -87.33654f;
    /** Inputs are clamped up to this value, whose result is exactly +0 (k = -127 T: n = -127, j = 0). */
    static final float FLOOR = -88.03f;
    /** The clamp as an unsigned minimum on the bit patterns: valid for z <= 0 and z = +0. */
    static final int FLOOR_BITS = Float.floatToRawIntBits(FLOOR);
    static final float MAGIC = FloatExpTable.MAGIC;
    static final int EXPONENT_MASK = FloatExpTable.EXPONENT_MASK;

    // The form's constants as static finals, which C2 folds into the kernels' loops.
    static final float LOG2E_T = FORM.log2eT();
    static final float LN2_T_HI = FORM.ln2Hi();
    static final float LN2_T_LO = FORM.ln2Lo();
    static final float Q2 = FORM.q2();
    static final float Q3 = FORM.q3();
    static final float Q4 = FORM.q4();
    static final boolean QUARTIC = FORM.quartic();
    static final int SCALE_SHIFT = FORM.scaleShift();

    private static final int[] POW_BITS = FORM.powBits();
    private static final int[] CORR_BITS = FORM.corrBits();

    /** The tables as vectors for the one-vector permute (an index wraps modulo the lane count). */
    static final IntVector POW = table(POW_BITS);
    static final IntVector CORR = table(CORR_BITS);

    private static IntVector table(int[] values) {
        int[] lanes = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            lanes[i] = values[i % values.length];
        }
        return IntVector.fromArray(I, lanes, 0);
    }

    /** e^z for every lane; lanes must be <= 0 or NaN. */
    static FloatVector expNonPositive(FloatVector z) {
        VectorMask<Float> under = z.compare(VectorOperators.LT, FLOOR);
        FloatVector zc = z.blend(FLOOR, under); // keeps NaN, unlike the unsigned-min clamp of the kernels
        FloatVector t = zc.fma(LOG2E_T, MAGIC);
        FloatVector kf = t.sub(MAGIC);
        VectorSpecies<Float> f = Species.FLOAT;
        FloatVector r = kf.fma(FloatVector.broadcast(f, -LN2_T_HI), zc);
        r = kf.fma(FloatVector.broadcast(f, -LN2_T_LO), r);
        FloatVector q = QUARTIC ? r.fma(Q4, Q3).fma(r, FloatVector.broadcast(f, Q2)) : r.fma(Q3, Q2);
        q = q.fma(r, FloatVector.broadcast(f, 1f));
        IntVector k = t.reinterpretAsInts();
        FloatVector u = q.fma(r, k.selectFrom(CORR).reinterpretAsFloats());
        // 2^n T_j: k's bits above the table index hold n (two's complement), shifted into the exponent field
        FloatVector scale = k.lanewise(VectorOperators.LSHL, SCALE_SHIFT).and(EXPONENT_MASK).add(k.selectFrom(POW))
                .reinterpretAsFloats();
        return u.fma(scale, scale);
    }

    /**
     * The same approximation for one float (same constants, same steps), for the few elements after a row's
     * last full vector: a kernel's tail then matches its lanes and costs a few pipelined flops instead of a
     * {@link Math#exp} call per element.
     */
    static float expNonPositive(float z) {
        return FORM.exp(z, POW_BITS, CORR_BITS);
    }
}
