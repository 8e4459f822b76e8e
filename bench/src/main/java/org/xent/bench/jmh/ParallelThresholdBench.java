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
import org.xent.BinaryCrossEntropy;
import org.xent.BinaryCrossEntropyWithLogits;
import org.xent.Distillation;
import org.xent.HardCrossEntropy;
import org.xent.KLDivergence;
import org.xent.Loss;
import org.xent.ProbabilityCrossEntropy;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.TensorView;

/**
 * Where splitting a batch pays, per loss: every loss at one part (64k values, which always stays on the calling
 * thread), at two parts (128k values, the smallest batch {@link Loss#parallel} splits) and at four, on 1 and 2
 * threads, forward and forward + gradient, float32 heap arrays. Two threads must be no slower than one at two
 * parts for every loss, or the threshold is too low for that loss. Not in the default suite (run it by name:
 * {@code java -jar bench/target/xent-bench.jar ParallelThresholdBench}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ParallelThresholdBench {

    @Param({"soft", "hard", "bce", "bce-logits", "prob-ce", "kl", "distill"})
    public String loss;

    /** One part, two parts, four parts. */
    @Param({"512x128", "1024x128", "256x1000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Loss call;
    private TensorView[] inputs;
    private TensorView[] targets;
    private TensorView grad;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        Loss plain = switch (loss) {
            case "soft" -> SoftCrossEntropy.create();
            case "hard" -> HardCrossEntropy.builder().build();
            case "bce" -> BinaryCrossEntropy.builder().build();
            case "bce-logits" -> BinaryCrossEntropyWithLogits.builder().build();
            case "prob-ce" -> ProbabilityCrossEntropy.builder().build();
            case "kl" -> KLDivergence.builder().reduction(Reduction.BATCHMEAN).build();
            case "distill" -> Distillation.builder().temperature(2).build();
            default -> throw new IllegalArgumentException("loss: " + loss);
        };
        call = threads == 1 ? plain : plain.parallel(threads);
        int n = in.rows;
        int c = in.classes;
        inputs = new TensorView[in.logits.length];
        targets = new TensorView[in.logits.length];
        for (int s = 0; s < inputs.length; s++) {
            float[] x = in.logits[s].clone();
            float[] t = in.targets[s].clone();
            switch (loss) {
                // probabilities in (0, 1) for BCE and probability CE, log-probabilities for KL's input
                case "bce", "prob-ce" -> sigmoid(x);
                case "kl" -> {
                    sigmoid(x);
                    log(x);
                }
                default -> { }
            }
            if (loss.equals("bce") || loss.equals("bce-logits")) {
                for (int i = 0; i < t.length; i++) {
                    t[i] = Math.min(1f, t[i] * c);
                }
            }
            inputs[s] = TensorView.of(x).matrix(n, c);
            if (loss.equals("hard")) {
                int[] idx = new int[n];
                for (int r = 0; r < n; r++) {
                    idx[r] = (r * 31 + s) % c;
                }
                targets[s] = TensorView.of(idx);
            } else {
                targets[s] = TensorView.of(t).matrix(n, c);
            }
        }
        grad = TensorView.of(in.grad).matrix(n, c);
    }

    private static void sigmoid(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (1 / (1 + Math.exp(-x[i])));
        }
    }

    private static void log(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.log(x[i]);
        }
    }

    @Benchmark
    public double forward(Inputs32 in) {
        int s = in.nextSet();
        return call.forward(inputs[s], targets[s]);
    }

    @Benchmark
    public double forwardBackward(Inputs32 in) {
        int s = in.nextSet();
        return call.forwardBackward(inputs[s], targets[s], null, grad);
    }
}
