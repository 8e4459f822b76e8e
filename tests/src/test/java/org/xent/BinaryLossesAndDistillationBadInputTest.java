package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments to {@link BinaryCrossEntropy}, {@link BinaryCrossEntropyWithLogits} and {@link Distillation} raise
 * an {@link IllegalArgumentException} naming the parameter, and leave every caller buffer as it was: the outputs
 * are filled with a sentinel first and checked afterwards (inputs too, since an in-place gradient would overwrite
 * them).
 */
class BinaryLossesAndDistillationBadInputTest {

    private static final float SENTINEL = 12345f;
    private static final int N = 4;
    private static final int C = 3;

    private float[] p;
    private float[] y;
    private float[] losses;
    private float[] grad;
    private double[] p64;
    private double[] y64;
    private double[] losses64;
    private double[] grad64;

    private void reset() {
        p = new float[N * C];
        y = new float[N * C];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i + 1f) / (p.length + 2f);
            y[i] = (i % 3) / 2f;
        }
        losses = new float[N * C];
        grad = new float[N * C];
        Arrays.fill(losses, SENTINEL);
        Arrays.fill(grad, SENTINEL);
        p64 = ErrorBudget.toDoubles(p);
        y64 = ErrorBudget.toDoubles(y);
        losses64 = new double[N * C];
        grad64 = new double[N * C];
        Arrays.fill(losses64, SENTINEL);
        Arrays.fill(grad64, SENTINEL);
    }

    /** Runs the call on fresh buffers, expects the exception (message containing {@code word}), checks nothing was written. */
    private void rejects(String word, Executable call) {
        float[] p0 = p.clone();
        float[] y0 = y.clone();
        double[] p640 = p64.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should name " + word);
        for (int i = 0; i < losses.length; i++) {
            assertEquals(SENTINEL, losses[i], "losses written");
            assertEquals(SENTINEL, grad[i], "gradient written");
            assertEquals(SENTINEL, losses64[i], "losses (f64) written");
            assertEquals(SENTINEL, grad64[i], "gradient (f64) written");
        }
        assertTrue(Arrays.equals(p0, p), "probabilities written");
        assertTrue(Arrays.equals(y0, y), "targets written");
        assertTrue(Arrays.equals(p640, p64), "probabilities (f64) written");
    }

    @Test
    void binaryCrossEntropy() {
        reset();
        BinaryCrossEntropy none = BinaryCrossEntropy.builder().reduction(Reduction.NONE).build();
        rejects("probabilities", () -> none.forwardBackward(null, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("targets", () -> none.forwardBackward(p, 0, null, 0, N, C, losses, 0, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, null, 0));
        rejects("rows", () -> none.forwardBackward(p, 0, y, 0, -1, C, losses, 0, grad, 0));
        rejects("classes", () -> none.forwardBackward(p, 0, y, 0, N, -2, losses, 0, grad, 0));
        rejects("probabilities", () -> none.forwardBackward(p, 1, y, 0, N, C, losses, 0, grad, 0));
        rejects("targets", () -> none.forwardBackward(p, 0, y, -1, N, C, losses, 0, grad, 0));
        rejects("losses", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 2, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, grad, 5));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N - 1, C, losses, 0, p, 1)); // partly in place
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N - 1, C, losses, 0, y, 2)); // on the targets
        rejects("losses", () -> none.forwardBackward(p, 0, y, 0, N - 1, C, grad, 0, grad, 1));
        rejects("losses", () -> none.forward(p, 0, y, 0, N - 1, C, y, 1));
        rejects("weights", () -> BinaryCrossEntropy.builder().weights(new float[5]).build()
                .forwardBackward(p, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("reduction", () -> BinaryCrossEntropy.builder().reduction(Reduction.BATCHMEAN));
        rejects("reduction", () -> BinaryCrossEntropy.builder().reduction(null));
        // probabilities outside [0, 1] or NaN, in place or not, with or without output buffers
        for (float bad : new float[] {-0.001f, 1.0001f, Float.NaN, Float.POSITIVE_INFINITY}) {
            reset();
            p[N * C - 1] = bad;
            p64[N * C - 1] = bad;
            rejects("between 0 and 1", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, grad, 0));
            rejects("between 0 and 1", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, p, 0));
            rejects("between 0 and 1", () -> none.forward(p, 0, y, 0, N, C, losses, 0));
            rejects("between 0 and 1", () -> BinaryCrossEntropy.create().forward(p, y, N, C));
            rejects("between 0 and 1", () -> none.forwardBackward(p64, 0, y64, 0, N, C, losses64, 0, p64, 0));
            rejects("between 0 and 1", () -> none.forwardBackward(p64, 0, y64, 0, N, C, losses64, 0, grad64, 0));
            rejects("between 0 and 1", () -> BinaryCrossEntropy.create().forward(p64, y64, N, C));
        }
        reset();
        rejects("probabilities", () -> none.forwardBackward((double[]) null, 0, y64, 0, N, C, losses64, 0, grad64, 0));
        rejects("losses", () -> none.forward(p64, 0, y64, 0, N, C, losses64, 1));
        rejects("weights", () -> BinaryCrossEntropy.builder().weights(new double[N * C + 1]).build()
                .forwardBackward(p64, 0, y64, 0, N, C, losses64, 0, grad64, 0));
        // a NaN target is not an error: it propagates
        y[0] = Float.NaN;
        assertTrue(Float.isNaN(BinaryCrossEntropy.create().forward(p, y, N, C)));
    }

    @Test
    void binaryCrossEntropyWithLogits() {
        reset();
        BinaryCrossEntropyWithLogits none = BinaryCrossEntropyWithLogits.builder().reduction(Reduction.NONE).build();
        rejects("logits", () -> none.forwardBackward(null, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("targets", () -> none.forwardBackward(p, 0, null, 0, N, C, losses, 0, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, null, 0));
        rejects("rows", () -> none.forward(p, 0, y, 0, -3, C, losses, 0));
        rejects("logits", () -> none.forwardBackward(p, 3, y, 0, N, C, losses, 0, grad, 0));
        rejects("losses", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 1, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N - 1, C, losses, 0, p, 3));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, y, 0));
        rejects("losses", () -> none.forwardBackward(p, 0, y, 0, N, C, grad, 0, grad, 0));
        rejects("weights", () -> BinaryCrossEntropyWithLogits.builder().weights(new float[C + 1]).build()
                .forwardBackward(p, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("posWeight", () -> BinaryCrossEntropyWithLogits.builder().posWeight(new float[N]).build()
                .forwardBackward(p, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("posWeight", () -> BinaryCrossEntropyWithLogits.builder().posWeight(new double[N * C]).build()
                .forwardBackward(p64, 0, y64, 0, N, C, losses64, 0, grad64, 0));
        rejects("weights", () -> BinaryCrossEntropyWithLogits.builder().weights(new double[2]).build()
                .forward(p64, 0, y64, 0, N, C, losses64, 0));
        rejects("reduction", () -> BinaryCrossEntropyWithLogits.builder().reduction(Reduction.BATCHMEAN));
        rejects("gradient", () -> none.forwardBackward(p64, 0, y64, 0, N - 1, C, losses64, 0, p64, 1));
    }

    @Test
    void distillation() {
        reset();
        Distillation none = Distillation.builder().reduction(Reduction.NONE).temperature(2).build();
        // here p is the student, y the teacher; losses are per row
        rejects("studentLogits", () -> none.forwardBackward(null, 0, y, 0, N, C, losses, 0, grad, 0));
        rejects("teacherLogits", () -> none.forwardBackward(p, 0, null, 0, N, C, losses, 0, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, null, 0));
        rejects("rows", () -> none.forwardBackward(p, 0, y, 0, -1, C, losses, 0, grad, 0));
        rejects("classes", () -> none.forward(p, 0, y, 0, N, -1, losses, 0));
        rejects("studentLogits", () -> none.forwardBackward(p, 2, y, 0, N, C, losses, 0, grad, 0));
        rejects("rowLosses", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, N * C - 1, grad, 0));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N - 1, C, losses, 0, p, 1));
        rejects("gradient", () -> none.forwardBackward(p, 0, y, 0, N, C, losses, 0, y, 0));
        rejects("rowLosses", () -> none.forwardBackward(p, 0, y, 0, N, C, grad, 0, grad, 0));
        rejects("rowLosses", () -> none.forward(p, 0, y, 0, N, C, p, 0));
        rejects("teacherLogits", () -> none.forwardBackward(p64, 0, y64, 1, N, C, losses64, 0, grad64, 0));
        rejects("gradient", () -> none.forwardBackward(p64, 0, y64, 0, N, C, losses64, 0, y64, 0));
        rejects("temperature", () -> Distillation.builder().temperature(0));
        rejects("temperature", () -> Distillation.builder().temperature(-2));
        rejects("temperature", () -> Distillation.builder().temperature(Double.NaN));
        rejects("reduction", () -> Distillation.builder().reduction(Reduction.MEAN));
    }
}
