package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Public behaviour of {@link HardCrossEntropy}: reductions and their denominator, spec edge cases, bad input. */
class HardCrossEntropyTest {

    private static final double[] X = {1, 2, 3, 0.5, -1, 2, 4, 0, 0, 1, 1, 1};  // 4 rows x 3 classes

    private static double lsm(double[] x, int r, int c) {
        double m = Math.max(x[3 * r], Math.max(x[3 * r + 1], x[3 * r + 2]));
        double s = Math.exp(x[3 * r] - m) + Math.exp(x[3 * r + 1] - m) + Math.exp(x[3 * r + 2] - m);
        return x[3 * r + c] - m - Math.log(s);
    }

    @Test
    void meanDividesBySummedTargetWeightOfNonIgnoredRows() {
        double[] w = {0.5, 2, 1};
        int[] t = {2, -100, 1, 0};
        HardCrossEntropy mean = HardCrossEntropy.builder().classWeights(w).build();
        HardCrossEntropy none = HardCrossEntropy.builder().classWeights(w).reduction(Reduction.NONE).build();
        double[] rows = new double[4];
        double sum = none.forward(X, 0, t, 0, 4, 3, rows, 0);
        assertEquals(0.0, rows[1]);
        assertEquals(-w[2] * lsm(X, 0, 2), rows[0], 1e-15);
        assertEquals(-w[1] * lsm(X, 2, 1), rows[2], 1e-15);
        double d = w[2] + w[1] + w[0];
        assertEquals(sum / d, mean.forward(X, t, 4, 3), 1e-15);
        // float32 agrees
        float[] x32 = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            x32[i] = (float) X[i];
        }
        assertEquals(sum / d, mean.forward(x32, t, 4, 3), 1e-6);
        // gradient of the mean = gradient of the sum / D
        double[] gSum = new double[12];
        double[] gMean = new double[12];
        HardCrossEntropy.builder().classWeights(w).reduction(Reduction.SUM).build()
                .forwardBackward(X, 0, t, 0, 4, 3, null, 0, gSum, 0);
        mean.forwardBackward(X, 0, t, 0, 4, 3, null, 0, gMean, 0);
        for (int i = 0; i < 12; i++) {
            assertEquals(gSum[i] / d, gMean[i], 1e-15);
        }
    }

    @Test
    void smoothingIsDividedByTheSameDenominator() {
        int[] t = {2, 0, 1, 0};
        double eps = 0.2;
        double expected = 0;
        for (int r = 0; r < 4; r++) {
            double smooth = 0;
            for (int c = 0; c < 3; c++) {
                smooth += -lsm(X, r, c);
            }
            expected += (1 - eps) * -lsm(X, r, t[r]) + eps / 3 * smooth;
        }
        HardCrossEntropy loss = HardCrossEntropy.builder().labelSmoothing(eps).build();
        assertEquals(expected / 4, loss.forward(X, t, 4, 3), 1e-15);
    }

    @Test
    void allRowsIgnored() {
        int[] t = {-100, -100, -100, -100};
        double[] g = Untouched.poisoned64(12);
        assertTrue(Double.isNaN(HardCrossEntropy.create().forwardBackward(X, 0, t, 0, 4, 3, null, 0, g, 0)));
        for (double v : g) {
            assertEquals(0.0, v);
        }
        assertEquals(0.0, HardCrossEntropy.builder().reduction(Reduction.SUM).build().forward(X, t, 4, 3));
        assertTrue(Double.isNaN(HardCrossEntropy.create().forward(new double[0], new int[0], 0, 3)));
    }

    @Test
    void presentRowsWithZeroWeightGiveNaN() {
        int[] t = {0, -100, 0, 0};
        float[] g = new float[12];
        float[] x32 = {1, 2, 3, 0.5f, -1, 2, 4, 0, 0, 1, 1, 1};
        HardCrossEntropy loss = HardCrossEntropy.builder().classWeights(new double[] {0, 1, 1}).labelSmoothing(0.1).build();
        assertTrue(Float.isNaN(loss.forwardBackward(x32, 0, t, 0, 4, 3, null, 0, g, 0)));
        for (int i = 0; i < 12; i++) {
            if (i / 3 == 1) {
                assertEquals(0f, g[i], "ignored row");
            } else {
                assertTrue(Float.isNaN(g[i]), "present row " + i);
            }
        }
    }

    @Test
    void ignoredRowWithNaNLogitsHasZeroLossAndZeroGradient() {
        double[] x = {Double.NaN, 1, 2, 0, 1, 2};
        double[] rows = new double[2];
        double[] g = new double[6];
        double mean = HardCrossEntropy.create().forwardBackward(x, 0, new int[] {-100, 1}, 0, 2, 3, rows, 0, g, 0);
        assertEquals(0.0, rows[0]);
        assertEquals(rows[1], mean, 0);
        assertEquals(0.0, g[0]);
        assertEquals(0.0, g[1]);
        assertTrue(Double.isFinite(g[4]));
    }

    @Test
    void spec7HardTargetEdgeCases() {
        HardCrossEntropy sum = HardCrossEntropy.builder().reduction(Reduction.SUM).build();
        float[] g = new float[3];
        assertEquals(2e30f, sum.forwardBackward(new float[] {1e30f, -1e30f, 0}, 0, new int[] {1}, 0, 1, 3, null, 0, g, 0));
        assertEquals(1f, g[0]);
        assertEquals(-1f, g[1]);
        assertEquals(0f, g[2]);
        assertEquals(Float.POSITIVE_INFINITY, sum.forward(new float[] {Float.NEGATIVE_INFINITY, 1, 2}, new int[] {0}, 1, 3));
        assertEquals(0f, sum.forwardBackward(new float[] {3}, 0, new int[] {0}, 0, 1, 1, null, 0, g, 0), 0f);
        assertEquals(0f, g[0]);
        assertTrue(Float.isNaN(sum.forward(new float[] {Float.POSITIVE_INFINITY, 1, 2}, new int[] {0}, 1, 3)));
        // masked class: smoothing with a zero weight on the -inf class is finite (PyTorch: NaN)
        HardCrossEntropy masked = HardCrossEntropy.builder().reduction(Reduction.SUM).labelSmoothing(0.1)
                .classWeights(new double[] {1, 1, 0}).build();
        assertTrue(Double.isFinite(masked.forward(new double[] {1, 2, Double.NEGATIVE_INFINITY}, new int[] {0}, 1, 3)));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        float[] x = new float[12];
        float[] rows = Untouched.poisoned32(4);
        float[] g = Untouched.poisoned32(12);
        int[] t = {0, 1, 2, 0};
        HardCrossEntropy loss = HardCrossEntropy.create();
        String m = Untouched.rejects(() -> loss.forwardBackward(x, 0, new int[] {0, 1, 7, 0}, 0, 4, 3, rows, 0, g, 0), rows, g);
        assertTrue(m.contains("row 2") && m.contains("7"), m);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, new int[] {0, 1, -1, 0}, 0, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(null, 0, t, 0, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, null, 0, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, -1, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 4, -3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 1, t, 0, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, -1, t, 0, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 1, 4, 3, rows, 0, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 4, 3, rows, 1, g, 0), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 4, 3, rows, 0, g, 1), rows, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 4, 3, rows, 0, null, 0), rows, g);
        float[] big = Untouched.poisoned32(30);
        Untouched.rejects(() -> loss.forwardBackward(big, 0, t, 0, 4, 3, rows, 0, big, 2), rows, big);
        Untouched.rejects(() -> loss.forwardBackward(big, 0, t, 0, 4, 3, big, 11, g, 0), big, g);
        Untouched.rejects(() -> loss.forwardBackward(x, 0, t, 0, 4, 3, big, 0, big, 3), big, g);
        HardCrossEntropy weighted = HardCrossEntropy.builder().classWeights(new float[] {1, 2}).build();
        Untouched.rejects(() -> weighted.forwardBackward(x, 0, t, 0, 4, 3, rows, 0, g, 0), rows, g);
        double[] x64 = new double[12];
        double[] rows64 = Untouched.poisoned64(4);
        double[] g64 = Untouched.poisoned64(12);
        Untouched.rejects(() -> loss.forwardBackward(x64, 0, new int[] {0, 1, 3, 0}, 0, 4, 3, rows64, 0, g64, 0), rows64, g64);
        Untouched.rejects(() -> loss.forward(x64, 0, t, 0, 4, 4, rows64, 0), rows64, g64);
        Untouched.rejects(() -> weighted.forward(x64, 0, t, 0, 4, 3, rows64, 0), rows64, g64);
        for (double eps : new double[] {-0.1, 1.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> HardCrossEntropy.builder().labelSmoothing(eps));
        }
        assertThrows(IllegalArgumentException.class, () -> HardCrossEntropy.builder().reduction(Reduction.BATCHMEAN));
        assertThrows(IllegalArgumentException.class, () -> HardCrossEntropy.builder().reduction(null));
    }

    @Test
    void ignoreIndexMayBeARealClass() {
        HardCrossEntropy loss = HardCrossEntropy.builder().ignoreIndex(1).reduction(Reduction.NONE).build();
        double[] rows = new double[2];
        loss.forward(new double[] {1, 2, 3, 1, 2, 3}, 0, new int[] {1, 2}, 0, 2, 3, rows, 0);
        assertEquals(0.0, rows[0]);
        assertTrue(rows[1] > 0);
    }
}
