package org.xent.internal;

/**
 * Conversions between float32 and the two 16-bit formats, element by element and over arrays. Widening is exact;
 * narrowing rounds to nearest, ties to even, keeps infinities and turns NaN into a quiet NaN of the same sign.
 * The array loops are plain indexed loops that C2 vectorises (float16 with the F16C / AVX-512-FP16 conversion
 * instructions where the CPU has them).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float32 value of bfloat16 bits (exact). */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** {@code value} rounded to bfloat16, to nearest, ties to even; NaN gives a quiet NaN. */
    public static short floatToBfloat16(float value) {
        int b = Float.floatToRawIntBits(value);
        if ((b & 0x7fffffff) > 0x7f800000) {
            return (short) ((b >>> 16) | 0x0040);
        }
        return (short) ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16);
    }

    /** Widens {@code n} bfloat16 values from {@code src[so]} into {@code dst[d]}. */
    public static void widenBfloat16(short[] src, int so, float[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] = Float.intBitsToFloat(src[so + i] << 16);
        }
    }

    /** Widens {@code n} float16 values from {@code src[so]} into {@code dst[d]}. */
    public static void widenFloat16(short[] src, int so, float[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] = Float.float16ToFloat(src[so + i]);
        }
    }

    /** Rounds {@code n} floats from {@code src[so]} to bfloat16 into {@code dst[d]}. */
    public static void narrowBfloat16(float[] src, int so, short[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] = floatToBfloat16(src[so + i]);
        }
    }

    /** Rounds {@code n} floats from {@code src[so]} to float16 into {@code dst[d]}. */
    public static void narrowFloat16(float[] src, int so, short[] dst, int d, int n) {
        for (int i = 0; i < n; i++) {
            dst[d + i] = Float.floatToFloat16(src[so + i]);
        }
    }
}
