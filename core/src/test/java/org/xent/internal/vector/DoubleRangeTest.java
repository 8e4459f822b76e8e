package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DoubleRange#allWithin} and {@link DoubleRange#firstOutside} against the plain comparison {@code lo <= v && v <= hi}, for every slice length up
 * to a few vectors and every position of one value at either side of each range the kernels test, at this JVM's
 * width.
 */
class DoubleRangeTest {

    private static final double[] ODD = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, -1.0, Math.nextUp(1.0), 2.0,
            Double.NaN, Double.longBitsToDouble(0xFFF8000000000000L), Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, Double.MAX_VALUE, 0x1p971, Math.nextUp(0x1p971), 1.0};
    /** The ranges the 2-lane kernels test: probabilities, logits above -inf, KL's probability targets. */
    private static final double[][] RANGES = {{0.0, 1.0}, {-Double.MAX_VALUE, Double.POSITIVE_INFINITY},
            {0.0, 0x1p971}};

    @Test
    void agreesWithTheComparisonAtEveryLengthAndPosition() {
        Random rnd = new Random(12);
        int lanes = Species.DOUBLE.length();
        for (double[] range : RANGES) {
            for (int n = 0; n <= 3 * lanes + 1; n++) {
                double[] x = new double[n + 2];
                for (int pos = -1; pos < n; pos++) {
                    for (double odd : ODD) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] = rnd.nextDouble(); // inside every range
                        }
                        x[0] = Double.NaN;       // outside the slice, which starts at 1: must not count
                        x[n + 1] = -1.0;         // likewise after it
                        if (pos >= 0) {
                            x[1 + pos] = odd;
                        }
                        assertEquals(expected(x, 1, n, range[0], range[1]),
                                DoubleRange.allWithin(x, 1, n, range[0], range[1]),
                                "range [" + range[0] + ", " + range[1] + "], n=" + n + ", " + odd + " at " + pos);
                        assertEquals(firstOutside(x, 1, n, range[0], range[1]),
                                DoubleRange.firstOutside(x, 1, n, range[0], range[1]),
                                "first outside [" + range[0] + ", " + range[1] + "], n=" + n + ", " + odd + " at " + pos);
                    }
                }
            }
        }
    }

    private static boolean expected(double[] x, int from, int n, double lo, double hi) {
        for (int i = from; i < from + n; i++) {
            if (!(lo <= x[i] && x[i] <= hi)) {
                return false;
            }
        }
        return true;
    }

    private static int firstOutside(double[] x, int from, int n, double lo, double hi) {
        for (int i = 0; i < n; i++) {
            if (!(lo <= x[from + i] && x[from + i] <= hi)) {
                return i;
            }
        }
        return -1;
    }
}
