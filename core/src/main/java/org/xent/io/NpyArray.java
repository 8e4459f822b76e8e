package org.xent.io;

import java.util.Arrays;

/**
 * An n-dimensional array as stored in a NumPy {@code .npy} file: a dtype, a C-order shape and the values.
 * The values are held in the Java array matching the dtype ({@code float[]}, {@code double[]}, {@code int[]} or
 * {@code long[]}); the {@code to...} methods convert when the caller needs another type.
 */
public final class NpyArray {

    /** The element types xent reads and writes. */
    public enum DType {
        /** 32-bit IEEE 754 floating point ({@code float}). */
        FLOAT32("f4", 4),
        /** 64-bit IEEE 754 floating point ({@code double}). */
        FLOAT64("f8", 8),
        /** 32-bit signed integer ({@code int}). */
        INT32("i4", 4),
        /** 64-bit signed integer ({@code long}). */
        INT64("i8", 8);

        final String code;
        final int bytes;

        DType(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /**
         * Whether this is a floating-point type.
         *
         * @return true for {@link #FLOAT32} and {@link #FLOAT64}
         */
        public boolean isFloatingPoint() {
            return this == FLOAT32 || this == FLOAT64;
        }

        /**
         * The NumPy name.
         *
         * @return the name NumPy gives the type, e.g. {@code float32}
         */
        public String numpyName() {
            return switch (this) {
                case FLOAT32 -> "float32";
                case FLOAT64 -> "float64";
                case INT32 -> "int32";
                case INT64 -> "int64";
            };
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private NpyArray(DType dtype, int[] shape, Object data, int length) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must not hold negative sizes, got " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values but the data has " + length);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /**
     * An array of dtype {@link DType#FLOAT32} holding {@code data}, which it keeps (no copy).
     *
     * @param data the values, in C order
     * @param shape the size of each dimension; none for a 0-d array of one value
     * @return the array
     * @throws IllegalArgumentException if a size is negative or the sizes do not multiply to {@code data.length}
     */
    public static NpyArray of(float[] data, int... shape) {
        return new NpyArray(DType.FLOAT32, shape, data, data.length);
    }

    /**
     * An array of dtype {@link DType#FLOAT64} holding {@code data}, which it keeps (no copy).
     *
     * @param data the values, in C order
     * @param shape the size of each dimension; none for a 0-d array of one value
     * @return the array
     * @throws IllegalArgumentException if a size is negative or the sizes do not multiply to {@code data.length}
     */
    public static NpyArray of(double[] data, int... shape) {
        return new NpyArray(DType.FLOAT64, shape, data, data.length);
    }

    /**
     * An array of dtype {@link DType#INT32} holding {@code data}, which it keeps (no copy).
     *
     * @param data the values, in C order
     * @param shape the size of each dimension; none for a 0-d array of one value
     * @return the array
     * @throws IllegalArgumentException if a size is negative or the sizes do not multiply to {@code data.length}
     */
    public static NpyArray of(int[] data, int... shape) {
        return new NpyArray(DType.INT32, shape, data, data.length);
    }

    /**
     * An array of dtype {@link DType#INT64} holding {@code data}, which it keeps (no copy).
     *
     * @param data the values, in C order
     * @param shape the size of each dimension; none for a 0-d array of one value
     * @return the array
     * @throws IllegalArgumentException if a size is negative or the sizes do not multiply to {@code data.length}
     */
    public static NpyArray of(long[] data, int... shape) {
        return new NpyArray(DType.INT64, shape, data, data.length);
    }

    /**
     * The element type.
     *
     * @return the dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The shape.
     *
     * @return the size of each dimension (a copy); {@code []} for a 0-d array holding one value
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions.
     *
     * @return the length of the shape, 0 for a 0-d array
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The size of one dimension.
     *
     * @param axis the dimension, from 0 to {@link #rank()} - 1
     * @return its size
     * @throws ArrayIndexOutOfBoundsException if there is no such dimension
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /**
     * The number of values.
     *
     * @return the product of the shape (1 for a 0-d array)
     */
    public int size() {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data).length;
            case FLOAT64 -> ((double[]) data).length;
            case INT32 -> ((int[]) data).length;
            case INT64 -> ((long[]) data).length;
        };
    }

    /**
     * The values as float.
     *
     * @return the backing array itself for {@link DType#FLOAT32}, a rounded copy otherwise
     */
    public float[] toFloats() {
        if (dtype == DType.FLOAT32) {
            return (float[]) data;
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) doubleAt(i);
        }
        return out;
    }

    /**
     * The values as double.
     *
     * @return the backing array itself for {@link DType#FLOAT64}, a copy otherwise (exact, except for int64 values
     *     beyond 2^53 in magnitude, which are rounded)
     */
    public double[] toDoubles() {
        if (dtype == DType.FLOAT64) {
            return (double[]) data;
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleAt(i);
        }
        return out;
    }

    /**
     * The values of an integer array as long.
     *
     * @return the backing array itself for {@link DType#INT64}, a copy for {@link DType#INT32}
     * @throws IllegalArgumentException if the array is of a floating-point type
     */
    public long[] toLongs() {
        return switch (dtype) {
            case INT64 -> (long[]) data;
            case INT32 -> {
                int[] src = (int[]) data;
                long[] out = new long[src.length];
                for (int i = 0; i < src.length; i++) {
                    out[i] = src[i];
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("expected an integer array, got " + dtype.numpyName());
        };
    }

    /**
     * The values of an integer array as int.
     *
     * @return the backing array itself for {@link DType#INT32}, a copy for {@link DType#INT64}
     * @throws IllegalArgumentException if the array is of a floating-point type, or an int64 value is outside the
     *     int range
     */
    public int[] toInts() {
        return switch (dtype) {
            case INT32 -> (int[]) data;
            case INT64 -> {
                long[] src = (long[]) data;
                int[] out = new int[src.length];
                for (int i = 0; i < src.length; i++) {
                    if (src[i] != (int) src[i]) {
                        throw new IllegalArgumentException("value " + src[i] + " at index " + i
                                + " does not fit a 32-bit int");
                    }
                    out[i] = (int) src[i];
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("expected an integer array, got " + dtype.numpyName());
        };
    }

    double doubleAt(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
        };
    }

    long longAt(int i) {
        return switch (dtype) {
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            default -> throw new IllegalStateException();
        };
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.numpyName() + " " + Arrays.toString(shape) + "]";
    }
}
