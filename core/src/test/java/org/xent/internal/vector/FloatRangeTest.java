package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatRange#allWithin} against the plain comparison {@code lo <= v && v <= hi}, for every slice length up
 * to a few vectors and every position of one value at either side of the range, at this JVM's width.
 */
class FloatRangeTest {

    private static final float[] OUTSIDE_NORMAL = {0f, -0f, Float.MIN_VALUE, Math.nextDown(Float.MIN_NORMAL), -1f,
            -Float.MIN_NORMAL, Float.NaN, Float.intBitsToFloat(0xFFC00000), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Math.nextUp(1f), 2f};
    private static final float[] INSIDE = {Float.MIN_NORMAL, 1f, 0.5f, Math.nextDown(1f), 1e-30f};

    @Test
    void agreesWithTheComparisonAtEveryLengthAndPosition() {
        Random rnd = new Random(11);
        int lanes = Species.FLOAT.length();
        for (int n = 0; n <= 3 * lanes + 1; n++) {
            float[] x = new float[n + 2];
            for (int pos = -1; pos < n; pos++) {
                for (float odd : pos < 0 ? INSIDE : concat(OUTSIDE_NORMAL, INSIDE)) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = Float.MIN_NORMAL + rnd.nextFloat() * (1f - Float.MIN_NORMAL);
                    }
                    x[0] = -1f;           // outside the slice, which starts at 1: must not count
                    x[n + 1] = Float.NaN; // likewise after it
                    if (pos >= 0) {
                        x[1 + pos] = odd;
                    }
                    assertEquals(expected(x, 1, n, Float.MIN_NORMAL, 1f), FloatRange.allWithin(x, 1, n, Float.MIN_NORMAL, 1f),
                            "n=" + n + " value " + odd + " at " + pos);
                }
            }
        }
    }

    @Test
    void anUnboundedTopAcceptsTheLargestFloatButNotInfinity() {
        float[] x = {Float.MAX_VALUE, Float.MIN_NORMAL, 3f, 1e30f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f,
                19f};
        assertEquals(true, FloatRange.allWithin(x, 0, x.length, Float.MIN_NORMAL, Float.MAX_VALUE));
        x[x.length - 1] = Float.POSITIVE_INFINITY;
        assertEquals(false, FloatRange.allWithin(x, 0, x.length, Float.MIN_NORMAL, Float.MAX_VALUE));
        x[x.length - 1] = 1f;
        x[3] = Float.POSITIVE_INFINITY;
        assertEquals(false, FloatRange.allWithin(x, 0, x.length, Float.MIN_NORMAL, Float.MAX_VALUE));
    }

    private static boolean expected(float[] x, int xo, int n, float lo, float hi) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            // -0.0 is below any positive lo, as 0.0 is
            if (!(v >= lo && v <= hi)) {
                return false;
            }
        }
        return true;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
