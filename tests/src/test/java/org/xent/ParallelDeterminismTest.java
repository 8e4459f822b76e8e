package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The same bits whatever the thread count and executor: every loss of {@link ViewsCrossCheckTest#losses}, in
 * float32, bfloat16 (native, padded rows), float16 and float64 storage, on batches large enough to be split into
 * parts, computed on one thread and with {@link Loss#parallel} at 2, 3 and 8 threads of the shared pool, on a
 * caller's fixed pool, on a caller's fork-join pool, and on an executor that runs nothing (the caller then does
 * every part). Compared by a digest of every bit written ({@link TierProbe#digest}); native memory of a shared
 * arena, and once of a confined one (which only its owner may touch: the call stays on the calling thread).
 */
class ParallelDeterminismTest {

    private static final ExecutorService FIXED = Executors.newFixedThreadPool(3);
    private static final ForkJoinPool FORK_JOIN = new ForkJoinPool(2);

    @AfterAll
    static void shutDown() {
        FIXED.shutdownNow();
        FORK_JOIN.shutdownNow();
    }

    // rows x classes: 5 parts of 65 rows at 1000 classes (the last one short), 3 parts of one long row
    private static final int[][] SHAPES = {{300, 1000}, {3, 70000}, {2000, 70}};
    private static final ElementType[] TYPES = {ElementType.FLOAT32, ElementType.BFLOAT16, ElementType.FLOAT16,
            ElementType.FLOAT64};

    @Test
    void everyThreadCountAndExecutorGivesTheBitsOfOneThread() {
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int classes = shape[1];
            assertTrue((long) rows * classes >= ViewLoss.PARALLEL_MIN_ELEMENTS, "shape must be split into parts");
            for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(rows, classes)) {
                for (ElementType type : TYPES) {
                    String one = TierProbe.digestShared(lc.loss(), lc, rows, classes, type);
                    Loss[] variants = {
                        lc.loss().parallel(2),
                        lc.loss().parallel(3),
                        lc.loss().parallel(8),
                        lc.loss().parallel(Runtime.getRuntime().availableProcessors()),
                        lc.loss().parallel(FIXED, 3),
                        lc.loss().parallel(FORK_JOIN, 2),
                        lc.loss().parallel(task -> { }, 4), // runs nothing: the caller does every part
                    };
                    for (Loss v : variants) {
                        String got = TierProbe.digestShared(v, lc, rows, classes, type);
                        compared++;
                        if (!got.equals(one)) {
                            failures.add(lc + " " + rows + "x" + classes + " " + type + " " + v);
                        }
                    }
                    // a confined arena's memory: only its owner thread may touch it, so the call stays on it
                    if (type == ElementType.BFLOAT16 && !TierProbe.digest(lc.loss().parallel(3), lc, rows, classes,
                            type).equals(TierProbe.digest(lc.loss(), lc, rows, classes, type))) {
                        failures.add(lc + " " + rows + "x" + classes + " confined arena");
                    }
                }
            }
        }
        assertEquals(List.of(), failures, "differ from one thread (of " + compared + " compared)");
    }

    @Test
    void badThreadCountsAndExecutorsAreRejectedByName() {
        Loss loss = SoftCrossEntropy.create();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> loss.parallel(0));
        assertEquals("threads", e.parameter());
        e = assertThrows(InvalidArgumentException.class, () -> loss.parallel(null, 2));
        assertEquals("executor", e.parameter());
        e = assertThrows(InvalidArgumentException.class, () -> loss.parallel(FIXED, -1));
        assertEquals("threads", e.parameter());
    }

    /**
     * Parts at an offset read and write the right rows: a batch of 300 x 1000 (five parts) against the same rows
     * computed as two batches split at row 100 (inside the second part), float32 on heap arrays, every loss. The
     * unreduced outputs must be the same bits; so must the gradients of the losses whose reduction is a sum (a
     * mean scales the gradient by the batch's denominator). Only the reduced value's summation order differs.
     */
    @Test
    void rowsGiveTheSameBitsInWhicheverPartTheyFall() {
        final int rows = 300;
        final int classes = 1000;
        final int split = 100;
        List<String> failures = new ArrayList<>();
        for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(rows, classes)) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            float[] x = new float[rows * classes];
            float[] t = new float[rows * classes];
            int[] idx = new int[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = ViewsCrossCheckTest.input(lc.inputKind(), rnd);
                t[i] = ViewsCrossCheckTest.target(lc, rnd);
            }
            for (int r = 0; r < rows; r++) {
                idx[r] = rnd.nextInt(classes);
            }
            int outWidth = lc.elementwise() ? classes : 1;
            TensorView vx = TensorView.of(x).matrix(rows, classes);
            TensorView vt = lc.indices() ? TensorView.of(idx) : TensorView.of(t).matrix(rows, classes);
            float[] outAll = new float[rows * outWidth];
            float[] gradAll = new float[rows * classes];
            float[] outSplit = new float[rows * outWidth];
            float[] gradSplit = new float[rows * classes];
            TensorView oAll = TensorView.of(outAll).matrix(rows, outWidth);
            TensorView oSplit = TensorView.of(outSplit).matrix(rows, outWidth);
            if (!lc.elementwise()) {
                oAll = TensorView.of(outAll);
                oSplit = TensorView.of(outSplit);
            }
            TensorView gAll = TensorView.of(gradAll).matrix(rows, classes);
            TensorView gSplit = TensorView.of(gradSplit).matrix(rows, classes);
            lc.loss().parallel(3).forwardBackward(vx, vt, oAll, gAll);
            // per-element weights (BCE) are fixed to the full batch's shape: that case is covered above
            if (lc.name().contains("per-element")) {
                continue;
            }
            for (int[] range : new int[][] {{0, split}, {split, rows - split}}) {
                lc.loss().forwardBackward(vx.rows(range[0], range[1]), vt.rows(range[0], range[1]),
                        oSplit.rows(range[0], range[1]), gSplit.rows(range[0], range[1]));
            }
            if (!java.util.Arrays.equals(outAll, outSplit)) {
                failures.add(lc + ": unreduced");
            }
            if (lc.loss().reduction() == Reduction.SUM && !java.util.Arrays.equals(gradAll, gradSplit)) {
                failures.add(lc + ": gradient");
            }
        }
        assertEquals(List.of(), failures, "rows computed in another part differ");
    }
}
