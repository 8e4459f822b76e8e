package org.xent.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * An inline natural logarithm for float lanes, for the same reason as {@link FloatExp}: {@code lanewise(LOG)} is
 * a stub call around which C2 spills every live vector register.
 *
 * <p>Method: split x = 2^e * m with m in [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits (subnormal
 * inputs are first scaled by 2^23), then log m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.1716, summed as
 * the odd series 2s + 2s^3/3 + 2s^5/5 + 2s^7/7 + 2s^9/9 (truncation below 2e-9 relative), evaluated as
 * f - s (f - R) with f = m - 1 exact and R the series after 2s, so the division's rounding only reaches a
 * correction term; finally log x = e ln2 + log m with ln2 split in two parts so that e ln2 is exact. The one division costs less than the
 * extra polynomial terms a division-free form needs for the same accuracy.
 *
 * <p>Special values as {@link Math#log}: log(+-0) = -inf, log(x < 0) = NaN, log(NaN) = NaN, log(+inf) = +inf.
 * Worst error against the correctly rounded value, measured by {@code FloatLogTest} over every float in
 * [0.5, 2), a dense sample of every binade and every subnormal: 0.94 ulp of the result (8.2e-8 relative away
 * from x = 1; near x = 1, where log x is tiny, still under 1 ulp of the result).
 */
final class FloatLog {
    private FloatLog() {}

    static final int ONE_BITS = Float.floatToRawIntBits(1f);
    static final int SQRT_HALF_BITS = 0x3F3504F3; // the float just below sqrt(1/2) = 0.70710677
    private static final float TWO_POW_23 = 8388608f;
    static final float LN2_HI = 0.693359375f;      // few significant bits: e * LN2_HI is exact
    static final float LN2_LO = -2.12194440e-4f;   // ln 2 - LN2_HI
    static final float C3 = 2f / 3f;
    static final float C5 = 2f / 5f;
    static final float C7 = 2f / 7f;
    static final float C9 = 2f / 9f;

    /** Natural logarithm of every lane. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_23), subnormal);
        // Adding (bits of 1) - (bits of sqrt(1/2)) carries into the exponent exactly when the mantissa is at least
        // sqrt(2), so e and m come out already reduced to m in [sqrt(1/2), sqrt(2)) with integer operations only.
        IntVector ix = xs.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        FloatVector e = ((FloatVector) ix.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                .sub(127f).sub(23f, subnormal);
        FloatVector m = ix.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(C9, C7);
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C5));
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C3));
        // log m = 2s + s R with R = s2 p; since 2s = f - s f, this is f - s (f - R): the exact f carries the
        // bulk and the rounding errors of s only touch the smaller correction term
        FloatVector logm = s.neg().fma(f.sub(s2.mul(p)), f);
        FloatVector r = e.fma(FloatVector.broadcast(Species.FLOAT, LN2_HI),
                e.fma(FloatVector.broadcast(Species.FLOAT, LN2_LO), logm));
        VectorMask<Float> regular = x.compare(VectorOperators.GT, 0f).and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
        r = r.blend(x, regular.not());                                   // +inf, NaN stay; 0 and negatives fixed below
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
    }

    /**
     * log x for lanes in [0, 1] only, without the special-value handling of {@link #log}: binary cross-entropy
     * validates its probabilities itself and clamps the logs at -100, so it needs just this. Same result as
     * {@link #log} bit for bit on (0, 1]; +-0 give about -103.97 (150 ln 2), which the clamp turns into -100
     * exactly as it does -inf. On every positive finite float it gives {@link #log}'s bits too (the same steps), and
     * +inf gives a finite value near 128 ln 2 (KL divergence relies on both); a negative input gives an unspecified
     * value.
     */
    static FloatVector logUnitInterval(FloatVector x) {
        // the same steps as log(x), written out rather than shared: a helper called from both could be compiled
        // on its own first, and C2 then refuses to inline it and boxes every vector (see FloatExp). The abs makes
        // a probability of -0 into +0, whose bits the steps below expect (-0 gave a large positive log)
        FloatVector xa = x.abs();
        VectorMask<Float> subnormal = xa.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = xa.blend(xa.mul(TWO_POW_23), subnormal);
        // Adding (bits of 1) - (bits of sqrt(1/2)) carries into the exponent exactly when the mantissa is at least
        // sqrt(2), so e and m come out already reduced to m in [sqrt(1/2), sqrt(2)) with integer operations only.
        IntVector ix = xs.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        FloatVector e = ((FloatVector) ix.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                .sub(127f).sub(23f, subnormal);
        FloatVector m = ix.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(C9, C7);
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C5));
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C3));
        // log m = 2s + s R with R = s2 p; since 2s = f - s f, this is f - s (f - R): the exact f carries the
        // bulk and the rounding errors of s only touch the smaller correction term
        FloatVector logm = s.neg().fma(f.sub(s2.mul(p)), f);
        FloatVector r = e.fma(FloatVector.broadcast(Species.FLOAT, LN2_HI),
                e.fma(FloatVector.broadcast(Species.FLOAT, LN2_LO), logm));
        return r;
    }

    /**
     * log x for positive normal finite lanes only (x in [{@link Float#MIN_NORMAL}, {@link Float#MAX_VALUE}]): the
     * steps of {@link #log} without the subnormal scaling and the special-value blends, so the same bits on those
     * lanes with 4 to 11 vector operations fewer. A kernel calls it on a row or block that {@link FloatRange} found
     * inside that range; any other lane gives an unspecified value.
     */
    static FloatVector logNormal(FloatVector x) {
        // the third copy of the steps, for the reason logUnitInterval gives
        IntVector ix = x.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        FloatVector e = ((FloatVector) ix.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                .sub(127f);
        FloatVector m = ix.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(C9, C7);
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C5));
        p = p.fma(s2, FloatVector.broadcast(Species.FLOAT, C3));
        FloatVector logm = s.neg().fma(f.sub(s2.mul(p)), f);
        return e.fma(FloatVector.broadcast(Species.FLOAT, LN2_HI),
                e.fma(FloatVector.broadcast(Species.FLOAT, LN2_LO), logm));
    }
}
