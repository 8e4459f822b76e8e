package org.xent.internal.vector;

import jdk.incubator.vector.VectorShape;
import org.xent.internal.LossKernels;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * The Vector API kernel family. Loaded by {@link org.xent.internal.KernelProvider} through reflection, and only
 * after it has checked that {@code jdk.incubator.vector} is readable, so that a JVM without the module never
 * links these classes.
 */
public final class VectorLossKernels implements LossKernels {

    public static final VectorLossKernels INSTANCE = new VectorLossKernels();

    private VectorLossKernels() {}

    @Override
    public String description() {
        return "vector (FloatVector " + Species.FLOAT.vectorBitSize() + "-bit, " + Species.FLOAT.length()
                + " float lanes; DoubleVector " + Species.DOUBLE.length() + " double lanes)";
    }

    @Override
    public boolean isVector() {
        return true;
    }

    /** Bit width of the vectors every kernel of this family uses. */
    public static int bits() {
        return Species.BITS;
    }

    /**
     * The machine's preferred (widest) vector size in bits. Unlike {@link #bits()} it does not initialise
     * {@link Species}, so the provider can check {@code xent.vectorBits} against it first.
     */
    public static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }

    @Override
    public SoftCrossEntropyKernel softCrossEntropy() {
        return VectorSoftCrossEntropy.INSTANCE;
    }

    @Override
    public org.xent.internal.HardCrossEntropyKernel hardCrossEntropy() {
        return VectorHardCrossEntropy.INSTANCE;
    }

    @Override
    public org.xent.internal.KLDivergenceKernel klDivergence() {
        return VectorKLDivergence.INSTANCE;
    }

    @Override
    public org.xent.internal.ProbabilityCrossEntropyKernel probabilityCrossEntropy() {
        return VectorProbabilityCrossEntropy.INSTANCE;
    }

    @Override
    public org.xent.internal.BinaryCrossEntropyKernel binaryCrossEntropy() {
        return VectorBinaryCrossEntropy.INSTANCE;
    }

    @Override
    public org.xent.internal.BinaryCrossEntropyWithLogitsKernel binaryCrossEntropyWithLogits() {
        return VectorBinaryCrossEntropyWithLogits.INSTANCE;
    }

    @Override
    public org.xent.internal.SegmentSoftCrossEntropyKernel segmentSoftCrossEntropy(org.xent.ElementType storage) {
        return switch (storage) {
            case FLOAT32 -> SegmentSoftCrossEntropyF32.INSTANCE;
            case BFLOAT16 -> SegmentSoftCrossEntropyBf16.INSTANCE;
            default -> null;
        };
    }

    @Override
    public org.xent.internal.SegmentDistillationKernel segmentDistillation(org.xent.ElementType storage) {
        return switch (storage) {
            case FLOAT32 -> SegmentDistillationF32.INSTANCE;
            case BFLOAT16 -> SegmentDistillationBf16.INSTANCE;
            default -> null;
        };
    }

    @Override
    public org.xent.internal.DistillationKernel distillation() {
        return VectorDistillation.INSTANCE;
    }
}
