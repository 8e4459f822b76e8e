package org.xent.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The roofline references ({@link RooflineKernels}) on exactly the inputs and rotation the loss benchmarks use,
 * for every shape any loss benchmark uses. They run in the same suite as the kernels, so each kernel can be
 * expressed as a fraction of what this machine, in this run, could move: that ratio is what the report prints
 * and what the regression gate compares across machines and runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class RooflineBench {

    @Param({"4096x128", "1024x1000", "256x32000", "8x128256", "1024x1000:hot"})
    public String shape;

    @Benchmark
    public float dot32(Inputs32 in) {
        int s = in.nextSet();
        return RooflineKernels.dot(in.logits[s], in.targets[s], in.logits[s].length);
    }

    @Benchmark
    public float[] stream32(Inputs32 in) {
        int s = in.nextSet();
        RooflineKernels.stream(in.logits[s], in.targets[s], in.grad, in.grad.length, 0.5f);
        return in.grad;
    }

    /**
     * The roofline of a 16-bit storage pass: a float32 dot over the same bytes, i.e. half the shape's elements
     * (the report counts the shape's elements, so its G elem/s is that of a 16-bit pass reading as fast).
     */
    @Benchmark
    public float dot16(Inputs32 in) {
        int s = in.nextSet();
        return RooflineKernels.dot(in.logits[s], in.targets[s], in.logits[s].length / 2);
    }

    /** The stream roofline over the same bytes as a 16-bit pass: half the elements in float32. */
    @Benchmark
    public float[] stream16(Inputs32 in) {
        int s = in.nextSet();
        RooflineKernels.stream(in.logits[s], in.targets[s], in.grad, in.grad.length / 2, 0.5f);
        return in.grad;
    }

    @Benchmark
    public double dot64(Inputs64 in) {
        int s = in.nextSet();
        return RooflineKernels.dot(in.logits[s], in.targets[s], in.logits[s].length);
    }

    @Benchmark
    public double[] stream64(Inputs64 in) {
        int s = in.nextSet();
        RooflineKernels.stream(in.logits[s], in.targets[s], in.grad, in.grad.length, 0.5);
        return in.grad;
    }
}
