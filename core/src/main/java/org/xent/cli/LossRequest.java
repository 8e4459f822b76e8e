package org.xent.cli;

import java.util.Arrays;
import java.util.Map;
import org.xent.Reduction;
import org.xent.io.NpyArray;

/**
 * What a command computes from: the input as an N x C matrix in its own dtype, the target and optional arrays
 * (checked against the input's shape and converted to its dtype when a command asks for them), the reduction,
 * the other options, and which outputs are wanted. A 1-D input (C,) is one row.
 */
public final class LossRequest {
    private final String command;
    private final NpyArray input;
    private final NpyArray target;
    private final Map<Option, NpyArray> arrays;
    private final ParsedArgs args;
    private final Reduction reduction;
    private final boolean wantLoss;
    private final boolean wantGrad;
    private final int rows;
    private final int classes;

    LossRequest(String command, NpyArray input, NpyArray target, Map<Option, NpyArray> arrays, ParsedArgs args,
                Reduction reduction, boolean wantLoss, boolean wantGrad) throws CliException {
        if (!input.dtype().isFloatingPoint()) {
            throw CliException.usage("--input must hold float32 or float64 values, got " + input.dtype().numpyName());
        }
        if (input.rank() == 2) {
            rows = input.dim(0);
            classes = input.dim(1);
        } else if (input.rank() == 1) {
            rows = 1;
            classes = input.dim(0);
        } else {
            throw CliException.usage("--input must have shape (N, C) or (C,), got " + Shapes.text(input.shape()));
        }
        this.command = command;
        this.input = input;
        this.target = target;
        this.arrays = arrays;
        this.args = args;
        this.reduction = reduction;
        this.wantLoss = wantLoss;
        this.wantGrad = wantGrad;
    }

    public String command() {
        return command;
    }

    /** Whether the input, and so the computation and the outputs, are float32 (else float64). */
    public boolean isFloat32() {
        return input.dtype() == NpyArray.DType.FLOAT32;
    }

    /** N (1 for a 1-D input). */
    public int rows() {
        return rows;
    }

    /** C. */
    public int classes() {
        return classes;
    }

    public Reduction reduction() {
        return reduction;
    }

    /** Whether the unreduced loss is to be written (else the command may skip computing it). */
    public boolean wantLoss() {
        return wantLoss;
    }

    /** Whether the gradient is to be written (else the command computes the loss only). */
    public boolean wantGrad() {
        return wantGrad;
    }

    public ParsedArgs args() {
        return args;
    }

    /** The input's shape: that of the gradient and of element-wise unreduced losses. */
    public int[] inputShape() {
        return input.shape();
    }

    /** The shape of per-row results: (N,), or () for a 1-D input. */
    public int[] rowShape() {
        return input.rank() == 2 ? new int[] {rows} : new int[0];
    }

    public float[] input32() {
        return input.toFloats();
    }

    public double[] input64() {
        return input.toDoubles();
    }

    /** Whether the target file holds integers (class indices for cross-entropy). */
    public boolean targetIsIntegral() {
        return !target.dtype().isFloatingPoint();
    }

    /** The target as float32, which must have the input's shape. */
    public float[] target32() throws CliException {
        return sameShapeAsInput(Option.TARGET, target).toFloats();
    }

    /** The target as float64, which must have the input's shape. */
    public double[] target64() throws CliException {
        return sameShapeAsInput(Option.TARGET, target).toDoubles();
    }

    /** The target as class indices: an integer array of shape (N,), or () for a 1-D input. */
    public int[] classIndices() throws CliException {
        if (!targetIsIntegral()) {
            throw CliException.usage("--target must hold class indices (int32 or int64), got "
                    + target.dtype().numpyName());
        }
        if (!Arrays.equals(target.shape(), rowShape())) {
            throw CliException.usage("--target holds class indices and must have shape " + Shapes.text(rowShape())
                    + " for an input of shape " + Shapes.text(inputShape()) + ", got " + Shapes.text(target.shape()));
        }
        try {
            return target.toInts();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--target: " + e.getMessage());
        }
    }

    /** Per-class values of {@code option} (shape (C,)) as float32, or null when the option is absent. */
    public float[] perClass32(Option option) throws CliException {
        NpyArray a = perClass(option);
        return a == null ? null : a.toFloats();
    }

    /** Per-class values of {@code option} (shape (C,)) as float64, or null when the option is absent. */
    public double[] perClass64(Option option) throws CliException {
        NpyArray a = perClass(option);
        return a == null ? null : a.toDoubles();
    }

    /** Values of {@code option} per class (C,) or per element (the input's shape) as float32, or null. */
    public float[] perClassOrElement32(Option option) throws CliException {
        NpyArray a = perClassOrElement(option);
        return a == null ? null : a.toFloats();
    }

    /** Values of {@code option} per class (C,) or per element (the input's shape) as float64, or null. */
    public double[] perClassOrElement64(Option option) throws CliException {
        NpyArray a = perClassOrElement(option);
        return a == null ? null : a.toDoubles();
    }

    private NpyArray perClass(Option option) throws CliException {
        NpyArray a = arrays.get(option);
        if (a != null && !Shapes.same(a.shape(), classes)) {
            throw CliException.usage(option.flag() + " must have shape " + Shapes.text(classes) + " (one value per"
                    + " class), got " + Shapes.text(a.shape()));
        }
        return a;
    }

    private NpyArray perClassOrElement(Option option) throws CliException {
        NpyArray a = arrays.get(option);
        if (a != null && !Shapes.same(a.shape(), classes) && !Arrays.equals(a.shape(), inputShape())) {
            throw CliException.usage(option.flag() + " must have shape " + Shapes.text(classes) + " (per class) or "
                    + Shapes.text(inputShape()) + " (per element), got " + Shapes.text(a.shape()));
        }
        return a;
    }

    private NpyArray sameShapeAsInput(Option option, NpyArray a) throws CliException {
        if (!Arrays.equals(a.shape(), inputShape())) {
            throw CliException.usage(option.flag() + " must have the input's shape " + Shapes.text(inputShape())
                    + ", got " + Shapes.text(a.shape()));
        }
        return a;
    }
}
