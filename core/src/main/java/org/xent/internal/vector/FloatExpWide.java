package org.xent.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * An inline exp for float lanes of any sign (where {@link FloatExp#expNonPositive} needs z <= 0): used where the
 * argument is data that may legitimately be positive, such as a log-probability target of the KL divergence.
 *
 * <p>Same reduction and polynomial as {@link FloatExp}; the difference is the final scaling. n = round(z log2 e)
 * ranges over [-150, 128] here, so 2^n is applied as two factors 2^(n/2) (both normal floats): results round
 * to subnormals gradually and overflow to +inf exactly where e^z exceeds the float range. Inputs below -104
 * (where e^z rounds to 0) give 0, +inf gives +inf, NaN gives NaN. Accuracy as {@link FloatExp} for normal
 * results (the extra multiplications by powers of two are exact).
 */
final class FloatExpWide {
    private FloatExpWide() {}

    private static final float LOW = -104f;
    private static final float HIGH = 89f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer in the low bits
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    /** e^z for every lane. */
    static FloatVector exp(FloatVector z) {
        VectorMask<Float> under = z.compare(VectorOperators.LT, LOW);
        FloatVector zc = z.blend(LOW, under);
        zc = zc.blend(HIGH, zc.compare(VectorOperators.GT, HIGH));
        FloatVector t = zc.fma(LOG2E, MAGIC);
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(Species.FLOAT, -LN2_HI), zc);
        r = n.fma(FloatVector.broadcast(Species.FLOAT, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(Species.FLOAT, P2));
        p = p.fma(r, FloatVector.broadcast(Species.FLOAT, P3));
        p = p.fma(r, FloatVector.broadcast(Species.FLOAT, P4));
        p = p.fma(r, FloatVector.broadcast(Species.FLOAT, P5));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        IntVector ni = t.reinterpretAsInts().sub(MAGIC_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(s1).mul(s2).blend(0f, under);
    }
}
