package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DoubleExp#expNonPositive} against the double-double {@link DoubleReference}: the scalar twin over a
 * dense sample of [-708.39, 0] (where results are normal) and of every binade of tiny arguments, and the special
 * values. The bound asserted is the worst measured error that the class documents, rounded up. (The lanes give
 * the twin's bits: DoubleMathLanesCrossCheckTest, at every width.)
 */
class DoubleExpTest {

    /**
     * Measured: 0.880 ulp over this test's sample, 0.885 over 15 million arguments (DoubleExp.MEASURED_WORST_ULP),
     * 0.891 for the wide form's positive arguments; without the correction term c it was 1.03.
     */
    static final double MAX_ULP = 0.9;
    /** Where results stop being normal: e^z >= 2^-1022 above this. */
    static final double LOWEST_NORMAL = -708.3964185322641;

    /** Dense sample: a grid of [LOWEST_NORMAL, 0] with random jitter, then z = -2^-k (1 + u) for every k. */
    static double[] sample(int gridPoints, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int tiny = 1074 * 20;
        double[] z = new double[gridPoints + tiny];
        double step = -LOWEST_NORMAL / gridPoints;
        for (int i = 0; i < gridPoints; i++) {
            z[i] = Math.max(LOWEST_NORMAL, -(i + rnd.nextDouble()) * step);
        }
        for (int k = 1, i = gridPoints; k <= 1074; k++) {
            for (int j = 0; j < 20; j++) {
                z[i++] = -Math.scalb(1 + rnd.nextDouble(), -k);
            }
        }
        return z;
    }

    @Test
    void scalarTwinIsWithinTheDocumentedErrorOverADenseSample() {
        double[] z = sample(2_000_000, 7);
        double worst = 0, worstAt = 0;
        for (double v : z) {
            double err = DoubleReference.expErrorUlps(DoubleExp.expNonPositive(v), v);
            if (err > worst) {
                worst = err;
                worstAt = v;
            }
        }
        System.out.printf("DoubleExp over %d arguments in [%s, 0]: worst %.4f ulp at %s%n", z.length, LOWEST_NORMAL,
                worst, worstAt);
        assertTrue(worst <= MAX_ULP, "worst error " + worst + " ulp at " + worstAt + " exceeds " + MAX_ULP);
        assertTrue(DoubleExp.MEASURED_WORST_ULP <= MAX_ULP, "the documented worst must be within the bound");
    }

    @Test
    void theDocumentedWorstCaseIsReproduced() {
        double z = DoubleExp.MEASURED_WORST_AT;
        double err = DoubleReference.expErrorUlps(DoubleExp.expNonPositive(z), z);
        assertEquals(DoubleExp.MEASURED_WORST_ULP, err, 5e-4, "exp(" + z + ")");
    }

    @Test
    void specialValues() {
        assertEquals(1.0, DoubleExp.expNonPositive(0.0));
        assertEquals(1.0, DoubleExp.expNonPositive(-0.0));
        assertEquals(1.0, DoubleExp.expNonPositive(-Double.MIN_VALUE));
        assertEquals(Math.nextDown(1.0), DoubleExp.expNonPositive(-0x1p-53), "e^-2^-53 rounds to 1 - 2^-53");
        assertTrue(Double.isNaN(DoubleExp.expNonPositive(Double.NaN)));
        double[] zero = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1e300, -1000, -746, DoubleExp.FLOOR,
                Math.nextDown(DoubleExp.FLOOR), -708.75};
        for (double z : zero) {
            assertEquals(0L, Double.doubleToRawLongBits(DoubleExp.expNonPositive(z)), "exp(" + z + ") must be +0");
        }
        // the subnormal stretch the single rounding still gets right: within one step of the exact value
        for (double z = -708.74; z < LOWEST_NORMAL; z += 0.01) {
            double got = DoubleExp.expNonPositive(z);
            assertTrue(got > 0 && got < Double.MIN_NORMAL, "exp(" + z + ") = " + got);
            assertTrue(DoubleReference.expErrorUlps(got, z) <= 1, "exp(" + z + ") = " + got);
        }
        assertTrue(DoubleExp.expNonPositive(LOWEST_NORMAL) >= Double.MIN_NORMAL);
    }
}
