package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * After warm-up, a float32 or float64 forward or forward + backward call allocates nothing: a kernel that returned a
 * boxed vector (C2 stopped inlining a helper) would allocate kilobytes per row and run several times slower.
 * Measured with the per-thread allocation counter around many calls; the best of several rounds is used so
 * that a compilation finishing late (interpreted and C1 code allocate) does not fail the test, while a steady
 * allocation shows in every round.
 */
class NoAllocationTest {

    private static final int WARMUP = 6000;
    private static final int KINDS = 5;
    /**
     * Rounds continue until one allocates nothing or this much time has passed: on a loaded machine (2 cores
     * shared by several builds) C2 was seen to need more than 10 s to install the kernels, and C1-compiled
     * Vector API code allocates ~12 KB a row. A kernel that boxes in C2 code allocates in every round and fails.
     */
    private static final long MAX_WAIT_FOR_C2_NANOS = 60_000_000_000L;
    private static final String[] KIND_NAMES = {"forward", "forwardBackward", "forward(weights, smoothing, rowLosses)",
            "forwardBackward(weights, smoothing, rowLosses)", "forwardBackward(in place)"};
    private static final int CALLS = 2000;
    /** Average bytes per call tolerated: the counter itself is exact, this only absorbs a stray object. */
    private static final double MAX_BYTES_PER_CALL = 4;

    /** One of the KINDS calls on the test's data; returns the loss so that nothing is optimised away. */
    private interface Call {
        double run(int kind);
    }

    /**
     * The float32 calls, then the float64 ones on the same data (their kernel uses the inline DoubleExp), these
     * with vectors of 256 bits or more: see LossesAllocationTest.
     */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"64, 1000", "4, 32000", "33, 7", "5, 1"})
    void steadyStateCallsAllocateNothing(int rows, int classes) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + classes);
        float[] x = new float[rows * classes];
        float[] y = new float[rows * classes];
        float[] w = new float[classes];
        fill(rnd, x, y, w);
        float[] rowLosses = new float[rows];
        float[] grad = new float[rows * classes];
        SoftCrossEntropy plain = SoftCrossEntropy.builder().reduction(Reduction.MEAN).build();
        SoftCrossEntropy weighted = SoftCrossEntropy.builder().reduction(Reduction.NONE).labelSmoothing(0.1)
                .classWeights(w).build();
        assertNoAllocation(rows + "x" + classes, i -> run(plain, weighted, x, y, rowLosses, grad, i));

        double[] x64 = ErrorBudget.toDoubles(x);
        double[] y64 = ErrorBudget.toDoubles(y);
        double[] rowLosses64 = new double[rows];
        double[] grad64 = new double[rows * classes];
        SoftCrossEntropy weighted64 = SoftCrossEntropy.builder().reduction(Reduction.NONE).labelSmoothing(0.1)
                .classWeights(ErrorBudget.toDoubles(w)).build();
        assertNoAllocation(rows + "x" + classes + " float64",
                i -> run(plain, weighted64, x64, y64, rowLosses64, grad64, i));
    }

    private static void fill(SplittableRandom rnd, float[] x, float[] y, float[] w) {
        int classes = w.length;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * rnd.nextGaussian());
            y[i] = (float) rnd.nextDouble() / classes;
        }
        for (int c = 0; c < classes; c++) {
            w[c] = (float) (0.5 + rnd.nextDouble());
        }
    }

    private static void assertNoAllocation(String shape, Call call) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "the JVM must count allocated bytes per thread");
        // warm-up: C2 compiles a method after ~10-15k invocations or loop back-edges; 6000 calls of 5 kinds
        // call each row kernel at least 1500 * rows times and run its loops far more often
        double sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += call.run(i % KINDS);
        }
        long threadId = Thread.currentThread().threadId();
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + MAX_WAIT_FOR_C2_NANOS;
        for (int round = 0; best > MAX_BYTES_PER_CALL && (round < 3 || System.nanoTime() < deadline); round++) {
            long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < CALLS; i++) {
                sink += call.run(i % KINDS);
            }
            long after = threads.getThreadAllocatedBytes(threadId);
            best = Math.min(best, (after - before) / (double) CALLS);
        }
        if (best > MAX_BYTES_PER_CALL) {
            // say which kind of call allocates
            StringBuilder perKind = new StringBuilder();
            for (int kind = 0; kind < KINDS; kind++) {
                long before = threads.getThreadAllocatedBytes(threadId);
                for (int i = 0; i < CALLS / KINDS; i++) {
                    sink += call.run(kind);
                }
                long after = threads.getThreadAllocatedBytes(threadId);
                perKind.append(' ').append(KIND_NAMES[kind]).append('=')
                        .append((after - before) / (CALLS / KINDS)).append(" B");
            }
            throw new AssertionError(shape + ": " + best + " bytes allocated per call (a kernel is"
                    + " boxing vectors); per kind of call:" + perKind + " (sink " + sink + ")");
        }
    }

    /**
     * Cycles through forward and forward + backward, without and with weights, smoothing and row losses, and
     * in place (the logits become gradients, which stay finite and small, so the data remains valid): kinds 2 and
     * 3 use the weighted loss and row losses, odd kinds and kind 4 compute the gradient, kind 4 in place.
     */
    private static float run(SoftCrossEntropy plain, SoftCrossEntropy weighted, float[] x, float[] y,
                             float[] rowLosses, float[] grad, int i) {
        int kind = i % KINDS, rows = rowLosses.length, classes = x.length / rows;
        SoftCrossEntropy loss = kind == 2 || kind == 3 ? weighted : plain;
        float[] rl = kind == 2 || kind == 3 ? rowLosses : null;
        float[] in = kind == 4 ? grad : x;
        return kind == 0 || kind == 2 ? loss.forward(in, 0, y, 0, rows, classes, rl, 0)
                : loss.forwardBackward(in, 0, y, 0, rows, classes, rl, 0, grad, 0);
    }

    /** The same kinds in float64. */
    private static double run(SoftCrossEntropy plain, SoftCrossEntropy weighted, double[] x, double[] y,
                              double[] rowLosses, double[] grad, int i) {
        int kind = i % KINDS, rows = rowLosses.length, classes = x.length / rows;
        SoftCrossEntropy loss = kind == 2 || kind == 3 ? weighted : plain;
        double[] rl = kind == 2 || kind == 3 ? rowLosses : null;
        double[] in = kind == 4 ? grad : x;
        return kind == 0 || kind == 2 ? loss.forward(in, 0, y, 0, rows, classes, rl, 0)
                : loss.forwardBackward(in, 0, y, 0, rows, classes, rl, 0, grad, 0);
    }
}
