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
 * <p>Method (a 16-entry table, so that the polynomial is short): k = round(16 z log2 e) by the magic-number
 * addition, so z = (k/16) ln 2 + r with |r| <= ln2/32; r is computed in two parts (Cody-Waite, with fma). Then
 * e^z = 2^n T_j (1 + c_j) e^r with k = 16 n + j, T_j = 2^(j/16) rounded to float and c_j its relative rounding
 * error (a second table); e^r - 1 = r (1 + r (Q2 + r Q3)) (minimax, 1.6e-9 relative), and the result is
 * {@code fma(u, S, S)} with S = 2^n T_j built by adding n to T_j's exponent bits and u = r q(r) + c_j, which
 * rounds only once near the result. Per vector that is 7 fma/mul ops where the previous degree-7 polynomial
 * took 11 (plus 1 and 2 adds); the soft-label cross-entropy kernel is bound by those ports on this machine
 * class, and this form is also more accurate.
 *
 * <p>The table lookup is a lane permute: one vector for 16 lanes or more (replicated), two for 8 lanes, four for
 * 4 lanes; every species gives the same bits.
 *
 * <p>Range: inputs below {@link #LOWEST} (-87.33654, where e^z < 2^-126) give a value in [0, 2^-126); inputs at
 * or below {@link #FLOOR} (including -inf) give exactly +0, because the clamp lands on k = -2032, whose scale
 * 2^-127 T_0 has all-zero bits. NaN gives NaN in this method and its scalar twin. Worst relative error against
 * the exact value over all 1,118,743,632 floats in [-87.33654, 0]: 6.25e-8 (relative; 0.57 ulp at worst), at
 * z = -15.2277155; {@code FloatExpTest} checks every one of them against {@link #MAX_RELATIVE_ERROR}.
 *
 * <p>Kept in one small static method so that C2 inlines it; the kernels call it at most twice per loop.
 * Caveat, measured: if C2 compiles this method on its own first (C1-compiled kernel code calls it out of line
 * many times), C2 later refuses to inline it into a kernel ("already compiled into a medium method") and every
 * call then boxes its vectors, for the rest of the JVM's life. The hottest kernels therefore write this sequence
 * out in their loop (with these constants, in the same order, so that FloatExpTest's measurement applies).
 */
final class FloatExp {
    private FloatExp() {}

    /** The bound {@code FloatExpTest} asserts over [LOWEST, 0]; measured worst 6.25e-8. */
    static final double MAX_RELATIVE_ERROR = 6.5e-8;

    /** Below this, e^z is subnormal: results are in [0, 2^-126), not accurate. */
    static final float LOWEST = -87.33654f;
    /** Inputs are clamped up to this value, whose result is exactly +0 (k = -2032: n = -127, j = 0). */
    static final float FLOOR = -88.03f;
    /** The clamp as an unsigned minimum on the bit patterns: valid for z <= 0 and z = +0. */
    static final int FLOOR_BITS = Float.floatToRawIntBits(FLOOR);
    /** 16 / ln 2. */
    static final float LOG2E_16 = 23.08312f;
    static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer in the low bits
    /** (ln 2) / 16 in two parts; the high one has few bits, so that k * LN2_16_HI is exact. */
    static final float LN2_16_HI = 0.693359375f / 16;
    static final float LN2_16_LO = -2.12194440e-4f / 16;
    /** e^r ~ 1 + r (1 + r (Q2 + r Q3)) on |r| <= ln2/32. */
    static final float Q2 = 0.5000162124633789f;
    static final float Q3 = 0.16666601598262787f;
    /** Mask of the exponent field after shifting k's bits into place. */
    static final int EXPONENT_MASK = 0xFF800000;

    /** Float bits of T_j = 2^(j/16) rounded to float. */
    static final int[] POW_BITS = new int[16];
    /** Float bits of c_j = (2^(j/16) - T_j) / T_j. */
    static final int[] CORR_BITS = new int[16];

    static {
        for (int j = 0; j < 16; j++) {
            double exact = Math.pow(2, j / 16.0);
            float t = (float) exact;
            POW_BITS[j] = Float.floatToRawIntBits(t);
            CORR_BITS[j] = Float.floatToRawIntBits((float) ((exact - t) / t));
        }
    }

    private static final VectorSpecies<Integer> I = Species.FLOAT.withLanes(int.class);
    /** Lanes per vector; C2 folds every branch on it. */
    static final int LANES = I.length();

    /**
     * The tables as vectors for the species' permute: for 16 lanes or more, POW_0 holds the table replicated (an
     * index wraps modulo the lane count, a multiple of 16); for 8 lanes POW_0 and POW_1 hold entries 0-7 and
     * 8-15 (a two-vector select wraps modulo 16); for 4 lanes, POW_0 to POW_3 hold 4 entries each.
     */
    static final IntVector POW_0 = table(POW_BITS, 0);
    static final IntVector POW_1 = table(POW_BITS, 1);
    static final IntVector POW_2 = table(POW_BITS, 2);
    static final IntVector POW_3 = table(POW_BITS, 3);
    static final IntVector CORR_0 = table(CORR_BITS, 0);
    static final IntVector CORR_1 = table(CORR_BITS, 1);
    static final IntVector CORR_2 = table(CORR_BITS, 2);
    static final IntVector CORR_3 = table(CORR_BITS, 3);

    private static IntVector table(int[] values, int part) {
        int[] lanes = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            lanes[i] = LANES >= 16 ? values[i % 16] : values[(part * LANES + i) % 16];
        }
        return IntVector.fromArray(I, lanes, 0);
    }

    /** e^z for every lane; lanes must be <= 0 or NaN. */
    static FloatVector expNonPositive(FloatVector z) {
        VectorMask<Float> under = z.compare(VectorOperators.LT, FLOOR);
        FloatVector zc = z.blend(FLOOR, under); // keeps NaN, unlike the unsigned-min clamp of the kernels
        FloatVector t = zc.fma(LOG2E_16, MAGIC);
        FloatVector kf = t.sub(MAGIC);
        VectorSpecies<Float> f = Species.FLOAT;
        FloatVector r = kf.fma(FloatVector.broadcast(f, -LN2_16_HI), zc);
        r = kf.fma(FloatVector.broadcast(f, -LN2_16_LO), r);
        FloatVector q = r.fma(Q3, Q2);
        q = q.fma(r, FloatVector.broadcast(f, 1f));
        IntVector k = t.reinterpretAsInts();
        IntVector pow;
        IntVector corr;
        if (LANES >= 16) {
            pow = k.selectFrom(POW_0);
            corr = k.selectFrom(CORR_0);
        } else if (LANES == 8) {
            pow = k.selectFrom(POW_0, POW_1);
            corr = k.selectFrom(CORR_0, CORR_1);
        } else {
            VectorMask<Integer> upper = k.and(8).compare(VectorOperators.NE, 0);
            pow = k.selectFrom(POW_0, POW_1).blend(k.selectFrom(POW_2, POW_3), upper);
            corr = k.selectFrom(CORR_0, CORR_1).blend(k.selectFrom(CORR_2, CORR_3), upper);
        }
        FloatVector u = q.fma(r, corr.reinterpretAsFloats());
        // 2^n T_j: k's bits 4-12 hold n (two's complement), shifted into the exponent field and added to T_j's
        FloatVector scale = k.lanewise(VectorOperators.LSHL, 19).and(EXPONENT_MASK).add(pow).reinterpretAsFloats();
        return u.fma(scale, scale);
    }

    /**
     * The same approximation for one float (same constants, same steps), for the few elements after a row's
     * last full vector: a kernel's tail then matches its lanes and costs a few pipelined flops instead of a
     * {@link Math#exp} call per element.
     */
    static float expNonPositive(float z) {
        float zc = z < FLOOR ? FLOOR : z; // NaN stays NaN
        float t = Math.fma(zc, LOG2E_16, MAGIC);
        float kf = t - MAGIC;
        float r = Math.fma(kf, -LN2_16_HI, zc);
        r = Math.fma(kf, -LN2_16_LO, r);
        float q = Math.fma(r, Q3, Q2);
        q = Math.fma(q, r, 1f);
        int k = Float.floatToRawIntBits(t);
        float u = Math.fma(q, r, Float.intBitsToFloat(CORR_BITS[k & 15]));
        float scale = Float.intBitsToFloat(((k << 19) & EXPONENT_MASK) + POW_BITS[k & 15]);
        return Math.fma(u, scale, scale);
    }
}
