package org.xent.bench.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Float32 inputs for one benchmark: rotating sets of logits and soft targets of the shape given by the
 * benchmark's {@code shape} parameter, one gradient buffer, and a scratch row for the naive form. The shape
 * parameter is declared by each benchmark class (so every loss picks its own shapes) and read here.
 */
@State(Scope.Thread)
public class Inputs32 {

    public int rows;
    public int classes;
    public float[][] logits;
    public float[][] targets;
    /** Gradient output; never one of the inputs, so the sets stay intact across calls. */
    public float[] grad;
    /** A row of scratch space: the temporary softmax of the naive form, kept here so that it allocates nothing. */
    public float[] scratch;
    private int next;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Shape shape = Shape.parse(params.getParam("shape"));
        rows = shape.rows();
        classes = shape.classes();
        int size = Math.toIntExact(shape.elements());
        int sets = shape.hot() ? 1 : InputSets.count(2L * Float.BYTES * size);
        SplittableRandom random = new SplittableRandom(InputSets.SEED);
        double[] tmp = new double[size];
        logits = new float[sets][];
        targets = new float[sets][];
        for (int s = 0; s < sets; s++) {
            InputSets.logits(random, tmp);
            logits[s] = InputSets.toFloat(tmp);
            InputSets.softTargets(random, tmp, classes);
            targets[s] = InputSets.toFloat(tmp);
        }
        grad = new float[size];
        scratch = new float[classes];
        ForkRecord.kernelFamily();
    }

    /** The set the next call uses; cycling through them keeps one lap of the working set out of the caches. */
    public int nextSet() {
        int s = next;
        next = s + 1 == logits.length ? 0 : s + 1;
        return s;
    }
}
