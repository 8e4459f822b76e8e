package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.xent.internal.Settings;

/**
 * The vector species every kernel uses, fixed once per JVM so that C2 sees them as constants.
 *
 * <p>By default the preferred (widest) shape of the machine. The system property {@value Settings#VECTOR_BITS}
 * (128, 256 or 512) forces a narrower one: the test suite uses it to run every kernel at every width this
 * machine supports, not only the widest.
 */
public final class Species {
    private Species() {}

    /**
     * Bit width of every vector the kernels use. {@link org.xent.internal.KernelProvider} checks the property
     * before it links the kernels, so a bad value is its {@link IllegalArgumentException}, not an error here.
     */
    public static final int BITS = Settings.vectorBits(VectorShape.preferredShape().vectorBitSize());

    public static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
    public static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
}
