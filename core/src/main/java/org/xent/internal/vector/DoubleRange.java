package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_DOUBLE;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether every double of a slice lies in a closed range, for the kernels' 2-lane form (see
 * {@link Species#DOUBLE_MASKS}), which has no vector compare: the slice's min and max by lane-wise min and max
 * (which keep a NaN, as {@link Math#min} does, so a NaN anywhere fails the test), then one scalar comparison. The
 * kernels test a row or block with it before they read it for the loss, so an in-place gradient cannot have
 * changed what the test saw.
 */
final class DoubleRange {
    private DoubleRange() {}

    private static final VectorSpecies<Double> D = Species.DOUBLE;

    /** Whether {@code lo <= x[xo + i] <= hi} for every i < n (true for n = 0). */
    static boolean allWithin(double[] x, int xo, int n, double lo, double hi) {
        DoubleVector min = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
        DoubleVector max = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int i = 0;
        for (int upper = D.loopBound(n); i < upper; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i);
            min = EXACT_DOUBLE.cast(min).min(v);
            max = EXACT_DOUBLE.cast(max).max(v);
        }
        double mn = EXACT_DOUBLE.cast(min).reduceLanes(VectorOperators.MIN);
        double mx = EXACT_DOUBLE.cast(max).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            mn = Math.min(mn, x[xo + i]);
            mx = Math.max(mx, x[xo + i]);
        }
        return mn >= lo && mx <= hi; // false for a NaN
    }

    /**
     * The index of the first {@code x[xo + i]} (i < n) outside [lo, hi] or NaN, -1 if there is none: the kernels'
     * validation of float64 probabilities with 2 lanes. {@link #allWithin} first, the scalar scan only when it fails.
     */
    static int firstOutside(double[] x, int xo, int n, double lo, double hi) {
        if (allWithin(x, xo, n, lo, hi)) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            if (!(lo <= v && v <= hi)) {
                return i;
            }
        }
        return -1; // not reached: allWithin found a value outside
    }
}
