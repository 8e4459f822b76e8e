package org.xent.bench.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
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
 * it is compared with the single-threaded Java kernels: {@code -(log_softmax(x, 1) * y).sum()} forward, and the
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

    private NDManager manager;
    private NDArray[] logits;
    private NDArray[] targets;

    @Setup(Level.Trial)
    public void setUp(Inputs32 in) {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        if (JniUtils.getNumThreads() != 1) {
            throw new IllegalStateException("libtorch runs " + JniUtils.getNumThreads()
                    + " intra-op threads; the comparison needs 1");
        }
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(in.rows, in.classes);
        logits = new NDArray[in.logits.length];
        targets = new NDArray[in.logits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = manager.create(in.logits[i], s);
            logits[i].setRequiresGradient(true);
            targets[i] = manager.create(in.targets[i], s);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public float torchForward32(Inputs32 in) {
        int s = in.nextSet();
        NDArray x = logits[s];
        NDArray y = targets[s];
        // every intermediate tensor lives in the scope and is freed with it; x and y go back to the manager
        try (NDManager scope = manager.newSubManager()) {
            x.tempAttach(scope);
            y.tempAttach(scope);
            return x.logSoftmax(1).mul(y).sum().neg().getFloat();
        }
    }

    @Benchmark
    public float torchForwardBackward32(Inputs32 in) {
        int s = in.nextSet();
        NDArray x = logits[s];
        NDArray y = targets[s];
        try (NDManager scope = manager.newSubManager();
             GradientCollector autograd = Engine.getEngine("PyTorch").newGradientCollector()) {
            x.tempAttach(scope);
            y.tempAttach(scope);
            // no zeroGradients(): DJL's walks every array of the engine and cost about as much as the whole
            // step at 1024x1000; libtorch then accumulates into x.grad, one extra add per element
            NDArray loss = x.logSoftmax(1).mul(y).sum().neg();
            autograd.backward(loss);
            // one element of the gradient: the whole gradient was computed eagerly by backward
            return loss.getFloat() + x.getGradient().getFloat(0, 0);
        }
    }
}
