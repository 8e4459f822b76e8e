package org.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad views: each is an {@link InvalidArgumentException} naming the parameter, and nothing is written to any
 * output (the outputs hold a sentinel before the call and must still hold it after).
 */
class ViewsBadInputTest {

    private static final float SENTINEL = -12345.5f;

    private final float[] logits = {1, 2, 3, 4, 5, 6};
    private final float[] targets = {0, 0, 1, 1, 0, 0};
    private final float[] grad = filled(6);
    private final float[] rows = filled(2);
    private final TensorView x = TensorView.of(logits).matrix(2, 3);
    private final TensorView t = TensorView.of(targets).matrix(2, 3);
    private final TensorView g = TensorView.of(grad).matrix(2, 3);
    private final TensorView out = TensorView.of(rows);
    private final SoftCrossEntropy soft = SoftCrossEntropy.create();

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    /** The call fails naming {@code parameter}, and grad and rows are untouched; returns the message. */
    private String rejects(String parameter, Executable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertEquals(parameter, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().contains(parameter), e.getMessage());
        assertArrayEquals(filled(6), grad, "gradient written before the check failed: " + e.getMessage());
        assertArrayEquals(filled(2), rows, "row losses written before the check failed: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badShapesOfAView() {
        rejects("rowStride", () -> TensorView.of(logits).matrix(0, 2, 3, -1));
        rejects("rowStride", () -> TensorView.of(logits).matrix(0, 2, 3, 2));
        rejects("offset", () -> TensorView.of(logits).matrix(1, 2, 3, 3));
        rejects("offset", () -> TensorView.of(new float[5]).matrix(2, 3));
        rejects("offset", () -> TensorView.of(logits).vector(4, 3));
        rejects("rows", () -> TensorView.of(logits).matrix(0, -1, 3, 3));
        rejects("rows", () -> TensorView.of(logits).matrix(0, Long.MAX_VALUE / 2, 3, 1L << 40));
        rejects("type", () -> TensorView.of(new short[4], ElementType.FLOAT32));
        rejects("count", () -> x.rows(1, 2));
    }

    @Test
    void segmentsPastTheEndMisalignedOrReadOnly() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(5 * 4, 4);
            rejects("offset", () -> TensorView.of(small, ElementType.FLOAT32).matrix(2, 3));
            MemorySegment odd = arena.allocate(64, 8).asSlice(1);
            rejects("segment", () -> TensorView.of(odd, ElementType.FLOAT32));
            // a heap segment over a byte[] at an odd offset is fine
            TensorView heapOdd = TensorView.of(MemorySegment.ofArray(new byte[25]).asSlice(1), ElementType.FLOAT32);
            assertEquals(6, heapOdd.rows());
            MemorySegment native6 = arena.allocate(6 * 4, 4);
            MemorySegment.copy(logits, 0, native6, ValueLayout.JAVA_FLOAT, 0, 6);
            TensorView readOnly = TensorView.of(native6.asReadOnly(), ElementType.FLOAT32).matrix(2, 3);
            assertTrue(Float.isFinite((float) soft.forward(readOnly, t)), "a read-only input is fine");
            rejects("gradient", () -> soft.forwardBackward(x, t, out, readOnly));
            MemorySegment rowsRo = arena.allocate(8, 4).asReadOnly();
            rejects("unreduced", () -> soft.forwardBackward(x, t, TensorView.of(rowsRo, ElementType.FLOAT32), g));
        }
    }

    @Test
    void viewsThatDoNotFitTheLoss() {
        rejects("logits", () -> soft.forwardBackward(TensorView.of(new int[6]).matrix(2, 3), t, out, g));
        rejects("logits", () -> soft.forward(TensorView.of(logits), t));
        rejects("targets", () -> soft.forwardBackward(x, TensorView.of(targets).matrix(3, 2), out, g));
        rejects("targets", () -> soft.forwardBackward(x, null, out, g));
        rejects("unreduced", () -> soft.forwardBackward(x, t, TensorView.of(filled(3)), g));
        rejects("gradient", () -> soft.forwardBackward(x, t, out, TensorView.of(filled(8)).matrix(2, 4)));
        rejects("gradient", () -> soft.forwardBackward(x, t, out, null));
        HardCrossEntropy hard = HardCrossEntropy.create();
        rejects("targets", () -> hard.forwardBackward(x, t, out, g));
        rejects("targets", () -> hard.forwardBackward(x, TensorView.of(new long[] {0, 3}), out, g));
        rejects("targets", () -> hard.forwardBackward(x, TensorView.of(new int[] {0, 1, 2}), out, g));
        BinaryCrossEntropy bce = BinaryCrossEntropy.create();
        TensorView p = TensorView.of(new float[] {0.5f, 0.5f, 1.5f, 0.5f, 0.5f, 0.5f}).matrix(2, 3);
        rejects("probabilities", () -> bce.forwardBackward(p, t, null, g));
        // element-wise losses take an N x C unreduced output, not one per row
        rejects("unreduced", () -> KLDivergence.create().forward(x, t, out));
    }

    @Test
    void overlappingOutputs() {
        float[] shared = filled(12);
        TensorView logitsIn = TensorView.of(shared).matrix(0, 2, 3, 3);
        for (int i = 0; i < 6; i++) {
            shared[i] = logits[i];
        }
        TensorView shifted = TensorView.of(shared).matrix(2, 2, 3, 3);
        rejects("gradient", () -> soft.forwardBackward(logitsIn, t, out, shifted));
        rejects("gradient", () -> soft.forwardBackward(x, t, out, TensorView.of(targets).matrix(2, 3)));
        rejects("unreduced", () -> soft.forwardBackward(x, t, TensorView.of(logits).vector(0, 2), g));
        rejects("unreduced", () -> soft.forwardBackward(x, t, TensorView.of(grad).vector(0, 2), g));
        // exactly the logits view is in place, and allowed
        float[] inPlace = logits.clone();
        TensorView ip = TensorView.of(inPlace).matrix(2, 3);
        soft.forwardBackward(ip, t, null, ip);
        assertTrue(inPlace[0] != logits[0], "in place: the logits became the gradient");
    }
}
