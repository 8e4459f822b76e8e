package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An inline natural logarithm for double lanes, and its scalar twin, for the reasons given in {@link DoubleExp}:
 * {@code lanewise(LOG)} allocates with 2 double lanes, spills every live vector around a stub call at 256 and
 * 512 bits, and changes its last bit with the JIT tier.
 *
 * <p>Method: split x = 2^k m with m in [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits (subnormal
 * inputs are first scaled by 2^52), so that f = m - 1 is exact; then log m = 2 atanh(s) with s = f / (2 + f),
 * |s| <= 0.1716, written as f - hfsq + s (hfsq + R) with hfsq = f^2 / 2 and R = 2 atanh(s) / s - 2 = z P(z),
 * z = s^2, P a degree-6 minimax polynomial (relative error of log m 1.2e-18 over the interval). Only the small
 * terms carry rounding errors: the exact f carries the bulk. Finally log x = k ln2 + log m with ln 2 split in two
 * parts so that k ln2_hi is exact and added last. The one division costs less than the extra terms a
 * division-free form needs for the same accuracy. k is turned into a double by the magic-number trick (2^52
 * plus a small integer has that integer in its low bits), since a 64-bit integer conversion has no AVX2
 * instruction.
 *
 * <p>Special values as {@link Math#log}: log(+-0) = -inf, log(x < 0) = NaN, log(NaN) = NaN, log(+inf) = +inf.
 * Worst error against the exact value (a double-double reference checked against BigDecimal):
 * {@value #MEASURED_WORST_ULP} ulp of the result, at x = {@value #MEASURED_WORST_AT}, over 15 million random
 * arguments in [1/2, 2) (where it is largest) and 15 million random bit patterns of positive doubles;
 * {@code DoubleLogTest} asserts 0.84 ulp over a dense sample of [1/2, 2), every binade, the subnormals and
 * the neighbourhood of 1.
 */
final class DoubleLog {
    private DoubleLog() {}

    /** The worst error found (30 million random arguments), in ulps of the result, and where. */
    static final double MEASURED_WORST_ULP = 0.8266;
    static final double MEASURED_WORST_AT = 1.3985598050821426;

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    /** The double just below sqrt(1/2): m's bit patterns start here. */
    private static final long SQRT_HALF_BITS = 0x3FE6A09E667F3BCCL;
    private static final long MANTISSA_MASK = 0x000FFFFFFFFFFFFFL;
    private static final double TWO_POW_52 = 0x1p52;
    private static final long TWO_POW_52_BITS = Double.doubleToRawLongBits(TWO_POW_52);
    /** ln 2 in two parts; the high one has 32 significant bits, so that k * LN2_HI is exact for every k. */
    private static final double LN2_HI = 0x1.62e42ffp-1;
    private static final double LN2_LO = -0x1.718432a1b0e26p-35;
    /** P(z) ~ (2 atanh(s) / s - 2) / z, z = s^2 <= 0.02944: minimax for the relative error of log m (Remez). */
    private static final double P0 = 0.6666666666666734;
    private static final double P1 = 0.3999999999941432;
    private static final double P2 = 0.2857142874247489;
    private static final double P3 = 0.22222198563485004;
    private static final double P4 = 0.181835648666708;
    private static final double P5 = 0.15314035835792594;
    private static final double P6 = 0.14796105432238194;

    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Natural logarithm of every lane. */
    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> subnormal = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(TWO_POW_52), subnormal);
        // Adding (bits of 1) - (bits of sqrt(1/2)) carries into the exponent exactly when the mantissa is at least
        // sqrt(2), so k and m come out already reduced to m in [sqrt(1/2), sqrt(2)) with integer operations only.
        LongVector ix = xs.reinterpretAsLongs().add(ONE_BITS - SQRT_HALF_BITS);
        DoubleVector k = ix.lanewise(VectorOperators.LSHR, 52).add(TWO_POW_52_BITS).reinterpretAsDoubles()
                .sub(TWO_POW_52 + 1023).sub(52.0, subnormal);
        DoubleVector m = ix.and(MANTISSA_MASK).add(SQRT_HALF_BITS).reinterpretAsDoubles();
        DoubleVector r = logReduced(k, m);
        VectorMask<Double> regular = x.compare(VectorOperators.GT, 0.0)
                .and(x.compare(VectorOperators.LT, Double.POSITIVE_INFINITY));
        r = r.blend(x, regular.not());                            // +inf, NaN stay; 0 and negatives fixed below
        r = r.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        return r.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0));
    }

    /**
     * log x without a compare, blend or mask, for the kernels' 2-lane form (see {@link Species#DOUBLE_MASKS}),
     * whose callers have checked that every lane lies in [-0, 2^971] ({@link DoubleRange}). There it is
     * {@link #log(DoubleVector)} bit for bit for x > 0, subnormals included, and a finite value below -745 for +-0
     * (where log is -inf), which a clamp at -100 takes to the clamp as it does -inf. How: every lane is scaled by
     * 2^52 (exact in that range) and 52 taken off its exponent, which is what log does to its subnormal lanes only;
     * the abs makes -0 into +0. Negative lanes, NaN and larger ones give meaningless finite values.
     */
    static DoubleVector logNonNegative(DoubleVector x) {
        LongVector ix = x.abs().mul(TWO_POW_52).reinterpretAsLongs().add(ONE_BITS - SQRT_HALF_BITS);
        DoubleVector k = ix.lanewise(VectorOperators.LSHR, 52).add(TWO_POW_52_BITS).reinterpretAsDoubles()
                .sub(TWO_POW_52 + 1023 + 52); // 2^52 + 1075 is exact, and so is the difference
        DoubleVector m = ix.and(MANTISSA_MASK).add(SQRT_HALF_BITS).reinterpretAsDoubles();
        return logReduced(k, m);
    }

    /**
     * log x[xo + i] into out[i] for i < n: whole vectors, then the scalar twin. A pass of its own because the
     * inline log alone takes about 15,000 of the 18,000 nodes C2 inlines into one compilation
     * (NodeCountInliningCutoff, measured with -XX:+LogCompilation); with a kernel's arithmetic in the same loop
     * the budget ran out inside the log, whose vectors were then boxed (about 25 KB per call, measured by the
     * allocation tests). Taking arrays, this pass boxes nothing even where C2 does not inline it.
     */
    static void logInto(double[] x, int xo, int n, double[] out) {
        int i = 0;
        for (int upper = D.loopBound(n); i < upper; i += D.length()) {
            log(DoubleVector.fromArray(D, x, xo + i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = log(x[xo + i]);
        }
    }

    /** The same steps for one double (same constants, same order): the lanes' bits. */
    static double log(double x) {
        if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
            return x == 0 ? Double.NEGATIVE_INFINITY : x < 0 ? Double.NaN : x; // +inf and NaN stay
        }
        boolean subnormal = x < Double.MIN_NORMAL;
        double xs = subnormal ? x * TWO_POW_52 : x;
        long ix = Double.doubleToRawLongBits(xs) + (ONE_BITS - SQRT_HALF_BITS);
        double k = Double.longBitsToDouble((ix >>> 52) + TWO_POW_52_BITS) - (TWO_POW_52 + 1023);
        if (subnormal) {
            k -= 52.0;
        }
        double m = Double.longBitsToDouble((ix & MANTISSA_MASK) + SQRT_HALF_BITS);
        return logReduced(k, m);
    }

    /**
     * k ln 2 + log m for m in [sqrt(1/2), sqrt(2)): the part after the reduction, in a method of its own because
     * C2 inlines a hot method only up to 325 bytes of bytecode: {@link #log(DoubleVector)} in one piece had 366, was
     * compiled out of line and boxed its vectors (20-40 KB per loss call, measured by the allocation tests).
     */
    static DoubleVector logReduced(DoubleVector k, DoubleVector m) {
        DoubleVector f = m.sub(1.0);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector p = z.fma(P6, P5);
        p = p.fma(z, DoubleVector.broadcast(D, P4));
        p = p.fma(z, DoubleVector.broadcast(D, P3));
        p = p.fma(z, DoubleVector.broadcast(D, P2));
        p = p.fma(z, DoubleVector.broadcast(D, P1));
        p = p.fma(z, DoubleVector.broadcast(D, P0));
        // log m + k ln2_lo = f - (hfsq - (s (hfsq + R) + k ln2_lo)); k ln2_hi (exact) is added in the last rounding
        DoubleVector small = s.fma(hfsq.add(z.mul(p)), k.mul(LN2_LO));
        return k.fma(DoubleVector.broadcast(D, LN2_HI), f.sub(hfsq.sub(small)));
    }

    /** The scalar twin of {@link #logReduced(DoubleVector, DoubleVector)}: same constants, same order. */
    static double logReduced(double k, double m) {
        double f = m - 1.0;
        double hfsq = f * 0.5 * f;
        double s = f / (f + 2.0);
        double z = s * s;
        double p = Math.fma(z, P6, P5);
        p = Math.fma(p, z, P4);
        p = Math.fma(p, z, P3);
        p = Math.fma(p, z, P2);
        p = Math.fma(p, z, P1);
        p = Math.fma(p, z, P0);
        double small = Math.fma(s, hfsq + z * p, k * LN2_LO);
        return Math.fma(k, LN2_HI, f - (hfsq - small));
    }
}
