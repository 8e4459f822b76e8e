package org.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments to {@link SoftCrossEntropy}: each must raise an {@link IllegalArgumentException} whose message
 * names the parameter and the offending values, and must leave every caller buffer exactly as it was (outputs
 * are poisoned with a sentinel before the call and compared bit for bit after).
 */
class SoftCrossEntropyBadInputTest {

    private static final int N = 3, C = 5, SIZE = N * C;
    private static final float SENTINEL = -12345.5f;

    private final float[] x = ramp(SIZE, 0.1f);
    private final float[] y = uniformTargets();
    private final float[] rowLosses = poisoned(N);
    private final float[] grad = poisoned(SIZE);
    private final double[] xd = widen(x), yd = widen(y);
    private final double[] rowLossesD = poisonedD(N), gradD = poisonedD(SIZE);
    private final SoftCrossEntropy loss = SoftCrossEntropy.builder().reduction(Reduction.SUM).build();

    /** Runs a call that must fail, checks the message mentions every fragment, and that no buffer changed. */
    private void rejects(Executable call, String... fragments) {
        float[] x0 = x.clone(), y0 = y.clone(), l0 = rowLosses.clone(), g0 = grad.clone();
        double[] xd0 = xd.clone(), yd0 = yd.clone(), ld0 = rowLossesD.clone(), gd0 = gradD.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String message = e.getMessage();
        for (String fragment : fragments) {
            assertTrue(message != null && message.contains(fragment),
                    "message '" + message + "' should mention '" + fragment + "'");
        }
        assertBitsEqual(x0, x, "logits");
        assertBitsEqual(y0, y, "targets");
        assertBitsEqual(l0, rowLosses, "rowLosses");
        assertBitsEqual(g0, grad, "gradient");
        assertArrayEquals(xd0, xd, "float64 logits");
        assertArrayEquals(yd0, yd, "float64 targets");
        assertArrayEquals(ld0, rowLossesD, "float64 rowLosses");
        assertArrayEquals(gd0, gradD, "float64 gradient");
    }

    @Test
    void nullArrays() {
        rejects(() -> loss.forward(null, 0, y, 0, N, C, rowLosses, 0), "logits", "null");
        rejects(() -> loss.forward(x, 0, null, 0, N, C, rowLosses, 0), "targets", "null");
        rejects(() -> loss.forwardBackward(x, 0, y, 0, N, C, rowLosses, 0, null, 0), "gradient", "null");
        rejects(() -> loss.forward((double[]) null, 0, yd, 0, N, C, rowLossesD, 0), "logits", "null");
        rejects(() -> loss.forwardBackward(xd, 0, yd, 0, N, C, rowLossesD, 0, null, 0), "gradient", "null");
        rejects(() -> loss.forward((float[]) null, y, N, C), "logits", "null");
    }

    @Test
    void negativeSizes() {
        rejects(() -> loss.forward(x, 0, y, 0, -1, C, rowLosses, 0), "rows", "-1");
        rejects(() -> loss.forward(x, 0, y, 0, N, -2, rowLosses, 0), "classes", "-2");
        rejects(() -> loss.forwardBackward(x, 0, y, 0, -1, C, rowLosses, 0, grad, 0), "rows", "-1");
        rejects(() -> loss.forwardBackward(xd, 0, yd, 0, N, -2, rowLossesD, 0, gradD, 0), "classes", "-2");
    }

    @Test
    void sizeOverflow() {
        rejects(() -> loss.forward(x, 0, y, 0, 1 << 16, 1 << 16, null, 0), "rows * classes", "65536");
    }

    @Test
    void offsetsAndLengthsOutOfBounds() {
        rejects(() -> loss.forward(x, -1, y, 0, N, C, rowLosses, 0), "logits", "offset -1", "length " + SIZE);
        rejects(() -> loss.forward(x, 1, y, 0, N, C, rowLosses, 0), "logits", "offset 1", "array of length " + SIZE);
        rejects(() -> loss.forward(x, 0, y, 3, N, C, rowLosses, 0), "targets", "offset 3");
        rejects(() -> loss.forward(x, 0, y, 0, N + 1, C, null, 0), "logits", "length " + (SIZE + C));
        rejects(() -> loss.forward(x, 0, y, 0, N, C, rowLosses, 1), "rowLosses", "offset 1", "length " + N);
        rejects(() -> loss.forward(x, 0, y, 0, N, C, rowLosses, -2), "rowLosses", "offset -2");
        rejects(() -> loss.forwardBackward(x, 0, y, 0, N, C, rowLosses, 0, grad, 2), "gradient", "offset 2");
        rejects(() -> loss.forwardBackward(x, 0, y, 0, N, C, rowLosses, 0, new float[SIZE - 1], 0),
                "gradient", "length " + (SIZE - 1));
        rejects(() -> loss.forward(xd, 0, yd, Integer.MAX_VALUE, N, C, rowLossesD, 0), "targets",
                "offset " + Integer.MAX_VALUE);
        rejects(() -> loss.forwardBackward(xd, 0, yd, 0, N, C, rowLossesD, 0, gradD, 1), "gradient", "offset 1");
    }

    @Test
    void weightsOfWrongLength() {
        SoftCrossEntropy weighted = SoftCrossEntropy.builder().classWeights(new float[C - 1]).build();
        rejects(() -> weighted.forward(x, 0, y, 0, N, C, rowLosses, 0), "classWeights", "length 4", "classes = 5");
        rejects(() -> weighted.forwardBackward(x, 0, y, 0, N, C, rowLosses, 0, grad, 0), "classWeights", "4", "5");
        rejects(() -> weighted.forward(xd, 0, yd, 0, N, C, rowLossesD, 0), "classWeights", "4", "5");
    }

    @Test
    void labelSmoothingOutsideUnitInterval() {
        rejects(() -> SoftCrossEntropy.builder().labelSmoothing(-0.1), "labelSmoothing", "-0.1");
        rejects(() -> SoftCrossEntropy.builder().labelSmoothing(1.5), "labelSmoothing", "1.5");
        rejects(() -> SoftCrossEntropy.builder().labelSmoothing(Double.NaN), "labelSmoothing", "NaN");
        rejects(() -> SoftCrossEntropy.builder().labelSmoothing(Double.POSITIVE_INFINITY), "labelSmoothing", "Infinity");
    }

    @Test
    void badReduction() {
        rejects(() -> SoftCrossEntropy.builder().reduction(null), "reduction", "null");
        rejects(() -> SoftCrossEntropy.builder().reduction(Reduction.BATCHMEAN), "reduction", "BATCHMEAN");
    }

    @Test
    void partiallyOverlappingGradientAndLogits() {
        float[] shared = Arrays.copyOf(x, SIZE + 2);
        float[] before = shared.clone();
        rejects(() -> loss.forwardBackward(shared, 0, y, 0, N, C, rowLosses, 0, shared, 1),
                "gradient [1, 16)", "logits [0, 15)");
        assertBitsEqual(before, shared, "shared logits/gradient array");
        rejects(() -> loss.forwardBackward(shared, 2, y, 0, N, C, rowLosses, 0, shared, 0),
                "gradient [0, 15)", "logits [2, 17)");
        assertBitsEqual(before, shared, "shared logits/gradient array");
        double[] sharedD = Arrays.copyOf(xd, SIZE + 1);
        double[] beforeD = sharedD.clone();
        rejects(() -> loss.forwardBackward(sharedD, 1, yd, 0, N, C, null, 0, sharedD, 0),
                "gradient [0, 15)", "logits [1, 16)");
        assertArrayEquals(beforeD, sharedD);
    }

    @Test
    void outputsOverlappingInputs() {
        float[] shared = new float[2 * SIZE];
        System.arraycopy(x, 0, shared, 0, SIZE);
        System.arraycopy(y, 0, shared, SIZE, SIZE);
        float[] before = shared.clone();
        // gradient over the targets
        rejects(() -> loss.forwardBackward(shared, 0, shared, SIZE, N, C, null, 0, shared, SIZE),
                "gradient", "targets");
        // row losses inside the logits or targets or gradient
        rejects(() -> loss.forward(shared, 0, shared, SIZE, N, C, shared, 4), "rowLosses", "logits");
        rejects(() -> loss.forward(shared, 0, shared, SIZE, N, C, shared, SIZE + 1), "rowLosses", "targets");
        float[] out = poisoned(SIZE + N);
        float[] outBefore = out.clone();
        rejects(() -> loss.forwardBackward(x, 0, y, 0, N, C, out, 2, out, 0), "rowLosses", "gradient");
        assertBitsEqual(before, shared, "shared array");
        assertBitsEqual(outBefore, out, "shared output array");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + " changed at index " + i + ": " + expected[i] + " -> " + actual[i]);
            }
        }
    }

    private static float[] ramp(int n, float step) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * step - 0.5f;
        }
        return a;
    }

    private static float[] uniformTargets() {
        float[] a = new float[SIZE];
        Arrays.fill(a, 1f / C);
        return a;
    }

    private static float[] poisoned(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    private static double[] poisonedD(int n) {
        double[] a = new double[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
