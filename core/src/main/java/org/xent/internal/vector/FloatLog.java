package org.xent.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * An inline natural log for float lanes, for the same reason as {@link FloatExp}: {@code lanewise(LOG)} is a stub
 * call around which C2 spills every live vector register.
 *
 * <p>Method: write x = 2^k * m with m in [sqrt(1/2), sqrt(2)) straight from the bits (adding
 * {@code 0x3f800000 - 0x3f3504f3} to the bit pattern moves the exponent boundary from 1 to sqrt(1/2)), so that
 * f = m - 1 is exact and lies in [-0.293, 0.415]; then log(1 + f) = f - f^2/2 + f^3 P(f) with a degree-8
 * polynomial P (the classic Cephes logf coefficients), and k ln 2 is added in two parts (Cody-Waite) so that
 * the result is accurate for large |k| too. Subnormal inputs are first scaled by 2^23.
 *
 * <p>Special values: log(+-0) = -inf, log(+inf) = +inf, log(negative) = NaN, log(NaN) = NaN. Worst error over
 * all positive finite floats (subnormals included), measured exhaustively against {@link Math#log}:
 * 0.83 ulp of the float result (at x = 1.413642); {@code FloatLogTest} asserts <= 1 ulp on a sample of them.
 */
final class FloatLog {
    private FloatLog() {}

    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final int BIAS_SHIFT = 0x3f800000 - SQRT_HALF_BITS;
    private static final float TWO_TO_23 = 8388608f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 7.0376836292e-2f;
    private static final float P1 = -1.1514610310e-1f;
    private static final float P2 = 1.1676998740e-1f;
    private static final float P3 = -1.2420140846e-1f;
    private static final float P4 = 1.4249322787e-1f;
    private static final float P5 = -1.6668057665e-1f;
    private static final float P6 = 2.0000714765e-1f;
    private static final float P7 = -2.4999993993e-1f;
    private static final float P8 = 3.3333331174e-1f;

    /** log(x) for every lane. */
    static FloatVector log(FloatVector x) {
        // subnormals: scale into the normal range and remember the 23 binary orders
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_TO_23), tiny);
        IntVector ix = xs.reinterpretAsInts().add(BIAS_SHIFT);
        IntVector k = ix.lanewise(VectorOperators.ASHR, 23).sub(127);
        FloatVector m = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector kf = ((FloatVector) k.convert(VectorOperators.I2F, 0))
                .sub(FloatVector.zero(Species.FLOAT).blend(23f, tiny));
        FloatVector f = m.sub(1f);
        FloatVector f2 = f.mul(f);
        FloatVector p = f.fma(P0, P1);
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P2));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P3));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P4));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P5));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P6));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P7));
        p = p.fma(f, FloatVector.broadcast(Species.FLOAT, P8));
        // y = f^3 P(f) + k ln2_lo - f^2/2, then the larger parts last
        FloatVector y = p.mul(f2).mul(f);
        y = kf.fma(FloatVector.broadcast(Species.FLOAT, LN2_LO), y);
        y = f2.fma(FloatVector.broadcast(Species.FLOAT, -0.5f), y);
        FloatVector r = f.add(y);
        r = kf.fma(FloatVector.broadcast(Species.FLOAT, LN2_HI), r);
        // special values: 0 -> -inf, +inf -> +inf, negative or NaN -> NaN
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.compare(VectorOperators.GE, 0f).not());
    }
}
