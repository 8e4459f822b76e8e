package org.xent.internal;

import java.lang.foreign.MemorySegment;

/**
 * Soft-label cross-entropy on logits and targets of one stored type in {@link MemorySegment}s (heap or native),
 * rows {@code stride} bytes apart: the vector kernels behind the {@code Loss} API for native float32, bfloat16 and
 * float16 storage, which widen the values in registers instead of staging them. Same formula and contract as
 * {@link SoftCrossEntropyKernel}, with byte offsets and strides; row n's loss goes to {@code rowLoss[n]}; the
 * gradient (null for a forward call) is written in the type {@code gradType} names and may be the logits themselves
 * (each row is read in full before its gradient is written).
 */
public interface SegmentSoftCrossEntropyKernel {

    /** {@code gradType}: the gradient is float32. */
    int GRAD_FLOAT32 = 1;
    /** {@code gradType}: the gradient is bfloat16 bits (rounded to nearest even). */
    int GRAD_BFLOAT16 = 2;
    /** {@code gradType}: the gradient is float16 (rounded to nearest even). */
    int GRAD_FLOAT16 = 3;

    double run(MemorySegment x, long xOff, long xStride, MemorySegment y, long yOff, long yStride, int rows,
               int classes, float[] w, float smoothing, float[] rowLoss, MemorySegment g, long gOff, long gStride,
               int gradType, float gradScale);
}
