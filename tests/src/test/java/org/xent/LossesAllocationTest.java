package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * After warm-up, the hard cross-entropy, KL divergence and probability cross-entropy calls allocate nothing: a
 * boxed vector (the Vector API's failure mode when C2 stops inlining) would cost kilobytes per row. Measured with
 * the per-thread allocation counter over many calls; the bound (16 bytes per call on average) tolerates nothing
 * but stray bookkeeping. Warm-up is repeated a few times before failing because C2 compiles in the background.
 *
 * <p>The float64 calls are checked at every width, 128 bits (2 double lanes) included: there this JDK's C2 has no
 * intrinsic for double compare, blend or masked loads, whose Java fallback allocated 100-700 KB per call until
 * the kernels stopped using them at that width (see {@code Species.DOUBLE_MASKS}).
 */
class LossesAllocationTest {

    private static final int N = 8;
    private static final int C = 100;   // a masked tail on every width
    private static final int CALLS = 2000;

    private final float[] x = new float[N * C];
    private final float[] t = new float[N * C];
    private final float[] p = new float[N * C];
    private final float[] g = new float[N * C];
    private final float[] rows = new float[N];
    private final float[] out = new float[N * C];
    private final double[] x64 = new double[N * C];
    private final double[] t64 = new double[N * C];
    private final double[] g64 = new double[N * C];
    private final int[] targets = new int[N];
    private double sink;

    private final HardCrossEntropy hard = HardCrossEntropy.builder().labelSmoothing(0.1)
            .classWeights(new double[C]).build();
    private final HardCrossEntropy hardPlain = HardCrossEntropy.create();
    private final KLDivergence kl = KLDivergence.create();
    private final KLDivergence klLog = KLDivergence.builder().logTarget(true).build();
    private final ProbabilityCrossEntropy prob = ProbabilityCrossEntropy.create();
    private final ProbabilityCrossEntropy logProb = ProbabilityCrossEntropy.builder().logInput(true).build();

    LossesAllocationTest() {
        Random rnd = new Random(3);
        for (int i = 0; i < N * C; i++) {
            x[i] = (float) rnd.nextGaussian();
            t[i] = rnd.nextFloat() / C;
            p[i] = rnd.nextFloat();
            x64[i] = x[i];
            t64[i] = t[i];
        }
        for (int r = 0; r < N; r++) {
            targets[r] = rnd.nextInt(C);
        }
    }

    private Runnable[] calls() {
        return new Runnable[] {
            () -> sink += hardPlain.forward(x, 0, targets, 0, N, C, rows, 0),
            () -> sink += hard.forwardBackward(x, 0, targets, 0, N, C, rows, 0, g, 0),
            () -> sink += hardPlain.forwardBackward(x64, 0, targets, 0, N, C, null, 0, g64, 0),
            () -> sink += kl.forward(x, 0, t, 0, N, C, out, 0),
            () -> sink += klLog.forwardBackward(x, 0, t, 0, N, C, null, 0, g, 0),
            () -> sink += kl.forwardBackward(x64, 0, t64, 0, N, C, null, 0, g64, 0),
            () -> sink += prob.forwardBackward(p, 0, t, 0, N, C, rows, 0, g, 0),
            () -> sink += logProb.forward(x, 0, t, 0, N, C, rows, 0),
            () -> sink += prob.forward(t64, 0, t64, 0, N, C, null, 0),
            () -> sink += prob.forward(p, 0, t, 0, N, C, rows, 0),
            () -> sink += logProb.forwardBackward(x, 0, t, 0, N, C, null, 0, g, 0),
            () -> sink += klLog.forward(x, 0, t, 0, N, C, out, 0),
            () -> sink += hard.forward(x64, 0, targets, 0, N, C, null, 0),
            () -> sink += hard.forwardBackward(x64, 0, targets, 0, N, C, null, 0, g64, 0),
            () -> sink += klLog.forwardBackward(x64, 0, t64, 0, N, C, null, 0, g64, 0),
            () -> sink += logProb.forwardBackward(x64, 0, t64, 0, N, C, null, 0, g64, 0),
            () -> sink += prob.forwardBackward(t64, 0, t64, 0, N, C, null, 0, g64, 0),
        };
    }

    private static void repeat(Runnable call) {
        for (int k = 0; k < CALLS; k++) {
            call.run();
        }
    }

    @Test
    void callsAllocateNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        Runnable[] calls = calls();
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < calls.length; i++) {
            double perCall = Double.MAX_VALUE;
            for (int round = 0; round < 8 && perCall > 16; round++) {
                repeat(calls[i]);
                long before = mx.getThreadAllocatedBytes(tid);
                repeat(calls[i]);
                long after = mx.getThreadAllocatedBytes(tid);
                perCall = (after - before) / (double) CALLS;
            }
            report.append(String.format(" call %d: %.1f B;", i, perCall));
            worst = Math.max(worst, perCall);
        }
        System.out.println("LossesAllocationTest:" + report + " (sink " + sink + ")");
        assertTrue(worst <= 16, "bytes allocated per call after warm-up:" + report);
    }
}
