package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DoubleExpWide#exp} against the double-double {@link DoubleReference} over a dense sample of
 * [-746, 710] (both signs, gradual underflow, overflow): normal results within {@link DoubleExpTest#MAX_ULP}
 * (they are {@link DoubleExp}'s bits), subnormal ones within one subnormal step, +inf exactly where e^z
 * rounds above Double.MAX_VALUE; and the special values. (The lanes give the twin's bits:
 * DoubleMathLanesCrossCheckTest, at every width.)
 */
class DoubleExpWideTest {

    private static final double MAX_SUBNORMAL_STEPS = 1.0;

    private static double[] sample(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] z = new double[n];
        double step = 1456.0 / n;
        for (int i = 0; i < n; i++) {
            z[i] = -746 + (i + rnd.nextDouble()) * step;
        }
        return z;
    }

    @Test
    void scalarTwinOverTheWholeRange() {
        double worst = 0, worstAt = 0, worstSteps = 0;
        for (double z : sample(2_000_000, 3)) {
            double got = DoubleExpWide.exp(z);
            double err = DoubleReference.expErrorUlps(got, z);
            if (got < Double.MIN_NORMAL) {
                worstSteps = Math.max(worstSteps, err); // a subnormal's ulp is the step Double.MIN_VALUE
            } else if (err > worst) {
                worst = err;
                worstAt = z;
            }
            if (z <= 0 && got >= Double.MIN_NORMAL) {
                assertEquals(Double.doubleToRawLongBits(DoubleExp.expNonPositive(z)), Double.doubleToRawLongBits(got),
                        "normal results are DoubleExp's: exp(" + z + ")");
            }
        }
        System.out.printf("DoubleExpWide over [-746, 710]: worst %.4f ulp (normal results) at %s, %.4f subnormal"
                + " steps%n", worst, worstAt, worstSteps);
        assertTrue(worst <= DoubleExpTest.MAX_ULP, "worst " + worst + " ulp at " + worstAt);
        assertTrue(worstSteps <= MAX_SUBNORMAL_STEPS, "subnormal error " + worstSteps + " steps");
    }

    @Test
    void specialValuesAndTheEndsOfTheRange() {
        assertEquals(1.0, DoubleExpWide.exp(0.0));
        assertEquals(Math.E, DoubleExpWide.exp(1.0), Math.ulp(Math.E));
        assertEquals(Double.POSITIVE_INFINITY, DoubleExpWide.exp(Double.POSITIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, DoubleExpWide.exp(1e300));
        assertTrue(Double.isNaN(DoubleExpWide.exp(Double.NaN)));
        for (double z : new double[] {Double.NEGATIVE_INFINITY, -1e300, -746, DoubleExpWide.LOW, -745.2}) {
            assertEquals(0L, Double.doubleToRawLongBits(DoubleExpWide.exp(z)), "exp(" + z + ") must be +0");
        }
        assertEquals(Double.MIN_VALUE, DoubleExpWide.exp(-745.0), "e^-745 = 4.9e-324 (the smallest subnormal)");
        // ln(Double.MAX_VALUE) = 709.78271289338399678...: the doubles on either side overflow as the exact value does
        for (double z = 709.78271289338; z < 709.7827128934; z = Math.nextUp(z)) {
            double got = DoubleExpWide.exp(z);
            assertTrue(DoubleReference.expErrorUlps(got, z) <= DoubleExpTest.MAX_ULP, "exp(" + z + ") = " + got);
        }
    }
}
