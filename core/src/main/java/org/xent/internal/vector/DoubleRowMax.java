package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The max of a float64 row without vector masks, for the kernels' 2-lane form (see {@link Species#DOUBLE_MASKS}):
 * whole vectors with a lane-wise max, which keeps a NaN (the caller's row then comes out NaN, as it must), then a
 * scalar tail. It returns a double, not a vector, so a call that C2 leaves out of line boxes nothing.
 */
final class DoubleRowMax {
    private DoubleRowMax() {}

    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** The largest of {@code x[xo] .. x[xo + classes - 1]}; -inf for an empty row. Only for 2 double lanes. */
    static double withoutMasks(double[] x, int xo, int classes) {
        DoubleVector mv = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int i = 0;
        for (int upper = D.loopBound(classes); i < upper; i += D.length()) {
            mv = EXACT_DOUBLE.cast(mv).max(DoubleVector.fromArray(D, x, xo + i));
        }
        double m = Math.max(EXACT_DOUBLE.cast(mv).lane(0), EXACT_DOUBLE.cast(mv).lane(1));
        for (; i < classes; i++) {
            m = x[xo + i] > m ? x[xo + i] : m;
        }
        return m;
    }
}
