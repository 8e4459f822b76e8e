package org.xent;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.xent.internal.HalfFloats;

/**
 * Moves blocks of rows between a {@link TensorView} of any storage and element type and the contiguous
 * float32 or float64 arrays the kernels run on. A block is a few rows (see {@link ViewLoss#BLOCK_ELEMENTS}), so
 * the staged copy stays in the core's cache while the kernel reads it: the view's memory is still read once
 * (16-bit values at half the bytes) and written once. Widening is exact; narrowing rounds to nearest, ties to even.
 */
final class Staging {
    private Staging() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** A call's buffers for one block, lent by a {@link org.xent.internal.ScratchPool}; they grow to the largest block. */
    static final class Scratch {
        float[] x = new float[0], t = new float[0], aux = new float[0], out = new float[0], g = new float[0];
        double[] x64 = new double[0], t64 = new double[0], aux64 = new double[0], out64 = new double[0],
                g64 = new double[0];
        float[] acc = new float[0];
        double[] acc64 = new double[0];
        int[] idx = new int[0];
        double[] rw = new double[0];
        short[] half = new short[0];

        static float[] fit(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }

        static double[] fit(double[] a, int n) {
            return a.length >= n ? a : new double[n];
        }

        void fitHalf(int n) {
            if (half.length < n) {
                half = new short[n];
            }
        }
    }

    /** Reads rows {@code [row0, row0 + rows)} of {@code v} into {@code dst[0, rows * C)} as float32. */
    static void read(TensorView v, long row0, int rows, float[] dst, Scratch s) {
        int c = (int) v.columns();
        if (v.isContiguous()) {
            readRun(v, v.byteOffset(row0 * c), dst, 0, rows * c, s);
        } else {
            for (int r = 0; r < rows; r++) {
                readRun(v, v.rowByteOffset(row0 + r), dst, r * c, c, s);
            }
        }
    }

    /** Reads rows {@code [row0, row0 + rows)} of {@code v} into {@code dst[0, rows * C)} as float64. */
    static void read(TensorView v, long row0, int rows, double[] dst) {
        int c = (int) v.columns();
        if (v.isContiguous()) {
            readRun(v, v.byteOffset(row0 * c), dst, 0, rows * c);
        } else {
            for (int r = 0; r < rows; r++) {
                readRun(v, v.rowByteOffset(row0 + r), dst, r * c, c);
            }
        }
    }

    /** Reads {@code n} class indices from element {@code first} of the vector {@code v} (values already checked). */
    static void readIndices(TensorView v, long first, int n, int[] dst) {
        MemorySegment seg = v.segment();
        long off = v.byteOffset(first);
        if (v.elementType() == ElementType.INT32) {
            MemorySegment.copy(seg, I32, off, dst, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst[i] = (int) seg.get(I64, off + 8L * i);
            }
        }
    }

    /** Class index {@code i} of the vector {@code v}, as a long. */
    static long index(TensorView v, long i) {
        return v.elementType() == ElementType.INT32 ? v.segment().get(I32, v.byteOffset(i))
                : v.segment().get(I64, v.byteOffset(i));
    }

    /** Value {@code i} of the floating-point vector {@code v}, widened to float64. */
    static double value(TensorView v, long i) {
        MemorySegment seg = v.segment();
        long off = v.byteOffset(i);
        return switch (v.elementType()) {
            case FLOAT32 -> seg.get(F32, off);
            case FLOAT64 -> seg.get(F64, off);
            case BFLOAT16 -> HalfFloats.bfloat16ToFloat(seg.get(I16, off));
            case FLOAT16 -> Float.float16ToFloat(seg.get(I16, off));
            default -> throw new IllegalStateException("not a floating-point view: " + v);
        };
    }

    /** Writes {@code src[0, rows * C)} to rows {@code [row0, row0 + rows)} of {@code v}, rounding to its type. */
    static void write(float[] src, TensorView v, long row0, int rows, Scratch s) {
        int c = (int) v.columns();
        if (v.isContiguous()) {
            writeRun(src, 0, rows * c, v, v.byteOffset(row0 * c), s);
        } else {
            for (int r = 0; r < rows; r++) {
                writeRun(src, r * c, c, v, v.rowByteOffset(row0 + r), s);
            }
        }
    }

    /**
     * Adds {@code src[0, rows * C)} into rows {@code [row0, row0 + rows)} of {@code v}: each value of the view
     * widened, the sum taken in float32 and rounded back to the view's type (an accumulating loss's gradient).
     */
    static void accumulate(float[] src, TensorView v, long row0, int rows, Scratch s) {
        int n = rows * (int) v.columns();
        float[] acc = s.acc = Scratch.fit(s.acc, n);
        read(v, row0, rows, acc, s);
        for (int i = 0; i < n; i++) {
            acc[i] += src[i];
        }
        write(acc, v, row0, rows, s);
    }

    /** Float64 version of {@link #accumulate(float[], TensorView, long, int, Scratch)}. */
    static void accumulate(double[] src, TensorView v, long row0, int rows, Scratch s) {
        int n = rows * (int) v.columns();
        double[] acc = s.acc64 = Scratch.fit(s.acc64, n);
        read(v, row0, rows, acc);
        for (int i = 0; i < n; i++) {
            acc[i] += src[i];
        }
        write(acc, v, row0, rows);
    }

    /** Float64 version of {@link #write(float[], TensorView, long, int, Scratch)}. */
    static void write(double[] src, TensorView v, long row0, int rows) {
        int c = (int) v.columns();
        if (v.isContiguous()) {
            writeRun(src, 0, rows * c, v, v.byteOffset(row0 * c));
        } else {
            for (int r = 0; r < rows; r++) {
                writeRun(src, r * c, c, v, v.rowByteOffset(row0 + r));
            }
        }
    }

    private static void readRun(TensorView v, long off, float[] dst, int d, int n, Scratch s) {
        MemorySegment seg = v.segment();
        switch (v.elementType()) {
            case FLOAT32 -> MemorySegment.copy(seg, F32, off, dst, d, n);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    dst[d + i] = (float) seg.get(F64, off + 8L * i);
                }
            }
            case BFLOAT16 -> {
                s.fitHalf(n);
                MemorySegment.copy(seg, I16, off, s.half, 0, n);
                HalfFloats.widenBfloat16(s.half, 0, dst, d, n);
            }
            case FLOAT16 -> {
                s.fitHalf(n);
                MemorySegment.copy(seg, I16, off, s.half, 0, n);
                HalfFloats.widenFloat16(s.half, 0, dst, d, n);
            }
            default -> throw new IllegalStateException("not a floating-point view: " + v);
        }
    }

    private static void readRun(TensorView v, long off, double[] dst, int d, int n) {
        MemorySegment seg = v.segment();
        switch (v.elementType()) {
            case FLOAT64 -> MemorySegment.copy(seg, F64, off, dst, d, n);
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    dst[d + i] = seg.get(F32, off + 4L * i);
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    dst[d + i] = HalfFloats.bfloat16ToFloat(seg.get(I16, off + 2L * i));
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    dst[d + i] = Float.float16ToFloat(seg.get(I16, off + 2L * i));
                }
            }
            default -> throw new IllegalStateException("not a floating-point view: " + v);
        }
    }

    private static void writeRun(float[] src, int so, int n, TensorView v, long off, Scratch s) {
        MemorySegment seg = v.segment();
        switch (v.elementType()) {
            case FLOAT32 -> MemorySegment.copy(src, so, seg, F32, off, n);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    seg.set(F64, off + 8L * i, src[so + i]);
                }
            }
            case BFLOAT16 -> {
                s.fitHalf(n);
                HalfFloats.narrowBfloat16(src, so, s.half, 0, n);
                MemorySegment.copy(s.half, 0, seg, I16, off, n);
            }
            case FLOAT16 -> {
                s.fitHalf(n);
                HalfFloats.narrowFloat16(src, so, s.half, 0, n);
                MemorySegment.copy(s.half, 0, seg, I16, off, n);
            }
            default -> throw new IllegalStateException("not a floating-point view: " + v);
        }
    }

    private static void writeRun(double[] src, int so, int n, TensorView v, long off) {
        MemorySegment seg = v.segment();
        switch (v.elementType()) {
            case FLOAT64 -> MemorySegment.copy(src, so, seg, F64, off, n);
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    seg.set(F32, off + 4L * i, (float) src[so + i]);
                }
            }
            // float64 to 16 bits goes through float32: a double rounding, at most one unit in the last place
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    seg.set(I16, off + 2L * i, HalfFloats.floatToBfloat16((float) src[so + i]));
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    seg.set(I16, off + 2L * i, Float.floatToFloat16((float) src[so + i]));
                }
            }
            default -> throw new IllegalStateException("not a floating-point view: " + v);
        }
    }
}
