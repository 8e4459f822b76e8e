package org.xent.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.xent.ElementType;
import org.xent.TensorView;

/**
 * An n-dimensional array as stored in a NumPy {@code .npy} file: a dtype, a C-order shape and the values.
 *
 * <p>The values live either in the Java array matching the dtype ({@code short[]} for the 16-bit dtypes,
 * {@code float[]}, {@code double[]}, {@code int[]} or {@code long[]}), or in a {@link MemorySegment} in the
 * platform's byte order: a file mapped by {@link Npy#map} or created by {@link Npy#create}, which may hold more
 * than 2^31 values. {@link #view()} shows either kind to the losses without copying; the {@code to...} methods
 * copy into (or return) a Java array, so they need an array that fits one.
 *
 * <p>NumPy has no bfloat16 dtype: bfloat16 tensors are saved as their bit patterns in {@code uint16} (or
 * {@code int16}) arrays. Such an array is read as the integers it holds; {@link #viewAs} with
 * {@link ElementType#BFLOAT16} shows its values as bfloat16.
 */
public final class NpyArray {

    /** The element types xent reads and writes. */
    public enum DType {
        /** IEEE binary32 ({@code <f4}). */
        FLOAT32("f4", 4),
        /** IEEE binary64 ({@code <f8}). */
        FLOAT64("f8", 8),
        /** 32-bit signed integers ({@code <i4}). */
        INT32("i4", 4),
        /** 64-bit signed integers ({@code <i8}), as PyTorch stores class indices. */
        INT64("i8", 8),
        /** IEEE binary16 ({@code <f2}). */
        FLOAT16("f2", 2),
        /** 16-bit unsigned integers ({@code <u2}); bfloat16 bit patterns by convention (see the class comment). */
        UINT16("u2", 2),
        /** 16-bit signed integers ({@code <i2}). */
        INT16("i2", 2);

        final String code;
        final int bytes;

        DType(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /**
         * Whether the values are floating-point numbers.
         *
         * @return true for {@link #FLOAT32}, {@link #FLOAT64} and {@link #FLOAT16}; false for the integers
         */
        public boolean isFloatingPoint() {
            return this == FLOAT32 || this == FLOAT64 || this == FLOAT16;
        }

        /**
         * Bytes per value.
         *
         * @return 2, 4 or 8
         */
        public int byteSize() {
            return bytes;
        }

        /**
         * The NumPy name, e.g. {@code float32}.
         *
         * @return the name NumPy gives the dtype
         */
        public String numpyName() {
            return switch (this) {
                case FLOAT32 -> "float32";
                case FLOAT64 -> "float64";
                case INT32 -> "int32";
                case INT64 -> "int64";
                case FLOAT16 -> "float16";
                case UINT16 -> "uint16";
                case INT16 -> "int16";
            };
        }

        /** The view element type with the same meaning, or null for the 16-bit integers (no such view type). */
        ElementType elementType() {
            return switch (this) {
                case FLOAT32 -> ElementType.FLOAT32;
                case FLOAT64 -> ElementType.FLOAT64;
                case INT32 -> ElementType.INT32;
                case INT64 -> ElementType.INT64;
                case FLOAT16 -> ElementType.FLOAT16;
                case UINT16, INT16 -> null;
            };
        }
    }

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final DType dtype;
    private final int[] shape;
    private final Object data;           // the Java array, or null when the values are in a segment
    private final MemorySegment segment; // the values: over the Java array, or mapped / native memory

    private NpyArray(DType dtype, int[] shape, Object data, MemorySegment segment) {
        long size = count(shape);
        if (size * dtype.bytes != segment.byteSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values but the data has " + segment.byteSize() / dtype.bytes);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        this.segment = segment;
    }

    private static long count(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must not hold negative sizes, got " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, d);
        }
        return size;
    }

    /**
     * An array of {@link DType#FLOAT32} values in {@code data}, not copied.
     *
     * @param data  the values, in C order
     * @param shape the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the shape holds a negative size or does not hold {@code data.length} values
     */
    public static NpyArray of(float[] data, int... shape) {
        return new NpyArray(DType.FLOAT32, shape, data, MemorySegment.ofArray(data));
    }

    /**
     * An array of {@link DType#FLOAT64} values in {@code data}, not copied.
     *
     * @param data  the values, in C order
     * @param shape the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the shape holds a negative size or does not hold {@code data.length} values
     */
    public static NpyArray of(double[] data, int... shape) {
        return new NpyArray(DType.FLOAT64, shape, data, MemorySegment.ofArray(data));
    }

    /**
     * An array of {@link DType#INT32} values in {@code data}, not copied.
     *
     * @param data  the values, in C order
     * @param shape the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the shape holds a negative size or does not hold {@code data.length} values
     */
    public static NpyArray of(int[] data, int... shape) {
        return new NpyArray(DType.INT32, shape, data, MemorySegment.ofArray(data));
    }

    /**
     * An array of {@link DType#INT64} values in {@code data}, not copied.
     *
     * @param data  the values, in C order
     * @param shape the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the shape holds a negative size or does not hold {@code data.length} values
     */
    public static NpyArray of(long[] data, int... shape) {
        return new NpyArray(DType.INT64, shape, data, MemorySegment.ofArray(data));
    }

    /**
     * 16-bit values: {@code bits} are float16 bit patterns ({@link DType#FLOAT16}) or 16-bit integers.
     *
     * @param bits  the values, in C order (not copied)
     * @param dtype a 16-bit dtype
     * @param shape the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the dtype is not 16-bit, or the shape does not fit the values
     */
    public static NpyArray of(short[] bits, DType dtype, int... shape) {
        if (dtype.bytes != 2) {
            throw new IllegalArgumentException("a short[] holds a 16-bit dtype, not " + dtype.numpyName());
        }
        return new NpyArray(dtype, shape, bits, MemorySegment.ofArray(bits));
    }

    /**
     * An array whose values are the bytes of {@code values}, in the platform's byte order, without copying (a
     * mapped file, an arena's allocation); {@code values} must hold exactly the shape's values.
     *
     * @param values the values' bytes, in C order
     * @param dtype  the dtype of the values
     * @param shape  the dimensions, in C order, whose product is the number of values
     * @return the array
     * @throws IllegalArgumentException if the shape does not hold exactly the values of the segment
     */
    public static NpyArray of(MemorySegment values, DType dtype, int... shape) {
        return new NpyArray(dtype, shape, null, values);
    }

    /**
     * The dtype.
     *
     * @return the element type of the values
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The shape (a copy); {@code []} for a 0-d array holding one value.
     *
     * @return the dimensions, in C order
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions.
     *
     * @return the length of {@link #shape()}
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Size of dimension {@code axis}.
     *
     * @param axis the dimension, from 0 to {@code rank() - 1}
     * @return its size
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /**
     * Number of values, which may exceed 2^31 for an array in a segment.
     *
     * @return the product of the shape's dimensions
     */
    public long length() {
        return segment.byteSize() / dtype.bytes;
    }

    /**
     * Number of values, for an array that fits a Java array.
     *
     * @return the number of values
     * @throws IllegalStateException if there are more than a Java array can hold
     */
    public int size() {
        long n = length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException(this + " holds " + n + " values, more than a Java array can");
        }
        return (int) n;
    }

    /**
     * Whether the values are in a Java array (else in a segment: mapped or native memory).
     *
     * @return true if the values are in a Java array
     */
    public boolean hasArray() {
        return data != null;
    }

    /**
     * The values' bytes (over the Java array when there is one), in the platform's byte order.
     *
     * @return the segment that holds the values
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * All values as a vector view in the dtype's own element type (float16, float32, float64, int32, int64),
     * without copying; {@code .matrix(rows, columns)} of it is the N x C view a loss takes. The 16-bit integer
     * dtypes have no such type: see {@link #viewAs}.
     *
     * @return a vector view of all values
     * @throws IllegalStateException for the 16-bit integer dtypes
     */
    public TensorView view() {
        ElementType type = dtype.elementType();
        if (type == null) {
            throw new IllegalStateException(dtype.numpyName() + " values have no view type of their own;"
                    + " bfloat16 bit patterns are viewed with viewAs(ElementType.BFLOAT16)");
        }
        return viewAs(type);
    }

    /**
     * All values as a vector view of {@code type}, which must have the dtype's size: the way to read 16-bit
     * integers as bfloat16 (or float16) bit patterns. Copies nothing.
     *
     * @param type the element type to show the values as
     * @return a vector view of all values
     * @throws IllegalArgumentException if {@code type} does not have the dtype's size and kind
     */
    public TensorView viewAs(ElementType type) {
        if (type.byteSize() != dtype.bytes || type.isFloatingPoint() != (dtype.isFloatingPoint() || dtype.bytes == 2)) {
            throw new IllegalArgumentException("cannot view " + dtype.numpyName() + " values as " + type);
        }
        // a heap segment over an array of the view's type is as fast as the array (TensorView.of)
        return TensorView.of(segment, type);
    }

    /**
     * The values as float (the backing array itself for FLOAT32, a rounded copy otherwise; float16 widened).
     *
     * @return the values as float32
     */
    public float[] toFloats() {
        if (data instanceof float[] f) {
            return f;
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubleAt(i);
        }
        return out;
    }

    /**
     * The values as double (the backing array itself for FLOAT64, an exact copy otherwise, large int64 aside).
     *
     * @return the values as float64
     */
    public double[] toDoubles() {
        if (data instanceof double[] d) {
            return d;
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleAt(i);
        }
        return out;
    }

    /**
     * The raw 16-bit values of a 16-bit array (the backing array itself when there is one).
     *
     * @return the 16-bit values
     * @throws IllegalArgumentException if the dtype is not 16-bit
     */
    public short[] toShorts() {
        if (dtype.bytes != 2) {
            throw new IllegalArgumentException("expected a 16-bit array, got " + dtype.numpyName());
        }
        if (data instanceof short[] s) {
            return s;
        }
        short[] out = new short[size()];
        MemorySegment.copy(segment, I16, 0, out, 0, out.length);
        return out;
    }

    /**
     * The values of an integer array as long (the backing array itself for INT64).
     *
     * @return the values as int64
     * @throws IllegalArgumentException if the dtype is floating-point
     */
    public long[] toLongs() {
        if (data instanceof long[] l) {
            return l;
        }
        requireInteger();
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longAt(i);
        }
        return out;
    }

    /**
     * The values of an integer array as int; an int64 value outside the int range is an error.
     *
     * @return the values as int32
     * @throws IllegalArgumentException if the dtype is floating-point, or a value does not fit an int
     */
    public int[] toInts() {
        if (data instanceof int[] v) {
            return v;
        }
        requireInteger();
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            long v = longAt(i);
            if (v != (int) v) {
                throw new IllegalArgumentException("value " + v + " at index " + i + " does not fit a 32-bit int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private void requireInteger() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("expected an integer array, got " + dtype.numpyName());
        }
    }

    double doubleAt(long i) {
        return switch (dtype) {
            case FLOAT32 -> segment.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            case FLOAT64 -> segment.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            case FLOAT16 -> Float.float16ToFloat(segment.getAtIndex(I16, i));
            default -> longAt(i);
        };
    }

    long longAt(long i) {
        return switch (dtype) {
            case INT32 -> segment.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            case INT64 -> segment.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            case INT16 -> segment.getAtIndex(I16, i);
            case UINT16 -> segment.getAtIndex(I16, i) & 0xffff;
            default -> throw new IllegalStateException();
        };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.numpyName() + " " + Arrays.toString(shape) + (data == null ? " in a segment" : "")
                + "]";
    }
}
