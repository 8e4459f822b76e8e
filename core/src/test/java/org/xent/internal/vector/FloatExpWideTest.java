package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Measures {@link FloatExpWide} against {@link Math#exp} in double over a dense sample of [-104, 89] (both signs,
 * overflow and gradual underflow). Measured: max 1.0 ulp where the result is a normal float; results in the
 * subnormal range within one subnormal step; overflow to +inf exactly where e^z exceeds Float.MAX_VALUE.
 */
class FloatExpWideTest {

    private static float exp(float z) {
        float[] one = new float[Species.FLOAT.length()];
        java.util.Arrays.fill(one, z);
        return FloatExpWide.exp(FloatVector.fromArray(Species.FLOAT, one, 0)).lane(0);
    }

    @Test
    void accuracyOverTheWholeRange() {
        int n = Species.FLOAT.length();
        float[] x = new float[n];
        float[] y = new float[n];
        double maxUlp = 0;
        double maxSubnormalSteps = 0;
        for (float z0 = -104f; z0 < 89f; z0 += n * 1.7e-4f) {
            for (int i = 0; i < n; i++) {
                x[i] = z0 + i * 1.7e-4f;
            }
            FloatExpWide.exp(FloatVector.fromArray(Species.FLOAT, x, 0)).intoArray(y, 0);
            for (int i = 0; i < n; i++) {
                double exact = Math.exp(x[i]);
                if (exact > Float.MAX_VALUE) {
                    if ((float) exact == Float.POSITIVE_INFINITY) {
                        assertEquals(Float.POSITIVE_INFINITY, y[i], "exp(" + x[i] + ")");
                    }
                    continue;
                }
                if (exact < Float.MIN_NORMAL) {
                    maxSubnormalSteps = Math.max(maxSubnormalSteps, Math.abs(y[i] - exact) / Float.MIN_VALUE);
                } else {
                    maxUlp = Math.max(maxUlp, Math.abs(y[i] - exact) / Math.ulp((float) exact));
                }
            }
        }
        System.out.printf("FloatExpWide: max %.3f ulp (normal results), %.3f subnormal steps%n", maxUlp, maxSubnormalSteps);
        assertTrue(maxUlp <= 1.1, "ulp error " + maxUlp);
        assertTrue(maxSubnormalSteps <= 1.0, "subnormal error " + maxSubnormalSteps);
    }

    @Test
    void specialValues() {
        assertEquals(1f, exp(0f));
        assertEquals(0f, exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, exp(1000f));
        assertTrue(Float.isNaN(exp(Float.NaN)));
        float nearMax = 88.7f; // e^88.7 = 3.32e38 < Float.MAX_VALUE: must stay finite
        assertEquals((float) Math.exp(nearMax), exp(nearMax), 2 * Math.ulp((float) Math.exp(nearMax)));
    }
}
