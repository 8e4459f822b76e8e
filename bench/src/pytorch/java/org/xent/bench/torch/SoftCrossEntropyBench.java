package org.xent.bench.torch;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xent.bench.jmh.Inputs32;

/**
 * The same soft-label cross-entropy through PyTorch (libtorch 2.7.1 via DJL), on one intra-op thread so that
 * it is compared with the single-threaded Java kernels ({@link ParallelSoftCrossEntropyBench}: on more
 * threads): {@code -(log_softmax(x, 1) * y).sum()} forward, and the
 * same with autograd for forward + gradient. Same inputs and rotation as {@code org.xent.bench.jmh}; the class
 * and method names follow the same pattern, so the report puts these rows next to the Java ones.
 *
 * <p>Only compiled with the Maven profile {@code pytorch}; run with {@code ./xent bench --pytorch}, which
 * passes {@code -Dai.djl.offline=true} (the native library comes from the pytorch-native-cpu jar, no download).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dai.djl.offline=true"})
public class SoftCrossEntropyBench {

    static {
        // read by DJL when the engine loads, before any tensor exists; interop is unused by eager ops
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    @Param({"1024x1000", "256x32000"})
    public String shape;

    private TorchSoftCrossEntropy torch;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        Engine.getEngine("PyTorch");
        if (JniUtils.getNumThreads() != 1) {
            throw new IllegalStateException("libtorch runs " + JniUtils.getNumThreads()
                    + " intra-op threads; the comparison needs 1");
        }
        torch = new TorchSoftCrossEntropy(in);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        torch.close();
    }

    @Benchmark
    public float torchForward32(Inputs32 in) {
        return torch.forward(in.nextSet());
    }

    @Benchmark
    public float torchForwardBackward32(Inputs32 in) {
        return torch.forwardBackward(in.nextSet());
    }
}
