package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a parallel call allocates, on every thread it uses: a bounded few objects per call (the partial sums, a
 * counter, a latch, one task per extra thread, the executor's own wrapping of it), and nothing per part beyond its
 * slot in the partial sums. Measured as the JVM's total allocation over many calls (every thread's), so the pool
 * threads' share is counted; the median of five rounds against the other threads of the test JVM allocating now
 * and then.
 */
class ParallelAllocationTest {

    private static final int CALLS = 150;

    /**
     * Bytes per call allowed: the objects above are about 400 B on a 64-bit JVM with compressed pointers (measured
     * 280-450 B per call on 2 and 3 threads, with 5 and 20 parts); twice that leaves room for a waiting thread's
     * queue node and another executor's bookkeeping, while a per-part scratch or a per-part object (a few hundred
     * bytes each, times 20 parts) would exceed it.
     */
    private static final double BOUND = 1024;

    private double sink;

    @Test
    void aParallelCallAllocatesAFewObjectsNotScratchPerPart() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StringBuilder report = new StringBuilder();
        double worst = 0;
        // 5 parts of 65 rows; 20 parts of 3 rows of 20000 classes
        for (int[] shape : new int[][] {{300, 1000}, {60, 20000}}) {
            int n = shape[0];
            int c = shape[1];
            SplittableRandom rnd = new SplittableRandom(2);
            float[] x = new float[n * c];
            float[] t = new float[n * c];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
                t[i] = 1f / c;
            }
            TensorView vx = TensorView.of(x).matrix(n, c);
            TensorView vt = TensorView.of(t).matrix(n, c);
            TensorView vg = TensorView.of(new float[n * c]).matrix(n, c);
            float[] keep = new float[n];
            for (int r = 0; r < n; r++) {
                keep[r] = r % 9 == 4 ? 0 : 1; // a padding row now and then
            }
            TensorView mask = TensorView.of(keep);
            for (int threads : new int[] {2, 3}) {
                Loss soft = SoftCrossEntropy.create().parallel(threads);
                Loss distill = Distillation.builder().temperature(2).build().parallel(threads).accumulating(0.5);
                Runnable[] calls = {
                    () -> sink += soft.forwardBackward(vx, vt, null, vg),
                    () -> sink += soft.forward(vx, vt),
                    () -> sink += distill.forwardBackward(vx, vt, mask, null, vg),
                };
                for (int k = 0; k < calls.length; k++) {
                    Runnable call = calls[k];
                    repeat(call); // compiled, and the pool holds a scratch per thread
                    repeat(call);
                    double[] rounds = new double[5];
                    for (int round = 0; round < rounds.length; round++) {
                        long before = mx.getTotalThreadAllocatedBytes();
                        repeat(call);
                        rounds[round] = (mx.getTotalThreadAllocatedBytes() - before) / (double) CALLS;
                    }
                    Arrays.sort(rounds);
                    double perCall = rounds[rounds.length / 2];
                    report.append(String.format(" %dx%d, %d threads, call %d: %.0f B;", n, c, threads, k, perCall));
                    worst = Math.max(worst, perCall);
                }
            }
        }
        System.out.println("ParallelAllocationTest:" + report + " (sink " + sink + ")");
        assertTrue(worst <= BOUND, "bytes allocated per parallel call, every thread's:" + report);
    }

    private static void repeat(Runnable call) {
        for (int k = 0; k < CALLS; k++) {
            call.run();
        }
    }
}
