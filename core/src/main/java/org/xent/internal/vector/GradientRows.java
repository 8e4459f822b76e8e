package org.xent.internal.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.internal.HalfFloats;
import org.xent.internal.SegmentSoftCrossEntropyKernel;

/**
 * Writes a row of gradient values, computed into a heap scratch row, to a {@link MemorySegment} as float32 or
 * float16, with one bulk copy per row (or chunk).
 *
 * <p>Why the segment kernels do not store their gradient vectors straight into the segment: in the C2 code of
 * such a loop (soft cross-entropy's gradient pass over native float32, read from the compiled code), every
 * iteration reloaded the segment's address and length, re-checked its bounds, its session, its read-only flag and
 * its class, and kept the induction variable on the stack, as if the store could change any field. (In one test
 * JVM, {@code -XX:+PrintInlining} showed the JDK's {@code unsafeGetBase} left as a virtual call inside these
 * kernels, so C2 cannot know the store is off-heap.) That pass took as long as the exp pass, and native float32
 * forward + gradient ran at 0.62x the {@code float[]} kernel (AVX-512, 1024x1000). Loads clobber nothing, so the
 * kernel reads segments directly and, in its gradient loop, writes a heap array. A bfloat16 gradient and
 * distillation's float32 one are still stored in their loops, where staging measured slower; distillation's
 * float16 gradient comes here too.
 */
final class GradientRows {

    private GradientRows() {}

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
