package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The argument checks name the rejected parameter as data: {@link InvalidArgumentException#parameter()}, the
 * name the message starts with.
 */
class InvalidArgumentExceptionTest {

    private final float[] x = {1, 2, 3, 4, 5, 6};
    private final float[] y = {0, 0, 1, 1, 0, 0};
    private final SoftCrossEntropy soft = SoftCrossEntropy.create();

    private static void rejects(String parameter, Executable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertEquals(parameter, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().startsWith(parameter), "the message should start with the name: " + e.getMessage());
    }

    @Test
    void sizesAndSlices() {
        rejects("rows", () -> soft.forward(x, y, -1, 3));
        rejects("classes", () -> soft.forward(x, y, 2, -3));
        rejects("rows", () -> soft.forward(x, y, 1 << 16, 1 << 16));
        rejects("logits", () -> soft.forward(null, y, 2, 3));
        rejects("targets", () -> soft.forward(x, new float[5], 2, 3));
        rejects("targets", () -> soft.forward(x, 0, y, 4, 2, 3, null, 0));
    }

    @Test
    void outputs() {
        float[] rowLosses = new float[1];
        rejects("rowLosses", () -> soft.forward(x, 0, y, 0, 2, 3, rowLosses, 0));
        // the gradient may be the logits themselves (in place) but must not overlap the targets
        rejects("gradient", () -> soft.forwardBackward(x, 0, y, 0, 2, 3, null, 0, y, 0));
        float[] xy = new float[12];
        rejects("gradient", () -> soft.forwardBackward(xy, 0, xy, 6, 2, 3, null, 0, xy, 3));
    }

    @Test
    void settingsAndWeights() {
        rejects("labelSmoothing", () -> SoftCrossEntropy.builder().labelSmoothing(1.5));
        rejects("classWeights", () -> SoftCrossEntropy.builder().classWeights(new float[2]).build().forward(x, y, 2, 3));
        rejects("weights", () -> BinaryCrossEntropy.builder().weights(new float[4]).build()
                .forward(new float[6], new float[6], 2, 3));
        rejects("posWeight", () -> BinaryCrossEntropyWithLogits.builder().posWeight(new float[2]).build()
                .forward(new float[6], new float[6], 2, 3));
        rejects("probabilities", () -> BinaryCrossEntropy.create().forward(new float[] {0.5f, 1.5f}, new float[2], 1, 2));
    }

    @Test
    void isAnIllegalArgumentException() {
        InvalidArgumentException e = new InvalidArgumentException("targets", "targets: bad");
        assertTrue(e instanceof IllegalArgumentException);
        assertEquals("targets", e.parameter());
        assertEquals("targets: bad", e.getMessage());
        assertThrows(NullPointerException.class, () -> new InvalidArgumentException(null, "no name"));
    }
}
