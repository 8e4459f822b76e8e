package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DoubleLog#log} against the double-double {@link DoubleReference}: the scalar twin over a dense sample
 * of [1/2, 2) (where k is 0 or -1 and the error is largest), every binade, the subnormals and the neighbourhood
 * of 1, and the special values of {@link Math#log}. The bound asserted is the worst measured error that the
 * class documents, rounded up. (The lanes give the twin's bits: DoubleMathLanesCrossCheckTest, at every width.)
 */
class DoubleLogTest {

    /** Measured: 0.824 ulp over this test's sample, 0.827 over 30 million arguments (DoubleLog.MEASURED_WORST_ULP). */
    private static final double MAX_ULP = 0.84;

    private static double[] sample(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int dense = 1_500_000, binades = 2046 * 200, subnormals = 100_000, nearOne = 4 * 2000 + 2 * 52;
        double[] x = new double[dense + binades + subnormals + nearOne];
        int i = 0;
        for (int j = 0; j < dense; j++) {
            x[i++] = 0.5 + 1.5 * (j + rnd.nextDouble()) / dense;
        }
        for (int e = Double.MIN_EXPONENT; e <= Double.MAX_EXPONENT; e++) {
            for (int j = 0; j < 200; j++) {
                x[i++] = Math.scalb(1 + rnd.nextDouble(), e);
            }
        }
        for (int j = 0; j < subnormals; j++) {
            x[i++] = Double.longBitsToDouble(rnd.nextLong(1, 1L << 52));
        }
        for (int k = 1; k <= 2000; k++) {
            x[i++] = 1 + k * Math.ulp(1.0);
            x[i++] = 1 - k * Math.ulp(1.0) / 2;
            x[i++] = 1 + k * 1e-9 * rnd.nextDouble();
            x[i++] = 1 - k * 1e-9 * rnd.nextDouble();
        }
        for (int k = 1; k <= 52; k++) {
            x[i++] = 1 + Math.scalb(1.0, -k);
            x[i++] = 1 - Math.scalb(1.0, -k - 1);
        }
        return x;
    }

    @Test
    void scalarTwinIsWithinTheDocumentedError() {
        double worst = 0, worstAt = 0;
        for (double v : sample(11)) {
            if (v == 1) {
                continue;
            }
            double err = DoubleReference.logErrorUlps(DoubleLog.log(v), v);
            if (err > worst) {
                worst = err;
                worstAt = v;
            }
        }
        System.out.printf("DoubleLog: worst %.4f ulp at %s%n", worst, worstAt);
        assertTrue(worst <= MAX_ULP, "worst error " + worst + " ulp at " + worstAt + " exceeds " + MAX_ULP);
        assertTrue(DoubleLog.MEASURED_WORST_ULP <= MAX_ULP, "the documented worst must be within the bound");
    }

    @Test
    void theDocumentedWorstCaseIsReproduced() {
        double x = DoubleLog.MEASURED_WORST_AT;
        assertEquals(DoubleLog.MEASURED_WORST_ULP, DoubleReference.logErrorUlps(DoubleLog.log(x), x), 5e-4);
    }

    @Test
    void specialValuesAsMathLog() {
        double[] x = {0.0, -0.0, -1.0, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.NaN,
            Double.POSITIVE_INFINITY, 1.0, Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
            Double.MAX_VALUE, 2.0, 0.5, Math.E};
        for (double v : x) {
            double expected = Math.log(v);
            double got = DoubleLog.log(v);
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                assertEquals(expected, got, "log(" + v + ")");
            } else {
                assertTrue(DoubleReference.logErrorUlps(got, v) <= MAX_ULP, "log(" + v + ") = " + got);
            }
        }
        assertEquals(0L, Double.doubleToRawLongBits(DoubleLog.log(1.0)), "log(1) = +0");
    }

    /**
     * {@link DoubleLog#logNonNegative}, the 2-lane kernels' form without compare or blend: bit for bit the full log
     * on every lane in (0, 2^971] (this test's sample of every binade and the subnormals, plus both ends), and a
     * finite value below -745 for +0 and -0, which the kernels' clamp at -100 takes to -100 as it does -inf.
     */
    @Test
    void nonNegativeVariantMatchesTheFullLogInItsRange() {
        var species = Species.DOUBLE;
        int lanes = species.length();
        double[] x = sample(7);
        double[] in = new double[lanes];
        double[] full = new double[lanes];
        double[] lean = new double[lanes];
        double[] ends = {Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 0x1p971, 1.0,
                Math.nextDown(1.0), 0.0, -0.0};
        int checked = 0;
        for (int start = -ends.length; start < x.length; start += lanes) {
            for (int j = 0; j < lanes; j++) {
                int k = start + j;
                double v = k < 0 ? ends[k + ends.length] : x[Math.min(k, x.length - 1)];
                in[j] = v > 0x1p971 ? 1.0 : v; // the sample's top binades lie above the range
            }
            DoubleLog.log(jdk.incubator.vector.DoubleVector.fromArray(species, in, 0)).intoArray(full, 0);
            DoubleLog.logNonNegative(jdk.incubator.vector.DoubleVector.fromArray(species, in, 0)).intoArray(lean, 0);
            for (int j = 0; j < lanes; j++) {
                if (in[j] == 0) {
                    assertTrue(lean[j] < -745 && lean[j] > -800, "log(" + in[j] + ") lean " + lean[j]);
                } else {
                    assertEquals(Double.doubleToRawLongBits(full[j]), Double.doubleToRawLongBits(lean[j]),
                            "log(" + in[j] + "): full " + full[j] + ", lean " + lean[j]);
                }
                checked++;
            }
        }
        assertTrue(checked > 2_000_000, "checked " + checked);
    }
}
