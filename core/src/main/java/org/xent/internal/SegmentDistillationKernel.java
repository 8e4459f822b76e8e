package org.xent.internal;

import java.lang.foreign.MemorySegment;

/**
 * The distillation loss on student and teacher logits of one stored type in {@link MemorySegment}s (heap or
 * native), rows {@code stride} bytes apart, widened in registers: the vector kernels behind the {@code Loss} API
 * for native float32, bfloat16 and float16 storage. Same formula and contract as {@link DistillationKernel}, with
 * byte offsets and strides; row n's loss goes to {@code rowLoss[n]}; the gradient (null for a forward call) is
 * written in the type {@code gradType} names ({@link SegmentSoftCrossEntropyKernel#GRAD_FLOAT32} and its
 * siblings) and may be the student logits themselves (each row is read before its gradient is written).
 */
public interface SegmentDistillationKernel {

    /** {@code gradType}: float32. */
    int GRAD_FLOAT32 = SegmentSoftCrossEntropyKernel.GRAD_FLOAT32;
    /** {@code gradType}: bfloat16 bits. */
    int GRAD_BFLOAT16 = SegmentSoftCrossEntropyKernel.GRAD_BFLOAT16;
    /** {@code gradType}: float16. */
    int GRAD_FLOAT16 = SegmentSoftCrossEntropyKernel.GRAD_FLOAT16;

    double run(MemorySegment s, long sOff, long sStride, MemorySegment u, long uOff, long uStride, int rows,
               int classes, double temperature, float[] rowLoss, MemorySegment g, long gOff, long gStride,
               int gradType, float gradScale);
}
