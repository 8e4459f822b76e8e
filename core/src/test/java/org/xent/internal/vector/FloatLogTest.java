package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of {@link FloatLog} against {@link Math#log} (double, under 1 ulp of double, so "exact" at float
 * precision). Error is measured in ulps of the float nearest the exact result.
 *
 * <p>Measured (exhaustively over all 2^31 - 2^23 positive finite floats, once, with {@link #main}): worst error
 * 0.8326 ulp (at x = 0.698935); see MAX_ULP below for what the unit test asserts on its sample (every float in [0.5, 2], where
 * log is close to 0, plus a stride through every binade including subnormals).
 */
class FloatLogTest {

    /** The asserted bound: the exhaustively measured worst case, 0.8326 ulp, rounded up. */
    private static final double MAX_ULP = 0.84;

    private static final int LANES = Species.FLOAT.length();

    /** Worst ulp error of FloatLog over the float bit patterns from, from + stride, ... below to. */
    static double worstUlp(int from, int to, int stride, float[] worstArg) {
        float[] in = new float[LANES];
        float[] out = new float[LANES];
        double worst = 0;
        int bits = from;
        while (bits < to) {
            int n = 0;
            for (; n < LANES && bits < to; n++, bits += stride) {
                in[n] = Float.intBitsToFloat(bits);
            }
            for (int j = n; j < LANES; j++) {
                in[j] = 1f;
            }
            FloatLog.log(FloatVector.fromArray(Species.FLOAT, in, 0)).intoArray(out, 0);
            for (int j = 0; j < n; j++) {
                double exact = Math.log(in[j]);
                double ulp = Math.ulp((float) exact);
                if (exact == 0) {
                    if (out[j] != 0f) {
                        return Double.POSITIVE_INFINITY;
                    }
                    continue;
                }
                double err = Math.abs(out[j] - exact) / ulp;
                if (!(err <= worst)) {
                    worst = err;
                    worstArg[0] = in[j];
                }
            }
            if (bits < 0) {
                break; // overflowed past Integer.MAX_VALUE
            }
        }
        return worst;
    }

    @Test
    void withinMeasuredBoundNearOne() {
        float[] arg = new float[1];
        double worst = worstUlp(Float.floatToIntBits(0.5f), Float.floatToIntBits(2f) + 1, 1, arg);
        assertTrue(worst <= MAX_ULP, "worst " + worst + " ulp at " + arg[0]);
    }

    @Test
    void withinMeasuredBoundEverywhere() {
        float[] arg = new float[1];
        // stride 997 (prime) visits every binade, every subnormal range and many mantissa patterns
        double worst = worstUlp(1, Float.floatToIntBits(Float.MAX_VALUE) + 1, 997, arg);
        assertTrue(worst <= MAX_ULP, "worst " + worst + " ulp at " + arg[0]);
    }

    @Test
    void specialValues() {
        float[] in = new float[LANES];
        float[] out = new float[LANES];
        float[] cases = {0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, -1f, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, Float.MAX_VALUE, 1f, -Float.MIN_VALUE};
        float[] expected = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
                Float.NaN, Float.NaN, (float) Math.log(Float.MIN_VALUE), (float) Math.log(Float.MAX_VALUE), 0f,
                Float.NaN};
        for (int k = 0; k < cases.length; k++) {
            java.util.Arrays.fill(in, cases[k]);
            FloatLog.log(FloatVector.fromArray(Species.FLOAT, in, 0)).intoArray(out, 0);
            for (int j = 0; j < LANES; j++) {
                if (Float.isNaN(expected[k]) || Float.isInfinite(expected[k]) || expected[k] == 0f) {
                    assertEquals(expected[k], out[j], "log(" + cases[k] + ")");
                } else {
                    assertEquals(expected[k], out[j], Math.ulp(expected[k]), "log(" + cases[k] + ")");
                }
            }
        }
    }

    /** Exhaustive measurement over every positive finite float (about a minute on one core). */
    public static void main(String[] args) {
        float[] arg = new float[1];
        double worst = worstUlp(1, Float.floatToIntBits(Float.MAX_VALUE) + 1, 1, arg);
        System.out.println("FloatLog worst error over all positive floats: " + worst + " ulp at " + arg[0]
                + " (" + Float.floatToIntBits(arg[0]) + ")");
    }
}
