package org.xent;

/**
 * The element type of a {@link TensorView}: how one value is stored.
 *
 * <p>Losses compute in float32 unless the logits (the loss's input) are {@link #FLOAT64}, in which case they
 * compute in float64. {@link #BFLOAT16} and {@link #FLOAT16} values are widened to float32 exactly; a gradient or
 * an unreduced output of a 16-bit type is rounded to nearest, ties to even, from the float32 result.
 */
public enum ElementType {
    /** IEEE 754 binary32. */
    FLOAT32(4),
    /** IEEE 754 binary64. */
    FLOAT64(8),
    /** bfloat16: the upper 16 bits of a float32 (8 exponent bits, 7 fraction bits; the range of float32). */
    BFLOAT16(2),
    /**
     * IEEE 754 binary16 (5 exponent bits, 10 fraction bits; largest finite 65504, smallest subnormal about 6e-8).
     * A float16 gradient underflows to 0 for values below about 3e-8, which a mean over a large batch reaches:
     * write the gradient to a float32 view, or scale it (a builder's {@code gradientScale}, as mixed-precision training does).
     */
    FLOAT16(2),
    /** Signed 32-bit integers (class indices). */
    INT32(4),
    /** Signed 64-bit integers (class indices, as PyTorch stores them). */
    INT64(8);

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * Bytes per element.
     *
     * @return 2, 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * True for the four floating-point types.
     *
     * @return true for {@link #FLOAT32}, {@link #FLOAT64}, {@link #BFLOAT16} and {@link #FLOAT16}; false for the
     *         integers
     */
    public boolean isFloatingPoint() {
        return this != INT32 && this != INT64;
    }
}
