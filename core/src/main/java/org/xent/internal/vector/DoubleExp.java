package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An inline exp for double lanes holding values <= 0 (a logit minus its row max), and its scalar twin.
 *
 * <p>Why not {@code lanewise(EXP)}: with 2 double lanes (128-bit vectors, as on NEON or with
 * {@code -XX:MaxVectorSize=16}) the JDK has no intrinsic for it and runs Java code that allocates (100-300 KB per
 * loss call, measured by the allocation tests) and is slower than a scalar loop; at 256 and 512 bits it is a call
 * into a stub around which C2 spills every live vector register (see {@link FloatExp}); and its interpreted
 * form (Math.exp per lane) differs in the last bit from the stub, so a result depended on the JIT tier that
 * computed it. This is straight-line code that gives the same bits in every tier, at every lane count, and in
 * the scalar twin {@link #expNonPositive(double)} that the kernels use for their tails.
 *
 * <p>Method: n = round(z log2 e) by the magic-number addition, so z = n ln 2 + r with |r| <= ln2/2; r in two
 * fma steps (Cody-Waite: the first is exact because the exact difference fits in a double, the second adds
 * the low part of ln 2); e^r - 1 = r + r^2 q(r) with q a degree-9 minimax polynomial (relative error of e^r
 * 7.7e-18, 0.07 ulp, over |r| <= ln2/2; no table, so nothing depends on the lane count); the result is
 * {@code fma(s, 2^n, 2^n)} with s = e^r - 1, which rounds only once, at the end, and 2^n is built by adding n to
 * the exponent bits. Worst error against the exact value (a double-double reference checked against
 * BigDecimal): {@value #MEASURED_WORST_ULP} ulp, at z = {@value #MEASURED_WORST_AT}, over 15 million random
 * arguments in [-708.39, 0] and 54,000 tiny ones (every binade); {@code DoubleExpTest} asserts 0.9 ulp over 2
 * million. Without the term c (r's rounding error, added back for 3 more operations) it was 1.03 ulp.
 *
 * <p>Range: results are normal for z >= -708.39 (e^z >= 2^-1022); between -708.74 and -708.39 they are the
 * subnormals that the single rounding of the fma gives (correctly rounded up to the error of s); at or below
 * -708.74 (where e^z < 2^-1022.5, under 1.2e-308) the result is exactly +0, because z is clamped to
 * {@link #FLOOR}, where n = -1023 and the scale's bits are all zero: a masked class (logit -inf) keeps a zero
 * probability and gradient. NaN gives NaN. Positive inputs are outside the contract (see {@link DoubleExpWide}).
 *
 * <p>Kept small and static so that C2 inlines it into the kernel loops: each method stays under the 325 bytes of
 * bytecode up to which C2 inlines a hot method (a larger one is compiled out of line, and its vectors are boxed
 * at every call, as {@link DoubleLog} measured). The allocation tests (in JVMs of their own, at every vector
 * width) check that no float64 loss call boxes a vector.
 */
final class DoubleExp {
    private DoubleExp() {}

    /** The worst error found (15 million random arguments in [-708.39, 0]), in ulps of the result, and where. */
    static final double MEASURED_WORST_ULP = 0.8854;
    static final double MEASURED_WORST_AT = -240.13610341054093;

    /** Inputs below this are clamped up to it; its n is -1023, whose scale 2^n built from bits is +0. */
    static final double FLOOR = -709.0;
    /** log2 e. */
    static final double LOG2E = 1.4426950408889634;
    /** 1.5 * 2^52: adding it rounds to an integer, held in the low bits of the sum's bit pattern. */
    static final double MAGIC = 0x1.8p52;
    /** ln 2 rounded to double, and the rest: n * LN2_HI needs no rounding inside the fma. */
    static final double LN2_HI = 0x1.62e42fefa39efp-1;
    static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    /** Exponent bias; (bits of MAGIC + n + BIAS) << 52 is the bit pattern of 2^n (MAGIC's bits shift out). */
    static final long BIAS = 1023;

    /** q(r) ~ (e^r - 1 - r) / r^2 on |r| <= ln2/2: minimax for the relative error of e^r (Remez, 7.7e-18). */
    static final double Q0 = 0.500000000000001;
    static final double Q1 = 0.16666666666666674;
    static final double Q2 = 0.04166666666652199;
    static final double Q3 = 0.008333333333322207;
    static final double Q4 = 0.0013888888947820891;
    static final double Q5 = 0.00019841269886591;
    static final double Q6 = 2.4801487326012343e-05;
    static final double Q7 = 2.755724233668041e-06;
    static final double Q8 = 2.7632655759330083e-07;
    static final double Q9 = 2.511004989583968e-08;

    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** e^z for every lane; lanes must be <= 0 or NaN. */
    static DoubleVector expNonPositive(DoubleVector z) {
        // max rather than compare + blend: with 2 double lanes this JDK has no intrinsic for double compare and
        // blend, and the exp measured 35 ns per element instead of 1.1 (max keeps NaN, as Math.max does)
        DoubleVector zc = z.max(FLOOR);
        DoubleVector t = zc.fma(LOG2E, MAGIC);
        DoubleVector s = expm1Reduced(zc, t);
        DoubleVector scale = t.reinterpretAsLongs().add(BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return s.fma(scale, scale);
    }

    /** The same steps for one double: a kernel's tail then gives its lanes' bits. */
    static double expNonPositive(double z) {
        double zc = Math.max(z, FLOOR); // NaN stays NaN
        double t = Math.fma(zc, LOG2E, MAGIC);
        double s = expm1Reduced(zc, t);
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + BIAS) << 52);
        return Math.fma(s, scale, scale);
    }

    /**
     * e^r - 1 where r = z - n ln 2 and t = MAGIC + n: the part both exp forms share (the other is how they clamp
     * and scale). Small enough that C2 inlines it into its callers even once compiled on its own.
     */
    static DoubleVector expm1Reduced(DoubleVector z, DoubleVector t) {
        DoubleVector n = t.sub(MAGIC);
        DoubleVector r1 = n.fma(DoubleVector.broadcast(D, -LN2_HI), z);
        DoubleVector r = n.fma(DoubleVector.broadcast(D, -LN2_LO), r1);
        // c: the rounding error of r, added back below (worst error 1.03 ulp without it, 0.87 with)
        DoubleVector c = n.fma(DoubleVector.broadcast(D, -LN2_LO), r1.sub(r));
        DoubleVector q = r.fma(Q9, Q8);
        q = q.fma(r, DoubleVector.broadcast(D, Q7));
        q = q.fma(r, DoubleVector.broadcast(D, Q6));
        q = q.fma(r, DoubleVector.broadcast(D, Q5));
        q = q.fma(r, DoubleVector.broadcast(D, Q4));
        q = q.fma(r, DoubleVector.broadcast(D, Q3));
        q = q.fma(r, DoubleVector.broadcast(D, Q2));
        q = q.fma(r, DoubleVector.broadcast(D, Q1));
        q = q.fma(r, DoubleVector.broadcast(D, Q0));
        return r.mul(r).fma(q, c).add(r);
    }

    /** The scalar twin of {@link #expm1Reduced(DoubleVector, DoubleVector)}: same constants, same order. */
    static double expm1Reduced(double z, double t) {
        double n = t - MAGIC;
        double r1 = Math.fma(n, -LN2_HI, z);
        double r = Math.fma(n, -LN2_LO, r1);
        double c = Math.fma(n, -LN2_LO, r1 - r);
        double q = Math.fma(r, Q9, Q8);
        q = Math.fma(q, r, Q7);
        q = Math.fma(q, r, Q6);
        q = Math.fma(q, r, Q5);
        q = Math.fma(q, r, Q4);
        q = Math.fma(q, r, Q3);
        q = Math.fma(q, r, Q2);
        q = Math.fma(q, r, Q1);
        q = Math.fma(q, r, Q0);
        return r + Math.fma(r * r, q, c);
    }
}
