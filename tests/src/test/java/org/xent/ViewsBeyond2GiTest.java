package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xent.internal.HalfFloats;

/**
 * A batch of more than 2^31 elements: hard-label cross-entropy on 2^31 + 1000 (and a few more, to fill the last
 * row) bfloat16 logits in native memory, about 4.3 GB, gives the same row losses, bit for bit, and the same sum as
 * the same rows computed in pieces of 4096 rows. Skipped, by name, where the machine has less than 6 GB of free
 * physical memory.
 */
class ViewsBeyond2GiTest {

    private static final int CLASSES = 32_000;
    private static final long ROWS = ((1L << 31) + 1000 + CLASSES - 1) / CLASSES;

    @Test
    void hardCrossEntropyOverMoreThan2PowerOf31Elements() {
        long needed = ROWS * CLASSES * 2 + (1L << 30);
        long free = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getFreeMemorySize();
        if (free < needed + (1L << 30)) {
            System.out.println("xent: ViewsBeyond2GiTest skipped: " + (free >> 20) + " MB of free memory, needs "
                    + ((needed + (1L << 30)) >> 20) + " MB");
        }
        assumeTrue(free >= needed + (1L << 30), "ViewsBeyond2GiTest needs " + ((needed + (1L << 30)) >> 20)
                + " MB of free memory, the machine has " + (free >> 20) + " MB");
        assertTrue(ROWS * CLASSES > (1L << 31) + 1000);
        SplittableRandom rnd = new SplittableRandom(7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment logits = arena.allocate(ROWS * CLASSES * 2, 64);
            // 61 distinct rows of N(0, 3) logits repeated (filling 4.3 GB with fresh draws would take the longest)
            int distinct = 61;
            short[] block = new short[distinct * CLASSES];
            for (int i = 0; i < block.length; i++) {
                block[i] = HalfFloats.floatToBfloat16((float) (3 * rnd.nextGaussian()));
            }
            for (long r = 0; r < ROWS; r += distinct) {
                int n = (int) Math.min(distinct, ROWS - r) * CLASSES;
                MemorySegment.copy(block, 0, logits, ValueLayout.JAVA_SHORT, r * CLASSES * 2, n);
            }
            MemorySegment targets = arena.allocate(ROWS * 8, 8);
            for (long r = 0; r < ROWS; r++) {
                targets.setAtIndex(ValueLayout.JAVA_LONG, r, rnd.nextInt(CLASSES));
            }
            MemorySegment whole = arena.allocate(ROWS * 4, 4);
            MemorySegment pieces = arena.allocate(ROWS * 4, 4);
            TensorView x = TensorView.of(logits, ElementType.BFLOAT16).matrix(ROWS, CLASSES);
            TensorView t = TensorView.of(targets, ElementType.INT64);
            HardCrossEntropy loss = HardCrossEntropy.builder().reduction(Reduction.SUM).build();
            double total = loss.forward(x, t, TensorView.of(whole, ElementType.FLOAT32));
            double sum = 0;
            TensorView pieceOut = TensorView.of(pieces, ElementType.FLOAT32);
            for (long r0 = 0; r0 < ROWS; r0 += 4096) {
                long n = Math.min(4096, ROWS - r0);
                sum += loss.forward(x.rows(r0, n), t.rows(r0, n), pieceOut.rows(r0, n));
            }
            assertEquals(-1, whole.mismatch(pieces), "row losses of the whole batch and of the pieces differ");
            assertTrue(Math.abs(total - sum) <= 1e-6 * Math.abs(sum), "sum " + total + " against pieces " + sum);
            assertTrue(total > 0 && Double.isFinite(total), "total " + total);
        }
    }
}
