package org.xent.cli;

import org.xent.io.NpyArray;

/**
 * What a command produced: the value to print (the reduced loss; for reduction none the sum), in the input's
 * dtype, and the unreduced loss and gradient when they were asked for (else null).
 */
public record LossResult(double value, boolean float32, NpyArray loss, NpyArray grad) {

    /** The value as a decimal that parses back to the same float (float32) or double. */
    public String formattedValue() {
        return float32 ? Float.toString((float) value) : Double.toString(value);
    }
}
