package org.xent.internal;

/**
 * One family of loss kernels: the scalar one ({@link ScalarLossKernels}) or the Vector API one
 * ({@code org.xent.internal.vector.VectorLossKernels}). {@link KernelProvider} picks the family at run time.
 */
public interface LossKernels {

    /** A short description for logs and benchmark headers, e.g. {@code "vector (float 512-bit, double 512-bit)"}. */
    String description();

    /** True for the Vector API family. */
    boolean isVector();

    SoftCrossEntropyKernel softCrossEntropy();

    HardCrossEntropyKernel hardCrossEntropy();

    KLDivergenceKernel klDivergence();

    ProbabilityCrossEntropyKernel probabilityCrossEntropy();

    BinaryCrossEntropyKernel binaryCrossEntropy();

    BinaryCrossEntropyWithLogitsKernel binaryCrossEntropyWithLogits();

    DistillationKernel distillation();

    /**
     * Soft-label cross-entropy reading logits and targets of {@code storage} (FLOAT32 or BFLOAT16; float16 is staged, see core/src/template) straight
     * from memory segments, or null where this family has none (the scalar family: the losses then stage the values
     * through arrays for the array kernels).
     */
    default SegmentSoftCrossEntropyKernel segmentSoftCrossEntropy(org.xent.ElementType storage) {
        return null;
    }

    /** The distillation loss reading {@code storage} straight from memory segments, or null (see above). */
    default SegmentDistillationKernel segmentDistillation(org.xent.ElementType storage) {
        return null;
    }
}
