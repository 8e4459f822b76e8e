package org.xent.bench.jmh;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.TensorView;

/**
 * Soft-label cross-entropy through {@link Loss#parallel}: one call over a whole batch per operation, split over
 * {@code threads} threads (the caller and the shared pool's), float32 heap arrays as views, summed. At
 * {@code threads=1} it is the plain loss on views, the baseline of the scaling: same parts, same bits. The
 * {@code 8x128} shape is below the parallel threshold and shows what a small batch pays (nothing, it should).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ParallelSoftCrossEntropyBench {

    @Param({"8x128", "4096x128", "1024x1000", "256x32000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Loss loss;
    private TensorView[] logits;
    private TensorView[] targets;
    private TensorView grad;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        Loss plain = SoftCrossEntropy.builder().reduction(Reduction.SUM).build();
        loss = threads == 1 ? plain : plain.parallel(threads);
        logits = new TensorView[in.logits.length];
        targets = new TensorView[in.targets.length];
        for (int s = 0; s < logits.length; s++) {
            logits[s] = TensorView.of(in.logits[s]).matrix(in.rows, in.classes);
            targets[s] = TensorView.of(in.targets[s]).matrix(in.rows, in.classes);
        }
        grad = TensorView.of(in.grad).matrix(in.rows, in.classes);
    }

    @Benchmark
    public double parallelForward32(Inputs32 in) {
        int s = in.nextSet();
        return loss.forward(logits[s], targets[s]);
    }

    @Benchmark
    public double parallelForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        return loss.forwardBackward(logits[s], targets[s], null, grad);
    }
}
