package org.xent.bench.jmh;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two memory-bound references every loss kernel is compared with, at the machine's widest vectors:
 * a dot product of two arrays (reads exactly what a forward pass reads, with almost no arithmetic) and a
 * read-two-write-one stream (moves what forward + gradient moves). A fused loss kernel cannot beat them, so
 * "fraction of the roofline" says how much of the achievable speed a kernel reaches, independently of how
 * fast or loaded the machine is. Two accumulators hide the fma latency (four measured no faster), so the dot is limited by loads only.
 */
public final class RooflineKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private RooflineKernels() {}

    public static float dot(float[] a, float[] b, int n) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        int step = F.length();
        int i = 0;
        for (int upper = n & -(2 * step); i < upper; i += 2 * step) {
            s0 = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), s0);
            s1 = FloatVector.fromArray(F, a, i + step).fma(FloatVector.fromArray(F, b, i + step), s1);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** {@code out = a * scale - b}, the shape of the gradient's final pass. */
    public static void stream(float[] a, float[] b, float[] out, int n, float scale) {
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector.fromArray(F, a, i).mul(scale).sub(FloatVector.fromArray(F, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * scale - b[i];
        }
    }

    /**
     * {@link #dot(float[], float[], int)} over {@code [from, to)}: one part of a batch in the threaded roofline
     * (a separate loop, so that the one-thread roofline's compiled code stays what it was).
     */
    public static float dot(float[] a, float[] b, int from, int to) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        int step = F.length();
        int i = from;
        for (int upper = from + ((to - from) & -(2 * step)); i < upper; i += 2 * step) {
            s0 = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), s0);
            s1 = FloatVector.fromArray(F, a, i + step).fma(FloatVector.fromArray(F, b, i + step), s1);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** {@link #stream(float[], float[], float[], int, float)} over {@code [from, to)}. */
    public static void stream(float[] a, float[] b, float[] out, int from, int to, float scale) {
        int i = from;
        for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
            FloatVector.fromArray(F, a, i).mul(scale).sub(FloatVector.fromArray(F, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] * scale - b[i];
        }
    }

    public static double dot(double[] a, double[] b, int n) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        int step = D.length();
        int i = 0;
        for (int upper = n & -(2 * step); i < upper; i += 2 * step) {
            s0 = DoubleVector.fromArray(D, a, i).fma(DoubleVector.fromArray(D, b, i), s0);
            s1 = DoubleVector.fromArray(D, a, i + step).fma(DoubleVector.fromArray(D, b, i + step), s1);
        }
        double sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Float64 version of {@link #stream(float[], float[], float[], int, float)}. */
    public static void stream(double[] a, double[] b, double[] out, int n, double scale) {
        int i = 0;
        for (int upper = D.loopBound(n); i < upper; i += D.length()) {
            DoubleVector.fromArray(D, a, i).mul(scale).sub(DoubleVector.fromArray(D, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * scale - b[i];
        }
    }
}
