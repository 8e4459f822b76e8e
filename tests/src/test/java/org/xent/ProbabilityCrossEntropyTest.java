package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Public behaviour of {@link ProbabilityCrossEntropy}: agreement with soft cross-entropy, the clamp, bad input. */
class ProbabilityCrossEntropyTest {

    @Test
    void equalsSoftCrossEntropyOnSoftmaxAndLogSoftmax() {
        Random rnd = new Random(7);
        int n = 5, c = 37;
        double[] x = new double[n * c];
        double[] y = new double[n * c];
        double[] p = new double[n * c];
        double[] lp = new double[n * c];
        double[] w = new double[c];
        for (int j = 0; j < c; j++) {
            w[j] = 0.5 + rnd.nextDouble();
        }
        for (int r = 0; r < n; r++) {
            double s = 0, sy = 0;
            for (int j = 0; j < c; j++) {
                x[r * c + j] = rnd.nextGaussian() * 2;
                y[r * c + j] = rnd.nextDouble();
                s += Math.exp(x[r * c + j]);
                sy += y[r * c + j];
            }
            for (int j = 0; j < c; j++) {
                y[r * c + j] /= sy;
                lp[r * c + j] = x[r * c + j] - Math.log(s);
                p[r * c + j] = Math.exp(lp[r * c + j]);
            }
        }
        double soft = SoftCrossEntropy.builder().classWeights(w).build().forward(x, y, n, c);
        assertEquals(soft, ProbabilityCrossEntropy.builder().classWeights(w).build().forward(p, y, n, c), 1e-13);
        assertEquals(soft, ProbabilityCrossEntropy.builder().classWeights(w).logInput(true).build().forward(lp, y, n, c), 1e-13);
        double[] rows = new double[n];
        double sum = ProbabilityCrossEntropy.builder().reduction(Reduction.NONE).build().forward(p, 0, y, 0, n, c, rows, 0);
        double check = 0;
        for (double v : rows) {
            check += v;
        }
        assertEquals(check, sum, 1e-13);
        assertEquals(sum, ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).build().forward(p, y, n, c), 1e-13);
        // the gradient with respect to log-probabilities is -w y / N
        double[] g = new double[n * c];
        ProbabilityCrossEntropy.builder().classWeights(w).logInput(true).build().forwardBackward(lp, 0, y, 0, n, c, null, 0, g, 0);
        for (int i = 0; i < n * c; i++) {
            assertEquals(-w[i % c] * y[i] / n, g[i], 1e-16);
        }
    }

    @Test
    void clampAtMinus100() {
        ProbabilityCrossEntropy sum = ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).build();
        float[] g = new float[3];
        assertEquals(100f, sum.forwardBackward(new float[] {0f, 1f, 0f}, 0, new float[] {1f, 0f, 0f}, 0, 1, 3, null, 0, g, 0), 0f);
        assertEquals(0f, g[0], "the clamp makes the loss constant in p there");
        assertEquals(-0f, g[1], "-0 y / 1");
        assertEquals((float) Math.log(2), sum.forwardBackward(new float[] {0.5f}, 0, new float[] {1f}, 0, 1, 1, null, 0, g, 0), 1e-7f);
        assertEquals(-2f, g[0], "-y / p");
        ProbabilityCrossEntropy log = ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).logInput(true).build();
        assertEquals(1.0, log.forward(new double[] {Double.NEGATIVE_INFINITY, -1}, new double[] {0, 1}, 1, 2), 0,
                "a zero target on a -inf log-probability contributes 0");
        assertEquals(Double.POSITIVE_INFINITY, log.forward(new double[] {Double.NEGATIVE_INFINITY, -1}, new double[] {1, 1}, 1, 2));
        assertTrue(Double.isNaN(log.forward(new double[] {Double.NaN, -1}, new double[] {0, 1}, 1, 2)));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        ProbabilityCrossEntropy loss = ProbabilityCrossEntropy.create();
        float[] x = {0.1f, 0.2f, 0.7f, 0.3f, 0.3f, 0.4f};
        float[] y = new float[6];
        float[] rows = Untouched.poisoned32(2);
        float[] g = Untouched.poisoned32(6);
        String m = Untouched.rejects(() -> loss.forwardBackward(new float[] {0.1f, 0.2f, 0.7f, 0.3f, 1.5f, 0.4f},
                0, y, 0, 2, 3, rows, 0, g, 0), rows, g);
        assertTrue(m.contains("row 1") && m.contains("1.5"), m);
        Untouched.rejects(() -> loss.forward(new float[] {0.1f, -0.2f, 0.7f}, 0, y, 0, 1, 3, rows, 0), rows, g);
        Untouched.rejects(() -> loss.forward(new float[] {0.1f, Float.NaN, 0.7f}, 0, y, 0, 1, 3, rows, 0), rows, g);
        float[] longBad = new float[100];
        longBad[77] = 2f;
        Untouched.rejects(() -> loss.forwardBackward(longBad, 0, new float[100], 0, 1, 100, rows, 0, new float[100], 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(null, 0, y, 0, 2, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, null, 0, 2, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, y, 0, 2, -3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 3, y, 0, 2, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, y, 0, 2, 3, rows, 1, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, y, 0, 2, 3, rows, 0, g, 2), rows, g);
        float[] big = Untouched.poisoned32(20);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, big, 0, 2, 3, rows, 0, big, 3), rows, big);
        Untouched.rejects(() -> loss.forward(x, 0, big, 0, 2, 3, big, 4), big, g);
        ProbabilityCrossEntropy weighted = ProbabilityCrossEntropy.builder().classWeights(new double[] {1, 1}).build();
        Untouched.rejects(() -> weighted.forwardBackward(x, 0, y, 0, 2, 3, rows, 0, g, 0), rows, g);
        double[] rows64 = Untouched.poisoned64(2);
        double[] g64 = Untouched.poisoned64(6);
        Untouched.rejects(() -> loss.forwardBackward(new double[] {0, 0, 1, 0, 1.0000001, 0}, 0, new double[6], 0, 2, 3,
                rows64, 0, g64, 0), rows64, g64);
        Untouched.rejects(() -> weighted.forward(new double[6], 0, new double[6], 0, 2, 3, rows64, 0), rows64, g64);
        assertThrows(IllegalArgumentException.class, () -> ProbabilityCrossEntropy.builder().reduction(Reduction.BATCHMEAN));
        // log-probabilities are not range-checked
        assertTrue(Float.isFinite(ProbabilityCrossEntropy.builder().logInput(true).build()
                .forward(new float[] {-3f, 2f}, new float[] {0.5f, 0.5f}, 1, 2)));
    }

    /**
     * Without output buffers the probabilities are checked only when the sum comes out NaN: every kind of invalid
     * probability (above 1, negative, NaN), anywhere in the batch (vector lanes and scalar tail), must still make
     * it NaN and so be reported, in float32 and float64, whatever the row length.
     */
    @Test
    void invalidProbabilitiesAreReportedWithoutOutputBuffers() {
        ProbabilityCrossEntropy loss = ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).build();
        float[] bad = {1.5f, -0.25f, Float.NaN, Float.POSITIVE_INFINITY};
        for (int classes : new int[] {3, 16, 17, 100}) {
            int rows = 3;
            for (float value : bad) {
                for (int at : new int[] {0, classes - 1, rows * classes - 1}) {
                    float[] p = new float[rows * classes];
                    float[] y = new float[rows * classes];
                    java.util.Arrays.fill(p, 1f / classes);
                    java.util.Arrays.fill(y, 0f); // zero targets: only the input itself can make the term NaN
                    p[at] = value;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> loss.forward(p, 0, y, 0, rows, classes, null, 0), "float32 " + value + " at " + at);
                    assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
                    double[] p64 = new double[p.length];
                    for (int i = 0; i < p.length; i++) {
                        p64[i] = p[i];
                    }
                    assertThrows(IllegalArgumentException.class,
                            () -> loss.forward(p64, 0, new double[p.length], 0, rows, classes, null, 0),
                            "float64 " + value + " at " + at);
                }
            }
        }
    }
}
