package org.xent.internal;

import org.xent.InvalidArgumentException;

/**
 * Argument checks specific to the element-wise binary losses (weights that are per class or per element,
 * positive-class weights, probabilities in [0, 1]). Same conventions as {@link Checks}: an
 * {@link InvalidArgumentException} naming the parameter and the values, before anything is written.
 */
public final class BinaryLossChecks {
    private BinaryLossChecks() {}

    /**
     * Weights of length C apply per class (row stride 0), of length N * C per element (row stride C); anything
     * else is an error. With N = 1 both readings are the same.
     */
    public static int weightsRowStride(int weightsLength, int rows, int classes) {
        if (weightsLength == classes) {
            return 0;
        }
        if ((long) weightsLength == (long) rows * classes) {
            return classes;
        }
        throw new InvalidArgumentException("weights", "weights must have length classes (" + classes
                + ", per class) or rows * classes (" + ((long) rows * classes) + ", per element), got length "
                + weightsLength);
    }

    /** Positive-class weights: one per class. */
    public static void posWeight(int posWeightLength, int classes) {
        if (posWeightLength != classes) {
            throw new InvalidArgumentException("posWeight", "posWeight must have one entry per class: length "
                    + posWeightLength + " but classes = " + classes);
        }
    }

    /** The error for a probability outside [0, 1] (or NaN) at {@code index} of the slice. */
    public static InvalidArgumentException probabilityOutOfRange(int index, double value) {
        return new InvalidArgumentException("probabilities", "probabilities must be between 0 and 1 (all elements of"
                + " input should be between 0 and 1), got probabilities[offset + " + index + "] = " + value);
    }
}
