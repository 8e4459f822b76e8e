package org.xent.bench.jmh;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The arithmetic ceiling of the soft-label kernel on this machine: a minimal loop that does only the exp pass's
 * work (e^(x - m) with a degree-5 polynomial exp, its sum, the target sum and the dot product), two vectors per
 * iteration, with the row max given, no max pass, no tails, no special values, no per-row reduction beyond the
 * lanes. No correct kernel can beat it by much; the distance from the kernel's hot figure to this one is what
 * per-row work and correctness cost. Not in the default suite (it is no loss): run it with
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/xent-bench.jar org.openjdk.jmh.Main ExpCeilingBench}
 * (add {@code -XX:UseAVX=2} or {@code -XX:MaxVectorSize=16} before {@code -cp} for another class's code).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ExpCeilingBench {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504f;
    private static final float MAGIC = 12582912f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // e^r ~ 1 + r + P2 r^2 + ... + P5 r^5 on |r| <= ln2/2 (minimax, 1.1e-7 relative)
    private static final float P2 = 0.499992311f;
    private static final float P3 = 0.166671142f;
    private static final float P4 = 0.0418901145f;
    private static final float P5 = 0.00831252523f;
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    @Param({"1024x1000:hot"})
    public String shape;

    @Benchmark
    public float minimalLoop32(Inputs32 in) {
        int s = in.nextSet();
        float[] x = in.logits[s];
        float[] y = in.targets[s];
        int c = in.classes;
        int lanes = F.length();
        FloatVector es = FloatVector.zero(F);
        FloatVector es2 = es;
        FloatVector as = es;
        FloatVector as2 = es;
        FloatVector ds = es;
        FloatVector ds2 = es;
        for (int r = 0; r < in.rows; r++) {
            int o = r * c;
            for (int i = 0, upper = F.loopBound(c) - lanes; i < upper; i += 2 * lanes) {
                FloatVector z = FloatVector.fromArray(F, x, o + i).sub(12f);
                FloatVector z2 = FloatVector.fromArray(F, x, o + i + lanes).sub(12f);
                FloatVector a = FloatVector.fromArray(F, y, o + i);
                FloatVector a2 = FloatVector.fromArray(F, y, o + i + lanes);
                es = es.add(exp(z));
                es2 = es2.add(exp(z2));
                as = as.add(a);
                as2 = as2.add(a2);
                ds = a.fma(z, ds);
                ds2 = a2.fma(z2, ds2);
            }
        }
        return es.add(es2).reduceLanes(VectorOperators.ADD) + as.add(as2).reduceLanes(VectorOperators.ADD)
                + ds.add(ds2).reduceLanes(VectorOperators.ADD);
    }

    /** e^z for z <= 0 (logits minus 12 stand in for logits minus their max: almost all are negative). */
    private static FloatVector exp(FloatVector z) {
        FloatVector t = z.fma(LOG2E, MAGIC);
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), z);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(P5, P4);
        p = p.fma(r, FloatVector.broadcast(F, P3));
        p = p.fma(r, FloatVector.broadcast(F, P2));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        return p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(ONE_BITS).reinterpretAsFloats());
    }
}
