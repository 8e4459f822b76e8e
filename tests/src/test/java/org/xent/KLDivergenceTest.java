package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Public behaviour of {@link KLDivergence}: reductions, spec section 5 and 7 edge cases, bad input. */
class KLDivergenceTest {

    private static final double[] LOGP = {Math.log(0.2), Math.log(0.3), Math.log(0.5), Math.log(0.6), Math.log(0.3), Math.log(0.1)};
    private static final double[] T = {0.1, 0.6, 0.3, 0.2, 0.0, 0.8};

    private static double pointwise(int i) {
        return T[i] == 0 ? 0 : T[i] * Math.log(T[i]) - T[i] * LOGP[i];
    }

    @Test
    void reductionsAndGradient() {
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            sum += pointwise(i);
        }
        double[] out = new double[6];
        assertEquals(sum, KLDivergence.builder().reduction(Reduction.NONE).build().forward(LOGP, 0, T, 0, 2, 3, out, 0), 1e-15);
        for (int i = 0; i < 6; i++) {
            assertEquals(pointwise(i), out[i], 1e-16);
        }
        assertEquals(sum, KLDivergence.builder().reduction(Reduction.SUM).build().forward(LOGP, T, 2, 3), 1e-15);
        assertEquals(sum / 6, KLDivergence.builder().reduction(Reduction.MEAN).build().forward(LOGP, T, 2, 3), 1e-15);
        assertEquals(sum / 2, KLDivergence.create().forward(LOGP, T, 2, 3), 1e-15);
        double[] g = new double[6];
        KLDivergence.create().forwardBackward(LOGP, 0, T, 0, 2, 3, null, 0, g, 0);
        for (int i = 0; i < 6; i++) {
            assertEquals(-T[i] / 2, g[i], 0);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(g[4]), "-0.0 where t = 0");
        // log target gives the same values
        double[] logT = new double[6];
        for (int i = 0; i < 6; i++) {
            logT[i] = Math.log(T[i]);
        }
        assertEquals(sum / 2, KLDivergence.builder().logTarget(true).build().forward(LOGP, logT, 2, 3), 1e-15);
        float[] l32 = new float[6];
        float[] t32 = new float[6];
        for (int i = 0; i < 6; i++) {
            l32[i] = (float) LOGP[i];
            t32[i] = (float) logT[i];
        }
        assertEquals(sum / 2, KLDivergence.builder().logTarget(true).build().forward(l32, t32, 2, 3), 1e-6);
    }

    @Test
    void spec7EdgeCases() {
        KLDivergence none = KLDivergence.builder().reduction(Reduction.NONE).build();
        float[] out = new float[5];
        none.forward(new float[] {-1f, Float.NEGATIVE_INFINITY, -1f, Float.NaN, Float.NEGATIVE_INFINITY}, 0,
                new float[] {0f, 0f, -0.5f, 0f, 0.5f}, 0, 1, 5, out, 0);
        assertEquals(0f, out[0], "target 0, finite input");
        assertEquals(0f, out[1], "target 0, input -inf: 0 by the masked rule (PyTorch: NaN)");
        assertTrue(Float.isNaN(out[2]), "negative target");
        assertTrue(Float.isNaN(out[3]), "NaN input");
        assertEquals(Float.POSITIVE_INFINITY, out[4], "-inf input under a positive target");
        KLDivergence log = KLDivergence.builder().reduction(Reduction.NONE).logTarget(true).build();
        log.forward(new float[] {-1f, Float.NEGATIVE_INFINITY, Float.NaN, -1f, -1f}, 0,
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0f},
                0, 1, 5, out, 0);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[1]);
        assertTrue(Float.isNaN(out[2]));
        assertTrue(Float.isNaN(out[3]));
        assertEquals(1f, out[4]);
        assertTrue(Double.isNaN(KLDivergence.create().forward(new double[0], new double[0], 0, 4)));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        KLDivergence loss = KLDivergence.create();
        float[] x = new float[6];
        float[] t = new float[6];
        float[] out = Untouched.poisoned32(6);
        float[] g = Untouched.poisoned32(6);
        Untouched.rejects(() -> loss.forwardBackward(null, 0, t, 0, 2, 3, out, 0, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, null, 0, 2, 3, out, 0, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, -2, 3, out, 0, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 1, t, 0, 2, 3, out, 0, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 2, 2, 3, out, 0, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 2, 3, out, 1, g, 0), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 2, 3, out, 0, g, -1), out, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 2, 3, out, 0, null, 0), out, g);
        float[] big = Untouched.poisoned32(20);
        Untouched.rejects(() -> loss.forwardBackward(big, 0, t, 0, 2, 3, out, 0, big, 1), out, big);
        Untouched.rejects(() -> loss.forwardBackward(big, 0, big, 6, 2, 3, out, 0, big, 6), out, big);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 2, 3, big, 0, big, 3), big, g);
        Untouched.rejects(() -> loss.forward(big, 0, t, 0, 2, 3, big, 5), big, g);
        double[] out64 = Untouched.poisoned64(6);
        double[] g64 = Untouched.poisoned64(6);
        Untouched.rejects(() -> loss.forwardBackward(new double[6], 0, new double[5], 0, 2, 3, out64, 0, g64, 0), out64, g64);
        Untouched.rejects(() -> loss.forward(new double[6], 0, new double[6], 0, 2, 3, out64, 2), out64, g64);
        assertThrows(IllegalArgumentException.class, () -> KLDivergence.builder().reduction(null));
    }
}
