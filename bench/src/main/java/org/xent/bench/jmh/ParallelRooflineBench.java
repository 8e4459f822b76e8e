package org.xent.bench.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rooflines of {@link ParallelSoftCrossEntropyBench} at its own thread count: the dot (what a forward pass
 * reads) and the read-two-write-one stream (what forward + gradient moves) of {@link RooflineKernels}, on the same
 * inputs and rotation, with the batch split the way {@code Loss.parallel} splits it. Parts of
 * {@link #PART_ELEMENTS} values (whole rows, at least one), handed out one at a time from a shared counter to the
 * calling thread and {@code threads - 1} tasks on a pool made at setup, each part's dot kept at its index and
 * added in part order; a batch under two parts stays on the calling thread. The hand-off (a latch, a counter and
 * one task per extra thread per call) is the library's, so the gap to the kernel is the kernel's arithmetic and
 * nothing else; at {@code threads=1} this is the one-thread roofline, cut into parts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ParallelRooflineBench {

    /** Values per part: core's {@code ViewLoss.PART_ELEMENTS} (a test checks that they agree). */
    static final int PART_ELEMENTS = 65536;
    /** Batches smaller than this stay on the calling thread: core's {@code ViewLoss.PARALLEL_MIN_ELEMENTS}. */
    static final long PARALLEL_MIN_ELEMENTS = 2L * PART_ELEMENTS;

    @Param({"8x128", "4096x128", "1024x1000", "256x32000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int partValues;
    private int parts;
    private int tasks;
    private ForkJoinPool pool;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        long partRows = Math.max(1, Math.min(PART_ELEMENTS / in.classes, in.rows));
        partValues = Math.toIntExact(partRows * in.classes);
        parts = Math.toIntExact((in.rows + partRows - 1) / partRows);
        tasks = (long) in.rows * in.classes < PARALLEL_MIN_ELEMENTS ? 1 : Math.min(threads, parts);
        if (tasks > 1) {
            AtomicInteger next = new AtomicInteger();
            pool = new ForkJoinPool(tasks - 1, p -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setName("roofline-worker-" + next.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, null, false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public float dot32(Inputs32 in) {
        int s = in.nextSet();
        float[] a = in.logits[s];
        float[] b = in.targets[s];
        int n = a.length;
        if (tasks <= 1) {
            float sum = 0;
            for (int p = 0; p < parts; p++) {
                int from = p * partValues;
                sum += RooflineKernels.dot(a, b, from, Math.min(n, from + partValues));
            }
            return sum;
        }
        float[] partials = new float[parts];
        run(p -> {
            int from = p * partValues;
            partials[p] = RooflineKernels.dot(a, b, from, Math.min(n, from + partValues));
        });
        float sum = 0;
        for (float partial : partials) {
            sum += partial;
        }
        return sum;
    }

    @Benchmark
    public float[] stream32(Inputs32 in) {
        int s = in.nextSet();
        float[] a = in.logits[s];
        float[] b = in.targets[s];
        float[] out = in.grad;
        int n = out.length;
        if (tasks <= 1) {
            for (int p = 0; p < parts; p++) {
                int from = p * partValues;
                RooflineKernels.stream(a, b, out, from, Math.min(n, from + partValues), 0.5f);
            }
            return out;
        }
        run(p -> {
            int from = p * partValues;
            RooflineKernels.stream(a, b, out, from, Math.min(n, from + partValues), 0.5f);
        });
        return out;
    }

    private interface Part {
        void run(int part);
    }

    /** Every part over the caller and {@code tasks - 1} pool tasks, as core's {@code Parallel.run} does. */
    private void run(Part body) {
        final int n = parts;
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(n);
        Runnable worker = () -> {
            if (next.get() >= n) {
                return;
            }
            for (int p; (p = next.getAndIncrement()) < n; ) {
                try {
                    body.run(p);
                } finally {
                    done.countDown();
                }
            }
        };
        for (int k = 1; k < tasks; k++) {
            pool.execute(worker);
        }
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
