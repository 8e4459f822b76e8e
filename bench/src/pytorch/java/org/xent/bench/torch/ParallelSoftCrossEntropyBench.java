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
 * PyTorch's soft-label cross-entropy ({@link TorchSoftCrossEntropy}) on {@code threads} intra-op threads, next to
 * {@code org.xent.bench.jmh.ParallelSoftCrossEntropyBench} at the same shapes and thread counts
 * ({@code ./xent bench --threads LIST --pytorch}). The count is libtorch's {@code at::set_num_threads} (DJL's
 * {@code ai.djl.pytorch.num_threads} when the engine loads, and {@link JniUtils#setNumThreads} again in case it
 * was loaded before); setup fails unless {@link JniUtils#getNumThreads} then reports exactly {@code threads}.
 * Inter-op threads stay at 1: eager operators do not use them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dai.djl.offline=true"})
public class ParallelSoftCrossEntropyBench {

    @Param({"8x128", "4096x128", "1024x1000", "256x32000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private TorchSoftCrossEntropy torch;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        // read by DJL when the engine loads (one parameter combination per fork, so this is the first load)
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        if (JniUtils.getNumThreads() != threads) {
            throw new IllegalStateException("libtorch runs " + JniUtils.getNumThreads()
                    + " intra-op threads; the comparison needs " + threads);
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
