package org.xent.internal.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.internal.HalfFloats;
import org.xent.internal.SegmentSoftCrossEntropyKernel;

/**
 * Writes a row of gradient values, computed into a heap scratch row, to a {@link MemorySegment} as float32 or
 * float16, with one bulk copy per row (or chunk); and tells the kernels when they may store into a native
 * gradient themselves.
 *
 * <p>Why a segment kernel does not simply store its gradient vectors into whatever segment it is given: the
 * JDK's segment accesses reach the memory through {@code unsafeGetBase()}, a virtual call on the segment. Where C2
 * has seen more than one segment class at that call (heap and native segments in one JVM), it cannot know the
 * base is null, compiles the access as one that may touch the heap, and fences it: in the C2 code of such a loop
 * (soft cross-entropy's gradient pass over native float32), every iteration reloaded the segment's address and
 * length, re-checked its bounds, its session, its read-only flag and its class, and kept the induction variable
 * on the stack. That pass took as long as the exp pass (0.62x the {@code float[]} kernel, AVX-512, 1024x1000).
 * Two ways out: a native segment cast to its exact class ({@link #NATIVE}) before the loop, which makes the base
 * a known null and the stores plain off-heap ones; or, for every other segment kind (heap segments, and a native
 * gradient that is the logits themselves, whose row must be read before it is written), the heap scratch row and
 * {@link #store}.
 */
final class GradientRows {

    private GradientRows() {}

    /**
     * The class of native segments ({@link MemorySegment#NULL} is one; a mapped segment's class extends it). A
     * kernel that casts a segment to it before a loop has C2 compile the loop's accesses as off-heap ones, whatever
     * other segment kinds the JVM has seen at the JDK's shared access code.
     */
    static final Class<? extends MemorySegment> NATIVE = MemorySegment.NULL.getClass();

    /**
     * Whether an N x C gradient view at byte {@code gOff} of {@code g} (float32, row stride {@code gStride} bytes)
     * shares no byte with the logits and targets views ({@code es} bytes per element): only then may a kernel
     * write the gradient before it has read the inputs. Views in different memory (heap and native) never share.
     */
    static boolean apart(MemorySegment g, long gOff, long gStride, MemorySegment x, long xOff, long xStride,
                         MemorySegment y, long yOff, long yStride, int rows, int classes, long es) {
        if (rows == 0 || classes == 0) {
            return true;
        }
        long g0 = g.address() + gOff;
        long g1 = g0 + (rows - 1) * gStride + 4L * classes;
        return apart(g0, g1, x, xOff, xStride, rows, classes, es) && apart(g0, g1, y, yOff, yStride, rows, classes, es);
    }

    private static boolean apart(long g0, long g1, MemorySegment v, long off, long stride, int rows, int classes,
                                 long es) {
        if (!v.isNative()) {
            return true;
        }
        long v0 = v.address() + off;
        long v1 = v0 + (rows - 1) * stride + es * classes;
        return g1 <= v0 || v1 <= g0;
    }

    /**
     * Stores {@code n} values of {@code ex} from index {@code eo} at byte {@code go} of {@code g}: as float32
     * ({@link SegmentSoftCrossEntropyKernel#GRAD_FLOAT32}), or rounded to nearest even to float16 through
     * {@code half} (at least {@code n} long). Nothing for a bfloat16 gradient, which the kernel stores itself.
     */
    static void store(float[] ex, int eo, int n, MemorySegment g, long go, int gradType, short[] half) {
        if (gradType == SegmentSoftCrossEntropyKernel.GRAD_FLOAT32) {
            MemorySegment.copy(ex, eo, g, ValueLayout.JAVA_FLOAT_UNALIGNED, go, n);
        } else if (gradType == SegmentSoftCrossEntropyKernel.GRAD_FLOAT16) {
            // Float.floatToFloat16 in a plain loop, which C2 vectorises where the CPU converts
            HalfFloats.narrowFloat16(ex, eo, half, 0, n);
            MemorySegment.copy(half, 0, g, ValueLayout.JAVA_SHORT_UNALIGNED, go, n);
        }
    }
}
