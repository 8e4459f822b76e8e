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
 * 0.833 ulp of the float result (at x = 0.698935); {@code FloatLogTest} asserts <= 0.84 ulp on a sample of them.
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

    /**
     * log(x) for every lane. Written to stay under C2's inlining limit for hot methods (325 bytes of bytecode):
     * a bigger method is compiled on its own and then returns boxed vectors. Hence the polynomial in Estrin form
     * with scalar-operand fmas (shorter bytecode, and a shorter dependency chain too).
     */
    static FloatVector log(FloatVector x) {
        // subnormals: scale into the normal range and take the 23 binary orders back from the exponent
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        IntVector ix = x.blend(x.mul(TWO_TO_23), tiny).reinterpretAsInts().add(BIAS_SHIFT);
        FloatVector kf = ((FloatVector) ix.lanewise(VectorOperators.ASHR, 23).sub(127)
                .convert(VectorOperators.I2F, 0)).sub(23f, tiny);
        FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector f2 = f.mul(f);
        // P(f) = P8 + f (q3 + f2 (q2 + f2 (q1 + f2 q0))) with q_i = P_2i f + P_2i+1
        FloatVector p = f.fma(P0, P1).fma(f2, f.fma(P2, P3)).fma(f2, f.fma(P4, P5)).fma(f2, f.fma(P6, P7))
                .mul(f).add(P8);
        // log x = f - f^2/2 + f^3 P(f) + k ln2, the small parts first (k ln2 in two parts, Cody-Waite)
        FloatVector y = p.mul(f2).mul(f).add(kf.mul(LN2_LO)).sub(f2.mul(0.5f));
        FloatVector r = f.add(y).add(kf.mul(LN2_HI));
        // special values: 0 -> -inf; +inf and NaN -> themselves; negative (-inf included) -> NaN
        r = r.blend(x, x.test(VectorOperators.IS_FINITE).not());
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
    }
}
