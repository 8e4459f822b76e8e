package org.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatExp#expNonPositive} over every float in [LOWEST, 0] (about 1.1e9 values, run through the vector
 * lanes in chunks) against {@link Math#exp} in double, plus its special values; and the same sweep for every
 * width's form ({@link FloatExpTable}) through its scalar evaluation. The bounds asserted are the ones the
 * forms document.
 */
class FloatExpTest {

    /** The bound FloatExp documents (measured worst: 6.25e-8 relative, 0.57 ulp); the measured value is printed. */
    private static final double MAX_RELATIVE_ERROR = FloatExp.MAX_RELATIVE_ERROR;
    private static final int CHUNK = 1 << 14;

    @Test
    void relativeErrorOverAllFloatsInRange() {
        float[] in = new float[CHUNK];
        float[] out = new float[CHUNK];
        int step = Species.FLOAT.length();
        int first = Float.floatToRawIntBits(-0.0f);                 // Integer.MIN_VALUE
        int last = Float.floatToRawIntBits(FloatExp.LOWEST);         // larger magnitude = larger bit pattern
        double worstRel = 0, worstUlp = 0;
        float worstRelAt = 0, worstUlpAt = 0;
        long count = 0;
        for (long bits = first; bits <= last; ) {
            int n = (int) Math.min(CHUNK, last - bits + 1);
            for (int i = 0; i < n; i++) {
                in[i] = Float.intBitsToFloat((int) (bits + i));
            }
            for (int i = n; i < CHUNK; i++) {
                in[i] = 0f; // pad the last chunk with a harmless value
            }
            for (int i = 0; i < CHUNK; i += step) {
                FloatExp.expNonPositive(FloatVector.fromArray(Species.FLOAT, in, i)).intoArray(out, i);
            }
            for (int i = 0; i < n; i++) {
                double exact = Math.exp(in[i]);
                double err = Math.abs(out[i] - exact);
                double rel = err / exact;
                if (rel > worstRel) {
                    worstRel = rel;
                    worstRelAt = in[i];
                }
                double ulp = err / Math.ulp((float) exact);
                if (ulp > worstUlp) {
                    worstUlp = ulp;
                    worstUlpAt = in[i];
                }
            }
            count += n;
            bits += n;
        }
        System.out.printf("FloatExp over %d floats in [%s, 0]: worst relative error %.3e at %s, worst %.3f ulp at %s%n",
                count, FloatExp.LOWEST, worstRel, worstRelAt, worstUlp, worstUlpAt);
        assertEquals((long) last - first + 1, count, "every float in range was checked");
        assertTrue(worstRel <= MAX_RELATIVE_ERROR,
                "worst relative error " + worstRel + " at " + worstRelAt + " exceeds " + MAX_RELATIVE_ERROR);
    }

    /**
     * Every width's form, whatever this machine's width: each one's scalar evaluation (bit-identical to its
     * lanes, which {@code FloatExpLanesCrossCheckTest} checks at each width the machine has) over every float in
     * [LOWEST, 0], against the bound that form documents.
     */
    @Test
    void everyFormOverAllFloatsInRange() {
        for (FloatExpTable form : new FloatExpTable[] {FloatExpTable.T16, FloatExpTable.T8, FloatExpTable.T4}) {
            int[] pow = form.powBits();
            int[] corr = form.corrBits();
            int first = Float.floatToRawIntBits(-0.0f);
            int last = Float.floatToRawIntBits(FloatExp.LOWEST);
            double worstRel = 0;
            float worstAt = 0;
            long count = 0;
            for (long bits = first; bits <= last; bits++) {
                float z = Float.intBitsToFloat((int) bits);
                double exact = Math.exp(z);
                double rel = Math.abs(form.exp(z, pow, corr) - exact) / exact;
                if (rel > worstRel) {
                    worstRel = rel;
                    worstAt = z;
                }
                count++;
            }
            System.out.printf("FloatExp %d-entry table over %d floats: worst relative error %.3e (%.2f ulp at 1) at %s%n",
                    form.size(), count, worstRel, worstRel / Math.ulp(1f), worstAt);
            assertEquals((long) last - first + 1, count);
            assertTrue(worstRel <= form.maxRelativeError(), form.size() + "-entry table: worst relative error "
                    + worstRel + " at " + worstAt + " exceeds " + form.maxRelativeError());
        }
    }

    @Test
    void specialValues() {
        float below = Math.nextDown(FloatExp.LOWEST);
        float[] in = {0f, -0f, FloatExp.FLOOR, Math.nextDown(FloatExp.FLOOR), -100f, -1e30f, -Float.MAX_VALUE,
                Float.NEGATIVE_INFINITY, Float.NaN, FloatExp.LOWEST, below, -88f, Math.nextUp(FloatExp.FLOOR)};
        float[] out = exp(in);
        assertEquals(1f, out[0], "exp(0)");
        assertEquals(1f, out[1], "exp(-0)");
        for (int i = 2; i <= 7; i++) {
            assertEquals(0, Float.floatToRawIntBits(out[i]), "exp(" + in[i] + ") must be exactly +0, got " + out[i]);
        }
        assertTrue(Float.isNaN(out[8]), "exp(NaN) must be NaN, got " + out[8]);
        assertEquals(Math.exp(FloatExp.LOWEST), out[9], MAX_RELATIVE_ERROR * Math.exp(FloatExp.LOWEST),
                "exp(LOWEST) is still accurate");
        for (int i = 10; i < in.length; i++) {
            // between FLOOR and LOWEST e^z is subnormal: a value in [0, 2^-126) is all that is promised
            assertTrue(out[i] >= 0f && out[i] < Float.MIN_NORMAL, "exp(" + in[i] + ") = " + out[i]);
        }
    }

    @Test
    void everyLaneIsIndependent() {
        // special values in every lane position, so that a lane mix-up in the blend masks would show
        int lanes = Species.FLOAT.length();
        float[] in = new float[lanes * lanes];
        for (int v = 0; v < lanes; v++) {
            for (int l = 0; l < lanes; l++) {
                in[v * lanes + l] = l == v ? Float.NEGATIVE_INFINITY : (l == (v + 1) % lanes ? Float.NaN : -l);
            }
        }
        float[] out = exp(in);
        for (int v = 0; v < lanes; v++) {
            for (int l = 0; l < lanes; l++) {
                float x = in[v * lanes + l];
                float r = out[v * lanes + l];
                if (Float.isNaN(x)) {
                    assertTrue(Float.isNaN(r), "NaN lane " + l);
                } else if (x == Float.NEGATIVE_INFINITY) {
                    assertEquals(0f, r, "-inf lane " + l);
                } else {
                    assertEquals(Math.exp(x), r, 2e-7 * Math.exp(x), "lane " + l + " exp(" + x + ")");
                }
            }
        }
    }

    private static float[] exp(float[] in) {
        int step = Species.FLOAT.length();
        int padded = (in.length + step - 1) / step * step;
        float[] a = java.util.Arrays.copyOf(in, padded);
        float[] out = new float[padded];
        for (int i = 0; i < padded; i += step) {
            FloatExp.expNonPositive(FloatVector.fromArray(Species.FLOAT, a, i)).intoArray(out, i);
        }
        return java.util.Arrays.copyOf(out, in.length);
    }

    /** The scalar twin used in kernel tails gives the lanes' result bit for bit, special values included. */
    @Test
    void scalarTwinMatchesTheLanesBitForBit() {
        int lanes = Species.FLOAT.length();
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        java.util.Random rnd = new java.util.Random(11);
        float[] specials = {0f, -0f, -1e-30f, FloatExp.LOWEST, Math.nextDown(FloatExp.LOWEST), -88f, FloatExp.FLOOR,
                Math.nextDown(FloatExp.FLOOR), -1e30f, Float.NEGATIVE_INFINITY, Float.NaN, -0.0216f, -0.0217f, -1f};
        for (int k = 0; k < 200_000; k++) {
            for (int j = 0; j < lanes; j++) {
                int special = k * lanes + j; // the specials first, whatever the lane count
                in[j] = special < specials.length ? specials[special] : (float) (-rnd.nextDouble() * 100);
            }
            FloatExp.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(Species.FLOAT, in, 0)).intoArray(out, 0);
            for (int j = 0; j < lanes; j++) {
                float scalar = FloatExp.expNonPositive(in[j]);
                assertEquals(Float.floatToIntBits(out[j]), Float.floatToIntBits(scalar),
                        "exp(" + in[j] + "): lanes " + out[j] + ", scalar " + scalar);
            }
        }
    }
}
