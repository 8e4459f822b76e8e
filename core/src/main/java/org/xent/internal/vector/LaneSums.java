package org.xent.internal.vector;

import jdk.incubator.vector.VectorShuffle;

/**
 * Sums of a vector's lanes in a fixed order, so that a kernel gives the same bits interpreted, C1- or
 * C2-compiled.
 *
 * <p>{@code reduceLanes(ADD)} promises no order for floating-point lanes, and HotSpot uses two: its Java
 * fallback (the interpreter, C1) adds the lanes one after another, while C2's intrinsic folds the vector in
 * halves. A row's loss then changed in its last bits when C2 compiled the kernel, a few thousand calls into a
 * run, and a golden case passed or failed depending on the order the tests ran in.
 *
 * <p>So a kernel stores its accumulator vectors into a scratch array ({@code intoArray}, the same in every tier)
 * and sums the lanes here, in scalar code: in double, four partial sums over the lanes {@code i mod 4} (two for a
 * two-lane double vector), combined as {@code (p0 + p1) + (p2 + p3)}. Why not a helper that takes the vector: C2
 * inlines only the Vector API's own methods unconditionally; a helper of ours is left out of line in kernels
 * that reach the inlining budget (NodeCountInliningCutoff, seen in the binary cross-entropy rows), and a vector
 * passed to a call that is not inlined is boxed, one allocation a row.
 *
 * <p>The soft-label exp pass, the hottest loop, keeps its sums in registers instead: its float accumulators are
 * widened to double and folded by the butterfly {@link #X16} ... {@link #X2}, written out at the call site. The
 * store and scalar reload measured 8-12 % slower there at 1024x1000 (store forwarding from a wide store to scalar
 * loads); the butterfly 1-6 % slower than the unordered intrinsic at 16, 8 and 4 lanes. A fold of halves in
 * registers before the store, tried for the other kernels, boxed in some JIT histories (24.9 KB a call in the
 * float64 probability cross-entropy) and was taken out: elsewhere the sums are once a row, and the plain store
 * keeps every kernel's inlining as it was.
 *
 * <p>The order depends on the lane count, so the guarantee is per vector width: the same JDK at the same width
 * gives the same bits in every tier; another width may differ in the last bits.
 */
public final class LaneSums {
    private LaneSums() {}

    /** Lanes of one float vector of this JVM's width: the scratch room one float accumulator needs. */
    public static final int FLOATS = Species.FLOAT.length();
    /** Lanes of one double vector of this JVM's width: the scratch room one double accumulator needs. */
    public static final int DOUBLES = Species.DOUBLE.length();

    /** Scratch room for {@code vectors} float accumulators (also enough for as many double ones). */
    public static float[] floatScratch(int vectors) {
        return new float[vectors * FLOATS];
    }

    /** Scratch room for {@code vectors} double accumulators. */
    public static double[] doubleScratch(int vectors) {
        return new double[vectors * DOUBLES];
    }

    /**
     * Butterfly steps for sums kept in registers (the soft-label exp pass, the hottest): lane i to lane i ^ s, for
     * the steps narrower than the vector (identity otherwise, never used: call sites test the lane count). After
     * the steps down to {@code X2}, lanes 0 and 1 hold two halves of the total: {@code v.lane(0) + v.lane(1)}.
     */
    static final VectorShuffle<Double> X16 = butterfly(16);
    static final VectorShuffle<Double> X8 = butterfly(8);
    static final VectorShuffle<Double> X4 = butterfly(4);
    static final VectorShuffle<Double> X2 = butterfly(2);

    private static VectorShuffle<Double> butterfly(int step) {
        return VectorShuffle.fromOp(Species.DOUBLE, i -> DOUBLES > step ? i ^ step : i);
    }

    /** The sum, in double, of the {@link #FLOATS} lanes stored at {@code lanes[from...]}, in the fixed order. */
    static double sum(float[] lanes, int from) {
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        for (int i = from, end = from + FLOATS; i < end; i += 4) { // at least 4 float lanes (128 bits)
            p0 += lanes[i];
            p1 += lanes[i + 1];
            p2 += lanes[i + 2];
            p3 += lanes[i + 3];
        }
        return (p0 + p1) + (p2 + p3);
    }

    /** The sum of the {@link #DOUBLES} lanes stored at {@code lanes[from...]}, in the fixed order. */
    static double sum(double[] lanes, int from) {
        if (DOUBLES == 2) { // 128 bits
            return lanes[from] + lanes[from + 1];
        }
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        for (int i = from, end = from + DOUBLES; i < end; i += 4) {
            p0 += lanes[i];
            p1 += lanes[i + 1];
            p2 += lanes[i + 2];
            p3 += lanes[i + 3];
        }
        return (p0 + p1) + (p2 + p3);
    }
}
