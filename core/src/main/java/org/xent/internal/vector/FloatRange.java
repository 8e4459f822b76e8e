package org.xent.internal.vector;

import static org.xent.internal.vector.Species.EXACT_INT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether every float of a slice lies in a range of positive values: the test that lets a log kernel take its lean
 * loop ({@link FloatLog#logNormal}, no special values, no clamp, no validity blend) for a whole row or block.
 *
 * <p>For non-negative floats the order of the values is the order of their bit patterns, so x lies in [lo, hi]
 * exactly when {@code bits(x) - bits(lo)}, read as an unsigned integer, is at most {@code bits(hi) - bits(lo)};
 * negative values (-0.0 included), values below lo and NaNs of either sign wrap around to a large unsigned number.
 * One subtraction and one unsigned max per vector, no mask in the loop: a few percent of a log pass.
 */
final class FloatRange {
    private FloatRange() {}

    private static final VectorSpecies<Float> F = Species.FLOAT;
    private static final VectorSpecies<Integer> I = Species.INT;

    /**
     * Whether {@code lo <= x[xo + i] <= hi} for every i < n (true for n = 0), for {@code 0 < lo <= hi} (hi may be
     * +inf). Returns a boolean, not a vector, so a call C2 leaves out of line boxes nothing.
     */
    static boolean allWithin(float[] x, int xo, int n, float lo, float hi) {
        final int loBits = Float.floatToRawIntBits(lo);
        final int span = Float.floatToRawIntBits(hi) - loBits;
        IntVector worst = IntVector.zero(I);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            IntVector bits = FloatVector.fromArray(F, x, xo + i).reinterpretAsInts().sub(loBits);
            worst = EXACT_INT.cast(worst).lanewise(VectorOperators.UMAX, bits);
        }
        if (EXACT_INT.cast(worst).compare(VectorOperators.UGT, span).anyTrue()) {
            return false;
        }
        for (; i < n; i++) {
            if (Integer.compareUnsigned(Float.floatToRawIntBits(x[xo + i]) - loBits, span) > 0) {
                return false;
            }
        }
        return true;
    }
}
