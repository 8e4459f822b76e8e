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
 * passed to a call that is not inlined is boxed, one allocation a row. The cost of the store and the scalar adds
 * is about that of the intrinsic's permutes, once per row.
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
     * Lane i to lane {@code i ^ (DOUBLES / 2)}: {@code v.add(v.rearrange(HALVES))} folds a double vector's halves
     * onto each other in registers (lane-wise, so the same bits in every tier), leaving {@link #sumHalf} half the
     * lanes to add. The hot kernels widen their float accumulators to double and fold them this way before the
     * store: at 4096x128 the plain store-and-add of every float lane cost 10-25 % of a row against the intrinsic.
     */
    static final VectorShuffle<Double> HALVES =
            VectorShuffle.fromOp(Species.DOUBLE, i -> i ^ (Species.DOUBLE.length() / 2));

    /**
     * Whether to fold with {@link #HALVES} before the store: not at two double lanes (128 bits), where there is
     * nothing to gain and C2 does not intrinsify that permute on x86 (the allocation tests saw 2.3 KB boxed per
     * call). Call sites write {@code (FOLD ? v.add(v.rearrange(HALVES)) : v).intoArray(...)}, a constant to C2.
     */
    static final boolean FOLD = DOUBLES > 2;

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

    /**
     * The sum of the first {@code DOUBLES / 2} lanes stored at {@code lanes[from...]} (a vector folded with
     * {@link #HALVES}; both lanes where {@link #FOLD} is false), in a fixed order: {@code (l0 + l1) + (l2 + l3)}
     * at 8 double lanes.
     */
    static double sumHalf(double[] lanes, int from) {
        if (!FOLD) { // two lanes, not folded
            return lanes[from] + lanes[from + 1];
        }
        if (DOUBLES == 4) {
            return lanes[from] + lanes[from + 1];
        }
        double p0 = 0;
        double p1 = 0;
        for (int i = from, end = from + DOUBLES / 2; i < end; i += 4) {
            p0 += lanes[i] + lanes[i + 1];
            p1 += lanes[i + 2] + lanes[i + 3];
        }
        return p0 + p1;
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
