package org.xent.internal;

import org.xent.InvalidArgumentException;

/**
 * Argument checks shared by the public losses. Every failure is an {@link InvalidArgumentException} whose
 * message names the parameter and the values and whose {@link InvalidArgumentException#parameter()} is that name,
 * thrown before anything is written to a caller's buffer.
 */
public final class Checks {
    private Checks() {}

    /** Checks rows and classes are non-negative and that rows * classes fits an array index. */
    public static int matrixSize(int rows, int classes) {
        if (rows < 0) {
            throw new InvalidArgumentException("rows", "rows must be >= 0, got " + rows);
        }
        if (classes < 0) {
            throw new InvalidArgumentException("classes", "classes must be >= 0, got " + classes);
        }
        long size = (long) rows * classes;
        if (size > Integer.MAX_VALUE) {
            // reported against rows: the batch dimension is the one a caller grows
            throw new InvalidArgumentException("rows",
                    "rows * classes must fit an array, got " + rows + " * " + classes + " = " + size);
        }
        return (int) size;
    }

    /** Checks that {@code array[offset, offset + length)} exists; {@code array} must not be null. */
    public static void range(String name, Object array, int arrayLength, int offset, long length) {
        if (array == null) {
            throw new InvalidArgumentException(name, name + " must not be null");
        }
        if (offset < 0 || offset + length > arrayLength) {
            throw new InvalidArgumentException(name, name + ": offset " + offset + " + length " + length
                    + " is out of bounds for an array of length " + arrayLength);
        }
    }

    public static void range(String name, float[] array, int offset, long length) {
        range(name, array, array == null ? 0 : array.length, offset, length);
    }

    public static void range(String name, double[] array, int offset, long length) {
        range(name, array, array == null ? 0 : array.length, offset, length);
    }

    /** Optional class weights: null, or exactly {@code classes} long. */
    public static void classWeights(int weightsLength, int classes) {
        if (weightsLength >= 0 && weightsLength != classes) {
            throw new InvalidArgumentException("classWeights", "classWeights must have one entry per class: length "
                    + weightsLength + " but classes = " + classes);
        }
    }

    /**
     * An output region must not overlap an input region of the same array, except that {@code exactAliasAllowed}
     * permits the output to be exactly the input (same array, same offset, same length), for in-place use.
     */
    public static void noOverlap(String outName, Object out, int outOffset, long outLength,
                                 String inName, Object in, int inOffset, long inLength, boolean exactAliasAllowed) {
        if (out == null || out != in || outLength == 0 || inLength == 0) {
            return;
        }
        if (exactAliasAllowed && outOffset == inOffset && outLength == inLength) {
            return;
        }
        boolean overlap = outOffset < inOffset + inLength && inOffset < outOffset + outLength;
        if (overlap) {
            throw new InvalidArgumentException(outName, outName + " [" + outOffset + ", " + (outOffset + outLength)
                    + ") overlaps " + inName + " [" + inOffset + ", " + (inOffset + inLength) + ") in the same array"
                    + (exactAliasAllowed ? "; only the exact same region is allowed (in place)" : ""));
        }
    }

    /** Label smoothing must be a number in [0, 1] (PyTorch silently treats negative or NaN values as 0; we reject them). */
    public static double labelSmoothing(double epsilon) {
        if (!(epsilon >= 0.0 && epsilon <= 1.0)) {
            throw new InvalidArgumentException("labelSmoothing",
                    "labelSmoothing must be between 0.0 and 1.0, got " + epsilon);
        }
        return epsilon;
    }

    public static Object notNull(String name, Object value) {
        if (value == null) {
            throw new InvalidArgumentException(name, name + " must not be null");
        }
        return value;
    }

    /**
     * An optional output of {@code count} values (unreduced losses): null, or in bounds and overlapping neither the
     * input ({@code size} values) nor the targets ({@code size} values; pass null when they cannot alias).
     */
    public static void optionalOutput(String name, Object out, int outLength, int outOffset, long count,
                                      String inputName, Object input, int inputOffset,
                                      String targetsName, Object targets, int targetsOffset, long size) {
        if (out == null) {
            return;
        }
        range(name, out, outLength, outOffset, count);
        noOverlap(name, out, outOffset, count, inputName, input, inputOffset, size, false);
        noOverlap(name, out, outOffset, count, targetsName, targets, targetsOffset, size, false);
    }

    /**
     * The gradient buffer: {@code size} values in bounds, either exactly the input slice (in place) or apart from
     * it, and apart from the targets.
     */
    public static void gradient(Object gradient, int length, int offset, long size, String inputName, Object input,
                                int inputOffset, String targetsName, Object targets, int targetsOffset) {
        range("gradient", gradient, length, offset, size);
        noOverlap("gradient", gradient, offset, size, inputName, input, inputOffset, size, true);
        noOverlap("gradient", gradient, offset, size, targetsName, targets, targetsOffset, size, false);
    }
}
