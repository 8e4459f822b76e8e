package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Once compiled, a call of {@link BinaryCrossEntropy}, {@link BinaryCrossEntropyWithLogits} or {@link Distillation}
 * allocates nothing: the thread's allocated-bytes counter must not move (beyond a few bytes per call of noise) over
 * many calls. This is what catches boxed vectors when C2 stops inlining a kernel's helpers. Interpreted Vector API
 * code does allocate, so each path is warmed up first, and measured again after more warm-up if the compiler is
 * still busy (the machine is shared). Float64 paths are checked at every width, 2 double lanes included (see
 * LossesAllocationTest).
 */
class BinaryLossesAndDistillationAllocationTest {

    private static final int ROWS = 4;
    private static final int CLASSES = 203; // a masked tail at every vector width
    private static final int CALLS = 2000;
    private static final double MAX_BYTES_PER_CALL = 1.0;
    private static final double[] SINK = new double[1];

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private interface Call {
        double run();
    }

    private double bytesPerCall(Call call) {
        double sink = 0;
        long tid = Thread.currentThread().threadId();
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 8 && best > MAX_BYTES_PER_CALL; round++) {
            for (int i = 0; i < 5 * CALLS; i++) {
                sink += call.run();
            }
            long before = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < CALLS; i++) {
                sink += call.run();
            }
            long after = threads.getThreadAllocatedBytes(tid);
            best = Math.min(best, (after - before) / (double) CALLS);
        }
        SINK[0] += sink; // keep the results alive
        return best;
    }

    private void assertNoAllocation(String what, Call call) {
        double bytes = bytesPerCall(call);
        assertTrue(bytes <= MAX_BYTES_PER_CALL, what + " allocates " + bytes + " bytes per call");
    }

    @Test
    void noAllocationPerCall() {
        int size = ROWS * CLASSES;
        Random rnd = new Random(5);
        float[] p = new float[size];
        float[] x = new float[size];
        float[] y = new float[size];
        float[] u = new float[size];
        for (int i = 0; i < size; i++) {
            p[i] = rnd.nextFloat();
            x[i] = (float) (3 * rnd.nextGaussian());
            y[i] = rnd.nextFloat();
            u[i] = (float) (3 * rnd.nextGaussian());
        }
        double[] p64 = ErrorBudget.toDoubles(p);
        double[] x64 = ErrorBudget.toDoubles(x);
        double[] y64 = ErrorBudget.toDoubles(y);
        double[] u64 = ErrorBudget.toDoubles(u);
        float[] out = new float[size];
        float[] grad = new float[size];
        double[] out64 = new double[size];
        double[] grad64 = new double[size];
        float[] w = new float[CLASSES];
        java.util.Arrays.fill(w, 0.5f);

        BinaryCrossEntropy bce = BinaryCrossEntropy.builder().reduction(Reduction.NONE).weights(w).build();
        assertNoAllocation("BCE forward f32", () -> bce.forward(p, 0, y, 0, ROWS, CLASSES, null, 0));
        assertNoAllocation("BCE forwardBackward f32",
                () -> bce.forwardBackward(p, 0, y, 0, ROWS, CLASSES, out, 0, grad, 0));
        assertNoAllocation("BCE forward f64", () -> bce.forward(p64, 0, y64, 0, ROWS, CLASSES, null, 0));
        assertNoAllocation("BCE forwardBackward f64",
                () -> bce.forwardBackward(p64, 0, y64, 0, ROWS, CLASSES, out64, 0, grad64, 0));

        BinaryCrossEntropyWithLogits logits = BinaryCrossEntropyWithLogits.builder().posWeight(w).build();
        assertNoAllocation("BCE logits forward f32", () -> logits.forward(x, 0, y, 0, ROWS, CLASSES, out, 0));
        assertNoAllocation("BCE logits forwardBackward f32",
                () -> logits.forwardBackward(x, 0, y, 0, ROWS, CLASSES, null, 0, grad, 0));
        assertNoAllocation("BCE logits forward f64", () -> logits.forward(x64, 0, y64, 0, ROWS, CLASSES, out64, 0));
        assertNoAllocation("BCE logits forwardBackward f64",
                () -> logits.forwardBackward(x64, 0, y64, 0, ROWS, CLASSES, null, 0, grad64, 0));

        Distillation kd = Distillation.builder().temperature(2).build();
        assertNoAllocation("distillation forward f32", () -> kd.forward(x, 0, u, 0, ROWS, CLASSES, out, 0));
        assertNoAllocation("distillation forwardBackward f32",
                () -> kd.forwardBackward(x, 0, u, 0, ROWS, CLASSES, out, 0, grad, 0));
        assertNoAllocation("distillation forward f64", () -> kd.forward(x64, 0, u64, 0, ROWS, CLASSES, null, 0));
        assertNoAllocation("distillation forwardBackward f64",
                () -> kd.forwardBackward(x64, 0, u64, 0, ROWS, CLASSES, out64, 0, grad64, 0));
    }
}
