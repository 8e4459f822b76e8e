package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native float32 gradient of soft cross-entropy and distillation in each placement the segment kernels tell
 * apart: in place (the gradient view is the logits view, so the exps may not be written to it before the row has
 * been read), apart in another native block, and apart in the same native block (the logits, the targets and the
 * gradient slices of one segment, the gradient's first element directly after the logits' last). Each against the
 * same loss on {@code float[]} arrays, with rows masked by {@code -inf}, a row holding NaN and rows long enough to
 * be chunked; rows padded; no byte outside the views written, the targets unchanged.
 */
class ViewsInPlaceCrossCheckTest {

    enum Placement { IN_PLACE, OTHER_BLOCK, SAME_BLOCK }

    @ParameterizedTest(name = "{0} {1}x{2} {3}")
    @CsvSource({
            "soft CE, 9, 37, IN_PLACE", "soft CE, 9, 37, OTHER_BLOCK", "soft CE, 9, 37, SAME_BLOCK",
            "soft CE, 6, 600, IN_PLACE", "soft CE, 6, 600, SAME_BLOCK",
            "soft CE, 3, 2100, IN_PLACE", "soft CE, 3, 2100, OTHER_BLOCK", "soft CE, 3, 2100, SAME_BLOCK",
            "distillation, 9, 37, IN_PLACE", "distillation, 6, 600, SAME_BLOCK", "distillation, 3, 2100, IN_PLACE"})
    void matchesTheArrayKernels(String name, int rows, int classes, Placement placement) {
        boolean distillation = name.startsWith("distillation");
        Loss loss = distillation ? Distillation.builder().temperature(2).build()
                : SoftCrossEntropy.builder().labelSmoothing(0.1).build();
        SplittableRandom rnd = new SplittableRandom(7L * rows + classes);
        float[] x = new float[rows * classes];
        float[] t = new float[rows * classes];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (4 * rnd.nextDouble() - 2);
            t[i] = distillation ? (float) (4 * rnd.nextDouble() - 2) : (float) rnd.nextDouble() * 0.1f;
        }
        for (int c = 0; c < classes; c += 3) {
            x[classes + c] = Float.NEGATIVE_INFINITY; // row 1: a third of its classes masked
        }
        x[2 * classes + classes / 2] = Float.NaN;   // row 2: NaN in, NaN out

        float[] wantGrad = new float[rows * classes];
        double want = loss.forwardBackward(TensorView.of(x.clone()).matrix(rows, classes),
                TensorView.of(t.clone()).matrix(rows, classes), null, TensorView.of(wantGrad).matrix(rows, classes));

        int pad = 3;
        long stride = classes + pad;
        long extent = (rows - 1) * stride + classes;
        try (Arena arena = Arena.ofConfined()) {
            int guard = 5;
            long viewBytes = 4 * (guard + extent + guard);
            MemorySegment block = arena.allocate(3 * viewBytes, 64);
            block.fill((byte) 0x5A);
            MemorySegment xs = block.asSlice(0, viewBytes);
            MemorySegment gs = switch (placement) {
                case IN_PLACE -> xs;
                // the gradient's first element directly after the logits' last one
                case SAME_BLOCK -> block.asSlice(viewBytes - 8 * guard, viewBytes);
                case OTHER_BLOCK -> arena.allocate(viewBytes, 64).fill((byte) 0x5A);
            };
            MemorySegment ts = block.asSlice(2 * viewBytes, viewBytes);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < classes; c++) {
                    long at = 4 * (guard + r * stride + c);
                    xs.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, x[r * classes + c]);
                    ts.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, t[r * classes + c]);
                }
            }
            TensorView xv = TensorView.of(xs, ElementType.FLOAT32).matrix(guard, rows, classes, stride);
            TensorView tv = TensorView.of(ts, ElementType.FLOAT32).matrix(guard, rows, classes, stride);
            TensorView gv = placement == Placement.IN_PLACE ? xv
                    : TensorView.of(gs, ElementType.FLOAT32).matrix(guard, rows, classes, stride);
            double got = loss.forwardBackward(xv, tv, null, gv);

            String what = name + " " + rows + "x" + classes + " " + placement;
            assertTrue(Double.isNaN(want) && Double.isNaN(got) || Math.abs(want - got) <= Math.ulp((float) want),
                    what + ": loss " + got + ", arrays " + want);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < classes; c++) {
                    float e = wantGrad[r * classes + c];
                    float a = gs.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * (guard + r * stride + c));
                    boolean same = Float.isNaN(e) ? Float.isNaN(a) : Math.abs(e - a) <= 2 * Math.ulp(e) + 0x1p-30f;
                    assertTrue(same, what + ": gradient (" + r + ", " + c + ") " + a + ", arrays " + e);
                }
            }
            // every byte outside the three views untouched: guards, row padding, the memory between the views
            long[] bases = {xs.address() + 4 * guard, ts.address() + 4 * guard, gs.address() + 4 * guard};
            for (MemorySegment s : placement == Placement.OTHER_BLOCK ? new MemorySegment[] {block, gs}
                    : new MemorySegment[] {block}) {
                for (long i = 0; i < s.byteSize(); i += 4) {
                    boolean inView = false;
                    for (long base : bases) {
                        long element = (s.address() + i - base) / 4;
                        inView |= s.address() + i >= base && element < extent && element % stride < classes;
                    }
                    if (!inView) {
                        for (int b = 0; b < 4; b++) {
                            assertTrue(s.get(ValueLayout.JAVA_BYTE, i + b) == 0x5A, what + ": byte " + (i + b)
                                    + " outside the views written");
                        }
                    }
                }
            }
            // the targets are read, never written
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < classes; c++) {
                    float v = ts.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * (guard + r * stride + c));
                    assertTrue(v == t[r * classes + c], what + ": target (" + r + ", " + c + ") changed");
                }
            }
        }
    }
}
