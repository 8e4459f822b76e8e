package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, fixed once per JVM so that C2 sees them as constants.
 *
 * <p>By default the preferred (widest) shape of the machine. The system property {@code xent.vectorBits}
 * (128, 256 or 512) forces a narrower one: the test suite uses it to run every kernel at every width this
 * machine supports, not only the widest.
 */
public final class Species {
    private Species() {}

    /** Bit width of every vector the kernels use. */
    public static final int BITS = chooseBits();

    public static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
    public static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));

    private static int chooseBits() {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        String forced = System.getProperty("xent.vectorBits");
        if (forced == null || forced.isBlank()) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("xent.vectorBits must be 128, 256 or 512, got '" + forced + "'");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("xent.vectorBits must be 128, 256 or 512, got " + bits);
        }
        if (bits > preferred) {
            throw new IllegalArgumentException("xent.vectorBits=" + bits
                    + " is wider than this machine's preferred vector size (" + preferred + " bits)");
        }
        return bits;
    }
}
