package org.xent.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    /** Int lanes of the same shape, for work on float bit patterns. */
    public static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));

    /**
     * Whether float64 kernels may use {@code DoubleVector} masks (compare, blend, masked loads and stores). Not
     * with 2 double lanes (128-bit vectors: NEON, or {@code -XX:MaxVectorSize=16} / {@code xent.vectorBits=128}
     * on x86): there this JDK's C2 has no intrinsic for them ({@code -XX:+PrintIntrinsics}: "not supported:
     * op=blend vlen=2 etype=double", also op=comp, loadMasked and mask broadcasts), runs their Java fallback
     * and allocates about 70 MB per soft-label call at 1024x1000, 5-20x slower than the scalar kernels (JMH, every
     * float64 loss, AMD Zen 5 with the vectors narrowed). A constant, so C2 keeps one form of each loop.
     */
    public static final boolean DOUBLE_MASKS = DOUBLE.length() > 2;

    /**
     * The concrete vector class of {@link #FLOAT} (Float512Vector on AVX-512), for {@code EXACT_FLOAT.cast(v)} on
     * every vector a loop carries from one iteration to the next, before a method is called on it.
     *
     * <p>Why: such a vector is a phi of the loop, whose type C2 takes from the declared one ({@code FloatVector})
     * when it parses the loop; every shape's class is loaded, so a call on it is virtual unless the type profile
     * of that call site inside the JDK names one class. That profile is collected only by tier-3 code. When the
     * kernel went from the interpreter to tier 2 (C1 without profiling, chosen while C2's queue is long), the
     * profile is empty, the call stays virtual and every vector around it is boxed, for good: 8-25 KB a call in
     * the allocation tests, in one JVM in seven, more when compilation is slow. The cast of a constant class is an
     * intrinsic: it gives the exact type while C2 parses, and it folds away once the box is gone.
     */
    @SuppressWarnings("unchecked")
    public static final Class<? extends FloatVector> EXACT_FLOAT = (Class<? extends FloatVector>) FLOAT.vectorType();
    /** The same for {@link #INT}: see {@link #EXACT_FLOAT}. */
    @SuppressWarnings("unchecked")
    public static final Class<? extends IntVector> EXACT_INT = (Class<? extends IntVector>) INT.vectorType();
    /** The same for {@link #DOUBLE}: see {@link #EXACT_FLOAT}. */
    @SuppressWarnings("unchecked")
    public static final Class<? extends DoubleVector> EXACT_DOUBLE = (Class<? extends DoubleVector>) DOUBLE.vectorType();
}
