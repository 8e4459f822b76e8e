package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xent.internal.HalfFloats;

/**
 * After warm-up, {@link Loss} calls on views allocate nothing: on heap arrays (the direct path) and on staged
 * storage (native float32, bfloat16 and float16, padded rows, int64 class indices), once the thread's scratch has
 * grown. Same method and bound as {@link LossesAllocationTest} (16 bytes per call on average), float32 compute;
 * and the same calls on fresh virtual threads.
 */
class ViewsAllocationTest {

    private static final int N = 8;
    private static final int C = 100;
    private static final int STRIDE = 104;
    private static final int CALLS = 2000;

    private final Arena arena = Arena.ofAuto();
    private final TensorView x, t, g, rows, rowWeights, xNative, tNative, gNative, xBf16, tBf16, gF16Heap, xF16Heap, tF16Heap,
            idx64, padded, paddedGrad, p, perElementOut, tBf16Copy, gBf16;
    private double sink;

    private final SoftCrossEntropy soft = SoftCrossEntropy.builder().labelSmoothing(0.1).build();
    private final HardCrossEntropy hard = HardCrossEntropy.create();
    private final Distillation distillation = Distillation.builder().temperature(2).build();
    private final BinaryCrossEntropyWithLogits bce = BinaryCrossEntropyWithLogits.create();
    private final BinaryCrossEntropy bceWeighted = BinaryCrossEntropy.builder().weights(new float[N * C]).build();
    private final KLDivergence kl = KLDivergence.create();

    ViewsAllocationTest() {
        Random rnd = new Random(5);
        float[] xs = new float[N * C];
        float[] ts = new float[N * C];
        float[] ps = new float[N * C];
        short[] bf = new short[N * C];
        short[] f16 = new short[N * C];
        long[] idx = new long[N];
        for (int i = 0; i < N * C; i++) {
            xs[i] = (float) rnd.nextGaussian();
            ts[i] = rnd.nextFloat() / C;
            ps[i] = rnd.nextFloat();
            bf[i] = HalfFloats.floatToBfloat16(xs[i]);
            f16[i] = Float.floatToFloat16(xs[i]);
        }
        for (int r = 0; r < N; r++) {
            idx[r] = rnd.nextInt(C);
        }
        x = TensorView.of(xs).matrix(N, C);
        t = TensorView.of(ts).matrix(N, C);
        p = TensorView.of(ps).matrix(N, C);
        g = TensorView.of(new float[N * C]).matrix(N, C);
        rows = TensorView.of(new float[N]);
        // row weights in runs (a 0/1 mask's zeros, ones) and alone, in bfloat16 on the heap
        short[] rw = new short[N];
        float[] rwValues = {1, 1, 0, 0, 1, 0.5f, 2, 1};
        for (int r = 0; r < N; r++) {
            rw[r] = org.xent.internal.HalfFloats.floatToBfloat16(rwValues[r]);
        }
        rowWeights = TensorView.of(rw, ElementType.BFLOAT16);
        perElementOut = TensorView.of(new float[N * C]).matrix(N, C);
        xNative = native32(xs).matrix(N, C);
        tNative = native32(ts).matrix(N, C);
        gNative = native32(new float[N * C]).matrix(N, C);
        MemorySegment bfSeg = arena.allocate(2L * N * C, 2);
        MemorySegment.copy(bf, 0, bfSeg, java.lang.foreign.ValueLayout.JAVA_SHORT, 0, N * C);
        xBf16 = TensorView.of(bfSeg, ElementType.BFLOAT16).matrix(N, C);
        tBf16 = xBf16;
        MemorySegment bfSeg2 = arena.allocate(2L * N * C, 2);
        MemorySegment.copy(bfSeg, 0, bfSeg2, 0, 2L * N * C);
        tBf16Copy = TensorView.of(bfSeg2, ElementType.BFLOAT16).matrix(N, C);
        gBf16 = TensorView.of(arena.allocate(2L * N * C, 2), ElementType.BFLOAT16).matrix(N, C);
        xF16Heap = TensorView.of(f16, ElementType.FLOAT16).matrix(N, C);
        tF16Heap = TensorView.of(f16.clone(), ElementType.FLOAT16).matrix(N, C);
        gF16Heap = TensorView.of(new short[N * C], ElementType.FLOAT16).matrix(N, C);
        MemorySegment idxSeg = arena.allocate(8L * N, 8);
        MemorySegment.copy(idx, 0, idxSeg, java.lang.foreign.ValueLayout.JAVA_LONG, 0, N);
        idx64 = TensorView.of(idxSeg, ElementType.INT64);
        float[] pad = new float[N * STRIDE];
        for (int r = 0; r < N; r++) {
            System.arraycopy(xs, r * C, pad, r * STRIDE, C);
        }
        padded = TensorView.of(pad).matrix(0, N, C, STRIDE);
        paddedGrad = TensorView.of(new float[N * STRIDE]).matrix(0, N, C, STRIDE);
    }

    private TensorView native32(float[] values) {
        MemorySegment s = arena.allocate(4L * values.length, 4);
        MemorySegment.copy(values, 0, s, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, values.length);
        return TensorView.of(s, ElementType.FLOAT32);
    }

    private Runnable[] calls() {
        return new Runnable[] {
            () -> sink += soft.forwardBackward(x, t, rows, g),
            () -> sink += soft.forwardBackward(xNative, tNative, null, gNative),
            () -> sink += soft.forwardBackward(xBf16, t, rows, g),
            () -> sink += soft.forwardBackward(xF16Heap, tF16Heap, null, gF16Heap),
            () -> sink += soft.forward(padded, t, rows),
            () -> sink += hard.forwardBackward(xBf16, idx64, rows, g),
            () -> sink += hard.forward(padded, idx64),
            () -> sink += distillation.forwardBackward(xNative, tBf16, rows, gNative),
            () -> sink += bce.forwardBackward(padded, t, perElementOut, paddedGrad),
            () -> sink += bceWeighted.forwardBackward(p, t, null, g),
            () -> sink += kl.forward(xF16Heap, t, perElementOut),
            // the segment kernels: both inputs of one 16-bit type, the gradient in 16 bits or float32
            () -> sink += distillation.forwardBackward(xBf16, tBf16Copy, rows, gBf16),
            () -> sink += distillation.forwardBackward(xF16Heap, tF16Heap, null, gF16Heap),
            () -> sink += distillation.forward(xF16Heap, tF16Heap, rows),
            () -> sink += soft.forwardBackward(xBf16, tBf16Copy, rows, gBf16),
            () -> sink += soft.forwardBackward(xF16Heap, tF16Heap, rows, g),
            () -> sink += distillation.forwardBackward(xNative, tNative, rows, gNative),
            // row weights: runs of equal weight, the zero runs zeroed, the others scaled
            () -> sink += soft.forwardBackward(x, t, rowWeights, rows, g),
            () -> sink += bce.forwardBackward(padded, t, rowWeights, perElementOut, paddedGrad),
            () -> sink += hard.forward(xBf16, idx64, rowWeights, rows),
        };
    }

    /**
     * Runs {@code call} in rounds until a round allocates at most 16 B a call on this thread (compiled by C2, the
     * scratch grown), at most 8 rounds; returns the last round's bytes per call.
     */
    private static double warm(Runnable call) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        double perCall = Double.MAX_VALUE;
        for (int round = 0; round < 8 && perCall > 16; round++) {
            repeat(call);
            long before = mx.getThreadAllocatedBytes(tid);
            repeat(call);
            long after = mx.getThreadAllocatedBytes(tid);
            perCall = (after - before) / (double) CALLS;
        }
        return perCall;
    }

    private static void repeat(Runnable call) {
        for (int k = 0; k < CALLS; k++) {
            call.run();
        }
    }

    @Test
    void viewCallsAllocateNothingAfterWarmUp() {
        Runnable[] calls = calls();
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < calls.length; i++) {
            double perCall = warm(calls[i]);
            report.append(String.format(" call %d: %.1f B;", i, perCall));
            worst = Math.max(worst, perCall);
        }
        System.out.println("ViewsAllocationTest:" + report + " (sink " + sink + ")");
        assertTrue(worst <= 16, "bytes allocated per call after warm-up:" + report);
    }

    /**
     * A backend that runs each request on a fresh virtual thread: the scratch comes from a pool, not from the
     * thread, so a call on a new thread allocates nothing either. Measured as the JVM's total allocation for
     * fresh virtual threads that each make one call, minus the same number of fresh virtual threads that do
     * nothing (about 500 B each, the thread itself); the excess per thread must stay under 64 B (per-thread
     * scratch cost 300 B to several KB per new thread). Against the other threads of
     * the test JVM allocating now and then: the median of five rounds.
     */
    @Test
    void callsOnFreshVirtualThreadsAllocateNothing() throws InterruptedException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final int threads = 1000;
        Runnable[] calls = calls();
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < calls.length; i++) {
            warm(calls[i]); // compiled, and the pool holds a scratch
            double[] rounds = new double[5];
            for (int round = 0; round < rounds.length; round++) {
                long a = mx.getTotalThreadAllocatedBytes();
                onFreshVirtualThreads(threads, () -> { });
                long b = mx.getTotalThreadAllocatedBytes();
                onFreshVirtualThreads(threads, calls[i]);
                long c = mx.getTotalThreadAllocatedBytes();
                rounds[round] = ((c - b) - (b - a)) / (double) threads;
            }
            java.util.Arrays.sort(rounds);
            double excess = rounds[rounds.length / 2];
            report.append(String.format(" call %d: %.1f B;", i, excess));
            worst = Math.max(worst, excess);
        }
        System.out.println("ViewsAllocationTest, fresh virtual threads:" + report + " (sink " + sink + ")");
        assertTrue(worst <= 64, "bytes allocated per call on a fresh virtual thread, beyond the thread itself:"
                + report);
    }

    private static void onFreshVirtualThreads(int count, Runnable call) throws InterruptedException {
        for (int k = 0; k < count; k++) {
            Thread.ofVirtual().start(call).join();
        }
    }
}
