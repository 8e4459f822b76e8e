package org.xent.cli;

/**
 * What a command produced: the value to print (the reduced loss; for reduction none the sum), computed in
 * float32 or float64. The unreduced loss and the gradient, when asked for, are already in their output files.
 */
public record LossResult(double value, boolean float32) {

    /** The value as a decimal that parses back to the same float (float32) or double. */
    public String formattedValue() {
        return float32 ? Float.toString((float) value) : Double.toString(value);
    }
}
