package org.xent.bench;

import java.util.List;
import org.xent.bench.jmh.Shape;

/**
 * Which benchmarks a {@code bench} run includes and how long it measures them.
 *
 * @param name        shown in the report header
 * @param includes    JMH include patterns (regular expressions on the full benchmark name)
 * @param shapes      values for the {@code shape} parameter of every included benchmark, or empty for each
 *                    class's own list
 * @param forks       JVM forks per benchmark and shape: forks disagree more than iterations on this kind of
 *                    machine, so the error bars need several
 * @param warmups     warm-up iterations per fork
 * @param warmupMs    length of one warm-up iteration
 * @param iterations  measured iterations per fork
 * @param iterationMs length of one measured iteration
 */
record Suite(String name, List<String> includes, List<String> shapes, int forks, int warmups, int warmupMs,
             int iterations, int iterationMs) {

    private static final String JMH = "^org\\.xent\\.bench\\.jmh\\.";
    private static final String TORCH = "^org\\.xent\\.bench\\.torch\\.";
    /** The four streamed shapes, and 1024x1000 hot (one input set reused: cache-resident, compute-bound). */
    private static final List<String> ALL_SHAPES =
            List.of("4096x128", "1024x1000", "256x32000", "8x128256", "1024x1000" + Shape.HOT);

    /**
     * The default: soft-label cross-entropy in float32, every implementation, forward and forward + gradient,
     * with both rooflines, at the four shapes streamed and at 1024x1000 hot; the same for soft CE and
     * distillation on other storage (native float32, bfloat16, float16, with the rooflines over the same bytes);
     * two forks of short iterations. About 20 minutes.
     */
    static Suite standard(boolean torch) {
        return new Suite("default (soft-label cross-entropy float32; soft CE and distillation on native, bfloat16"
                + " and float16 storage; 2 forks x 3 x 0.5 s after 5 x 0.5 s warm-up)",
                withTorch(List.of(JMH + "SoftCrossEntropyBench\\.(naive|scalar|vector|native)(Forward|ForwardBackward)32$",
                        JMH + "DistillationBench\\.(vector|native)(Forward|ForwardBackward)32$",
                        JMH + "(SoftCrossEntropy|Distillation)Bench\\.(bfloat|half)(Forward|ForwardBackward)16$",
                        JMH + "RooflineBench\\.(dot|stream)(16|32)$"), torch, "SoftCrossEntropyBench\\..*32$"),
                ALL_SHAPES, 2, 5, 500, 3, 500);
    }

    /** Everything: every loss, both precisions, each class's shapes; three forks of 1 s iterations. */
    static Suite full(boolean torch) {
        return new Suite("full (every loss, float32 and float64, 3 forks x 5 x 1 s)",
                withTorch(List.of(JMH), torch, ""), List.of(), 3, 4, 1000, 5, 1000);
    }

    /**
     * One loss (the class {@code <loss>Bench}), float32, every implementation, at {@code shapes} (the class's
     * own, so that the rooflines run at those only), with the float32 rooflines, timed like the default suite.
     */
    static Suite loss(String loss, List<String> shapes, boolean torch) {
        return new Suite("loss " + loss + " (float32, 2 forks x 3 x 0.5 s after 5 x 0.5 s warm-up)",
                withTorch(List.of(JMH + loss + "Bench\\.[a-z]+(Forward|ForwardBackward)32$",
                        JMH + "RooflineBench\\.(dot|stream)32$"), torch, loss + "Bench\\..*32$"),
                shapes, 2, 5, 500, 3, 500);
    }

    /**
     * Thread scaling ({@code --threads LIST}): soft-label cross-entropy float32 through {@code Loss.parallel} at
     * each thread count of the list, forward and forward + gradient, with the rooflines split over the same
     * threads the same way ({@code ParallelRooflineBench}), and with {@code torch} PyTorch on as many intra-op
     * threads; at a small batch below the parallel threshold (8x128) and three streamed shapes; two forks.
     */
    static Suite threads(boolean torch) {
        return new Suite("threads (soft-label cross-entropy float32 through Loss.parallel at each --threads count,"
                + " rooflines on as many threads" + (torch ? ", PyTorch on as many intra-op threads" : "")
                + "; 2 forks x 5 x 1 s after 3 x 1 s warm-up)",
                withTorch(List.of(JMH + "ParallelSoftCrossEntropyBench\\.parallel(Forward|ForwardBackward)32$",
                        JMH + "ParallelRooflineBench\\.(dot|stream)32$"), torch,
                        "ParallelSoftCrossEntropyBench\\.torch(Forward|ForwardBackward)32$"),
                List.of("8x128", "4096x128", "1024x1000", "256x32000"), 2, 3, 1000, 5, 1000);
    }

    /** A check that the suite runs at all (CI): one small shape, one fork, 3 s of warm-up (the
     * interpreted Vector API code needs that long on a loaded 2-core machine to reach C2) and eight 0.25 s
     * iterations: with fewer samples JMH's 99.9 % intervals get so wide on a loaded machine that the gate can
     * confirm nothing (bench/gate-selftest.sh relies on this). Figures are rough. */
    static Suite smoke(boolean torch) {
        return new Suite("smoke (one small shape, 1 fork; figures are not measurements)",
                withTorch(List.of(JMH + "SoftCrossEntropyBench\\.(naive|scalar|vector)Forward32$",
                        JMH + "SoftCrossEntropyBench\\.vectorForwardBackward32$",
                        JMH + "RooflineBench\\.(dot|stream)32$"), torch, "SoftCrossEntropyBench\\..*32$"),
                List.of("256x1000"), 1, 3, 1000, 8, 250);
    }

    /** The environment variable that shortens any suite to check its plumbing (see {@link #withTiming}). */
    static final String TIMING_VARIABLE = "XENT_BENCH_TIMING";

    /**
     * This suite timed by {@code spec}, {@code FORKS,WARMUPS,WARMUP_MS,ITERATIONS,ITERATION_MS} (e.g.
     * {@code 1,0,100,1,100}): a functional check of a suite's plumbing, not a measurement, and its name says so.
     *
     * @throws IllegalArgumentException when {@code spec} is not five counts (forks and iterations at least 1)
     */
    Suite withTiming(String spec) {
        String[] f = spec.trim().split("\\s*,\\s*");
        if (f.length != 5) {
            throw new IllegalArgumentException(TIMING_VARIABLE + " must be FORKS,WARMUPS,WARMUP_MS,ITERATIONS,"
                    + "ITERATION_MS, e.g. 1,0,100,1,100; got '" + spec + "'");
        }
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) {
            try {
                v[i] = Integer.parseInt(f[i]);
            } catch (NumberFormatException e) {
                v[i] = -1;
            }
            if (v[i] < (i == 1 ? 0 : 1)) {
                throw new IllegalArgumentException(TIMING_VARIABLE + " must be FORKS,WARMUPS,WARMUP_MS,ITERATIONS,"
                        + "ITERATION_MS with forks, times and iterations at least 1, e.g. 1,0,100,1,100; got '"
                        + spec + "'");
            }
        }
        return new Suite(name + " [timing overridden by " + TIMING_VARIABLE + "=" + spec.trim() + ": " + v[0]
                + " fork(s) x " + v[3] + " x " + v[4] + " ms after " + v[1] + " x " + v[2] + " ms; a plumbing check,"
                + " not a measurement]", includes, shapes, v[0], v[1], v[2], v[3], v[4]);
    }

    private static List<String> withTorch(List<String> includes, boolean torch, String torchPattern) {
        if (!torch) {
            return includes;
        }
        List<String> all = new java.util.ArrayList<>(includes);
        all.add(TORCH + torchPattern);
        return List.copyOf(all);
    }
}
