package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An inline exp for double lanes of any sign (where {@link DoubleExp#expNonPositive} needs z <= 0), and its scalar
 * twin: for arguments that are data, such as a log-probability target of the KL divergence, and for the
 * exp(-|x|) of binary cross-entropy with logits, whose results should underflow gradually.
 *
 * <p>Same reduction and polynomial as {@link DoubleExp} (one shared method); the difference is the final
 * scaling. n = round(z log2 e) ranges over [-1076, 1024] here, so 2^n is applied as two factors 2^n1 2^n2, both
 * normal, with n1 = round(n / 2) found by a second magic-number addition (no 64-bit arithmetic shift, which
 * AVX2 lacks): {@code fma(s, 2^n1, 2^n1) * 2^n2}. Where the result is normal that is exact after the fma's
 * single rounding, so normal results are those of {@link DoubleExp} bit for bit (worst error measured over 15
 * million random arguments in [-746, 710]: 0.891 ulp, at z = 206.2499712863073); subnormal results round twice
 * (0.75 subnormal steps at worst, measured by {@code DoubleExpWideTest}); results overflow to +inf exactly
 * where e^z rounds above Double.MAX_VALUE. Inputs at or below -746 (where e^z rounds to 0) give +0, +inf gives
 * +inf, NaN gives NaN.
 */
final class DoubleExpWide {
    private DoubleExpWide() {}

    /** Clamps: e^LOW rounds to +0 (after the two roundings), e^HIGH overflows, and both keep n1, n2 normal. */
    static final double LOW = -746.0;
    static final double HIGH = 710.0;

    /** e^z for every lane. */
    static DoubleVector exp(DoubleVector z) {
        DoubleVector zc = z.max(LOW).min(HIGH); // NaN stays NaN; no compare + blend (see DoubleExp)
        DoubleVector t = zc.fma(DoubleExp.LOG2E, DoubleExp.MAGIC);
        DoubleVector s = DoubleExp.expm1Reduced(zc, t);
        // h = MAGIC + n1 with n1 = round(n / 2); n2 = n - n1 is the difference of the two bit patterns
        LongVector h = t.sub(DoubleExp.MAGIC).fma(0.5, DoubleExp.MAGIC).reinterpretAsLongs();
        DoubleVector s1 = h.add(DoubleExp.BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = t.reinterpretAsLongs().sub(h).add(DoubleExp.BIAS).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return s.fma(s1, s1).mul(s2);
    }

    /** The same steps for one double (same constants, same order): the lanes' bits. */
    static double exp(double z) {
        double zc = Math.min(Math.max(z, LOW), HIGH); // NaN stays NaN
        double t = Math.fma(zc, DoubleExp.LOG2E, DoubleExp.MAGIC);
        double s = DoubleExp.expm1Reduced(zc, t);
        long h = Double.doubleToRawLongBits(Math.fma(t - DoubleExp.MAGIC, 0.5, DoubleExp.MAGIC));
        double s1 = Double.longBitsToDouble((h + DoubleExp.BIAS) << 52);
        double s2 = Double.longBitsToDouble((Double.doubleToRawLongBits(t) - h + DoubleExp.BIAS) << 52);
        return Math.fma(s, s1, s1) * s2;
    }
}
