package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares one computed value with a float64 reference: non-finite values must match exactly (NaN where NaN,
 * the same infinity), finite ones are measured as |actual - expected| / scale, where the caller's scale is the
 * unit roundoff times a condition-like magnitude of that value. Keeps the largest ratio seen so a test can print
 * its measured error next to the bound it asserts.
 */
final class ErrorRatio {
    static final double EPS32 = Math.ulp(1f);
    static final double EPS64 = Math.ulp(1.0);

    private final String name;
    private final double bound;
    private double max;

    ErrorRatio(String name, double bound) {
        this.name = name;
        this.bound = bound;
    }

    void check(String where, double expected, double actual, double scale) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), () -> name + " " + where + ": expected NaN, got " + actual);
            return;
        }
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, () -> name + " " + where);
            return;
        }
        assertTrue(Double.isFinite(actual), () -> name + " " + where + ": expected " + expected + ", got " + actual);
        double err = Math.abs(actual - expected);
        if (err == 0) {
            return;
        }
        double ratio = err / scale;
        max = Math.max(max, ratio);
        assertTrue(ratio <= bound, () -> name + " " + where + ": expected " + expected + ", got " + actual
                + ", error " + err + " = " + ratio + " x scale " + scale + " > bound " + bound);
    }

    /**
     * As {@link #check} for a float32 result: an expected value beyond the float range must come out as the
     * infinity it rounds to (the exact value is not representable).
     */
    void check32(String where, double expected, double actual, double scale) {
        if (Math.abs(expected) > Float.MAX_VALUE && Double.isFinite(expected)) {
            expected = (float) expected;
        }
        check(where, expected, actual, scale);
    }

    double max() {
        return max;
    }

    @Override
    public String toString() {
        return String.format("%s: max error %.3g x scale (bound %.3g)", name, max, bound);
    }
}
