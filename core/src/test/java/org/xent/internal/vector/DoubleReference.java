package org.xent.internal.vector;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Reference values of e^x and log x accurate to about 2^-100 relative, fast enough for millions of samples, to
 * measure the float64 kernels' exp and log in ulps: double-double arithmetic (a value is an unevaluated sum
 * hi + lo of two doubles), with ln 2 in three parts. {@code DoubleReferenceTest} checks these against BigDecimal
 * series ({@link #expBig}, {@link #logBig}) at 60 digits.
 */
final class DoubleReference {
    private DoubleReference() {}

    private static final double LN2_1 = 0x1.62e42fefa39efp-1;
    private static final double LN2_2 = 0x1.abc9e3b39803fp-56;
    private static final double LN2_3 = 0x1.7b57a079a1934p-111;
    private static final double[][] INV_FACTORIAL = new double[12][];
    private static final double[][] INV_ODD = new double[30][];

    static {
        double factorial = 1;
        for (int k = 0; k < INV_FACTORIAL.length; k++) {
            factorial *= Math.max(k, 1); // exact: k! < 2^53 for k < 19
            INV_FACTORIAL[k] = div(1, 0, factorial, 0);
        }
        for (int k = 0; k < INV_ODD.length; k++) {
            INV_ODD[k] = div(1, 0, 2 * k + 1, 0);
        }
    }

    // ------------------------------------------------------------------ double-double arithmetic

    private static double[] twoSum(double a, double b) {
        double s = a + b;
        double bb = s - a;
        return new double[] {s, (a - (s - bb)) + (b - bb)};
    }

    private static double[] fastTwoSum(double a, double b) {
        double s = a + b;
        return new double[] {s, b - (s - a)};
    }

    static double[] add(double ah, double al, double bh, double bl) {
        double[] s = twoSum(ah, bh);
        double[] t = twoSum(al, bl);
        double[] u = fastTwoSum(s[0], s[1] + t[0]);
        return fastTwoSum(u[0], u[1] + t[1]);
    }

    static double[] mul(double ah, double al, double bh, double bl) {
        double p = ah * bh;
        double e = Math.fma(ah, bh, -p);
        e += ah * bl + al * bh;
        return fastTwoSum(p, e);
    }

    static double[] div(double ah, double al, double bh, double bl) {
        double q1 = ah / bh;
        double[] p1 = mul(q1, 0, bh, bl);
        double[] r = add(ah, al, -p1[0], -p1[1]);
        double q2 = r[0] / bh;
        double[] p2 = mul(q2, 0, bh, bl);
        r = add(r[0], r[1], -p2[0], -p2[1]);
        double q3 = r[0] / bh;
        double[] q = fastTwoSum(q1, q2);
        return add(q[0], q[1], q3, 0);
    }

    // ------------------------------------------------------------------ exp

    /**
     * e^x as {hi, lo, n}: e^x = (hi + lo) 2^n with hi in [0.7, 1.42], so that results far outside the double
     * range (and subnormal ones) keep full relative precision. For |x| up to about 1000.
     */
    static double[] exp(double x) {
        double n = Math.rint(x * 1.4426950408889634);
        double[] p = mul(n, 0, LN2_1, 0);
        double[] r = add(x, 0, -p[0], -p[1]);
        double[] p2 = mul(n, 0, LN2_2, 0);
        r = add(r[0], r[1], -p2[0], -p2[1]);
        r = add(r[0], r[1], -n * LN2_3, 0);
        // e^r = (e^(r / 1024))^1024: a degree-11 Taylor series for |r / 1024| < 3.4e-4, then 10 squarings
        double rh = r[0] / 1024, rl = r[1] / 1024;
        double[] acc = INV_FACTORIAL[11];
        for (int k = 10; k >= 1; k--) {
            acc = mul(acc[0], acc[1], rh, rl);
            acc = add(acc[0], acc[1], INV_FACTORIAL[k][0], INV_FACTORIAL[k][1]);
        }
        double[] em1 = mul(acc[0], acc[1], rh, rl); // e^(r/1024) - 1
        for (int i = 0; i < 10; i++) {
            double[] twoPlus = add(2, 0, em1[0], em1[1]);
            em1 = mul(em1[0], em1[1], twoPlus[0], twoPlus[1]); // (1 + u)^2 - 1 = u (2 + u)
        }
        double[] e = add(1, 0, em1[0], em1[1]);
        return new double[] {e[0], e[1], n};
    }

    /**
     * Error of {@code got} against e^x in ulps of the exact result (a subnormal result's ulp is
     * Double.MIN_VALUE); infinite if got is infinite but e^x is not, or the other way round.
     */
    static double expErrorUlps(double got, double x) {
        double[] e = exp(x);
        int n = (int) e[2];
        double ulpScaled = Math.max(Math.ulp(e[0]), Math.scalb(Double.MIN_VALUE, -n));
        boolean overflows = Double.isInfinite(Math.scalb(e[0], n)); // hi 2^n is exact unless it overflows
        if (Double.isInfinite(got) || overflows) {
            return Double.isInfinite(got) == overflows ? 0 : Double.POSITIVE_INFINITY;
        }
        double scaled = Math.scalb(got, -n); // exact: a power-of-two scaling into the normal range
        return Math.abs((scaled - e[0]) - e[1]) / ulpScaled;
    }

    // ------------------------------------------------------------------ log

    /** log x as {hi, lo} for finite x > 0. */
    static double[] log(double x) {
        int k = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;
            k = -54;
        }
        k += Math.getExponent(x);
        double m = Math.scalb(x, -Math.getExponent(x));
        if (m > Math.sqrt(2)) {
            m /= 2;
            k++;
        }
        double f = m - 1; // exact (Sterbenz)
        double[] den = twoSum(2, f);
        double[] s = div(f, 0, den[0], den[1]);
        double[] z = mul(s[0], s[1], s[0], s[1]);
        // log m = 2 s (1 + z/3 + z^2/5 + ...), z <= 0.0295: 30 terms reach far below 2^-110
        double[] acc = INV_ODD[INV_ODD.length - 1];
        for (int j = INV_ODD.length - 2; j >= 0; j--) {
            acc = mul(acc[0], acc[1], z[0], z[1]);
            acc = add(acc[0], acc[1], INV_ODD[j][0], INV_ODD[j][1]);
        }
        double[] logm = mul(2 * s[0], 2 * s[1], acc[0], acc[1]);
        double[] kl = mul(k, 0, LN2_1, 0);
        kl = add(kl[0], kl[1], k * LN2_2, 0);
        kl = add(kl[0], kl[1], k * LN2_3, 0);
        return add(kl[0], kl[1], logm[0], logm[1]);
    }

    /** Error of {@code got} against log x in ulps of the exact result (finite x > 0, x != 1). */
    static double logErrorUlps(double got, double x) {
        double[] l = log(x);
        return Math.abs((got - l[0]) - l[1]) / Math.ulp(l[0]);
    }

    // ------------------------------------------------------------------ BigDecimal, to check the above

    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    private static final BigDecimal LN2_BIG = ln2();

    private static BigDecimal ln2() {
        // ln 2 = 2 atanh(1/3)
        BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), MC);
        return atanh(third).multiply(BigDecimal.valueOf(2), MC);
    }

    private static BigDecimal atanh(BigDecimal s) {
        BigDecimal s2 = s.multiply(s, MC);
        BigDecimal power = s;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(70);
        for (int k = 0; power.abs().compareTo(eps) > 0; k++) {
            sum = sum.add(power.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
            power = power.multiply(s2, MC);
        }
        return sum;
    }

    private static BigDecimal pow2(int n) {
        return n >= 0 ? new BigDecimal(java.math.BigInteger.ONE.shiftLeft(n))
                : BigDecimal.ONE.divide(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(-n)));
    }

    /** e^x in BigDecimal (60 digits), as e^r 2^n with r = x - n ln 2 and a Taylor series. */
    static BigDecimal expBig(double x) {
        int n = (int) Math.rint(x * 1.4426950408889634);
        BigDecimal r = new BigDecimal(x).subtract(LN2_BIG.multiply(BigDecimal.valueOf(n), MC), MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(70);
        for (int k = 1; term.abs().compareTo(eps) > 0; k++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        return sum.multiply(pow2(n), MC);
    }

    /** log x in BigDecimal (60 digits), as k ln 2 + 2 atanh((m - 1) / (m + 1)). */
    static BigDecimal logBig(double x) {
        BigDecimal v = new BigDecimal(x);
        int k = Math.getExponent(x) < Double.MIN_EXPONENT ? -1074 + 63 - Long.numberOfLeadingZeros(
                Double.doubleToRawLongBits(x)) : Math.getExponent(x);
        BigDecimal m = v.multiply(pow2(-k), MC); // in [1, 2)
        BigDecimal s = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC);
        return LN2_BIG.multiply(BigDecimal.valueOf(k), MC).add(atanh(s).multiply(BigDecimal.valueOf(2), MC), MC);
    }

    /** The reference as a BigDecimal, to compare with {@link #expBig} and {@link #logBig}. */
    static BigDecimal big(double hi, double lo, int n) {
        return new BigDecimal(hi).add(new BigDecimal(lo)).multiply(pow2(n), MC);
    }
}
