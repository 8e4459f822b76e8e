package org.xent.cli;

import java.util.Arrays;
import java.util.Map;
import org.xent.ElementType;
import org.xent.Reduction;
import org.xent.TensorView;
import org.xent.internal.HalfFloats;
import org.xent.io.NpyArray;

/**
 * What a command computes from: the input as an N x C view in its own storage type, the target and optional
 * arrays (checked against the input's shape when a command asks for them), the reduction, the other options, and
 * which outputs are wanted. A 1-D input (C,) is one row.
 *
 * <p>Arrays are shown to the losses as {@link TensorView}s of the files' own values, never converted to another
 * dtype (a mapped file stays mapped): float16 files as float16, 16-bit integer files as bfloat16 bit patterns
 * with {@code --bfloat16}, float32 and float64 as themselves. The loss computes in float64 for a float64 input,
 * else in float32.
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
    private final boolean bfloat16;
    private final ElementType inputType;
    private final int rows;
    private final int classes;

    LossRequest(String command, NpyArray input, NpyArray target, Map<Option, NpyArray> arrays, ParsedArgs args,
                Reduction reduction, boolean wantLoss, boolean wantGrad) throws CliException {
        this.bfloat16 = args.has(Option.BFLOAT16);
        this.inputType = floatingType(input, bfloat16);
        if (inputType == null) {
            throw CliException.usage("--input must hold float16, float32 or float64 values"
                    + (bfloat16 ? " or bfloat16 bit patterns (uint16 or int16)" : " (bfloat16 bits in uint16 or"
                    + " int16 with --bfloat16)") + ", got " + input.dtype().numpyName());
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

    /**
     * The floating-point type an array's values are read as: its own for float16/32/64, bfloat16 for 16-bit
     * integers when {@code --bfloat16} is given; null for integers (class indices).
     */
    private static ElementType floatingType(NpyArray a, boolean bfloat16) {
        return switch (a.dtype()) {
            case FLOAT16 -> ElementType.FLOAT16;
            case FLOAT32 -> ElementType.FLOAT32;
            case FLOAT64 -> ElementType.FLOAT64;
            case UINT16, INT16 -> bfloat16 ? ElementType.BFLOAT16 : null;
            case INT32, INT64 -> null;
        };
    }

    public String command() {
        return command;
    }

    /** Whether the computation is float32 (every input but float64), so the printed value is a float32. */
    public boolean isFloat32() {
        return inputType != ElementType.FLOAT64;
    }

    /** How the input's values are stored: float16, bfloat16, float32 or float64. */
    public ElementType inputType() {
        return inputType;
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

    /** The input as an N x C view of its stored values. */
    public TensorView input() {
        return input.viewAs(inputType).matrix(rows, classes);
    }

    /** Whether the target file holds integers that are not bfloat16 bits (class indices for cross-entropy). */
    public boolean targetIsIntegral() {
        return floatingType(target, bfloat16) == null;
    }

    /** The target as an N x C view of its stored values, which must have the input's shape. */
    public TensorView targetMatrix() throws CliException {
        sameShapeAsInput(Option.TARGET, target);
        ElementType type = floatingType(target, bfloat16);
        if (type == null) {
            throw CliException.usage("--target must hold floating-point values here, got " + target.dtype().numpyName());
        }
        return target.viewAs(type).matrix(rows, classes);
    }

    /** The target as a vector of class indices: an integer array of shape (N,), or () for a 1-D input. */
    public TensorView classIndices() throws CliException {
        if (!targetIsIntegral()) {
            throw CliException.usage("--target must hold class indices (int32 or int64), got "
                    + target.dtype().numpyName() + (bfloat16 ? " read as bfloat16 (--bfloat16)" : ""));
        }
        if (!Arrays.equals(target.shape(), rowShape())) {
            throw CliException.usage("--target holds class indices and must have shape " + Shapes.text(rowShape())
                    + " for an input of shape " + Shapes.text(inputShape()) + ", got " + Shapes.text(target.shape()));
        }
        if (target.dtype() == NpyArray.DType.INT32 || target.dtype() == NpyArray.DType.INT64) {
            return target.view();
        }
        return TensorView.of(target.toInts()); // 16-bit indices: one small vector, widened
    }

    /**
     * The row weights ({@code --row-weights}) as a view of the file's own values, one per row (shape (N,), or ()
     * for a 1-D input), or null when the option is absent.
     */
    public TensorView rowWeights() throws CliException {
        NpyArray a = arrays.get(Option.ROW_WEIGHTS);
        if (a == null) {
            return null;
        }
        ElementType type = floatingType(a, bfloat16);
        if (type == null) {
            throw CliException.usage("--row-weights must hold floating-point values, got " + a.dtype().numpyName());
        }
        if (!Arrays.equals(a.shape(), rowShape())) {
            throw CliException.usage("--row-weights must have shape " + Shapes.text(rowShape()) + " (one value per"
                    + " row) for an input of shape " + Shapes.text(inputShape()) + ", got " + Shapes.text(a.shape()));
        }
        return a.viewAs(type);
    }

    /** Per-class values of {@code option} (shape (C,)), exactly as doubles, or null when the option is absent. */
    public double[] perClass(Option option) throws CliException {
        NpyArray a = arrays.get(option);
        if (a != null && !Shapes.same(a.shape(), classes)) {
            throw CliException.usage(option.flag() + " must have shape " + Shapes.text(classes) + " (one value per"
                    + " class), got " + Shapes.text(a.shape()));
        }
        return a == null ? null : values(option, a);
    }

    /** Values of {@code option} per class (C,) or per element (the input's shape) as doubles, or null. */
    public double[] perClassOrElement(Option option) throws CliException {
        NpyArray a = arrays.get(option);
        if (a != null && !Shapes.same(a.shape(), classes) && !Arrays.equals(a.shape(), inputShape())) {
            throw CliException.usage(option.flag() + " must have shape " + Shapes.text(classes) + " (per class) or "
                    + Shapes.text(inputShape()) + " (per element), got " + Shapes.text(a.shape()));
        }
        return a == null ? null : values(option, a);
    }

    /** The values of a weight file, exactly (bfloat16 bits decoded with {@code --bfloat16}). */
    private double[] values(Option option, NpyArray a) throws CliException {
        ElementType type = floatingType(a, bfloat16);
        if (type == ElementType.BFLOAT16) {
            short[] bits = a.toShorts();
            double[] out = new double[bits.length];
            for (int i = 0; i < bits.length; i++) {
                out[i] = HalfFloats.bfloat16ToFloat(bits[i]);
            }
            return out;
        }
        try {
            return a.toDoubles();
        } catch (IllegalStateException e) {
            throw CliException.usage(option.flag() + ": " + e.getMessage());
        }
    }

    private NpyArray sameShapeAsInput(Option option, NpyArray a) throws CliException {
        if (!Arrays.equals(a.shape(), inputShape())) {
            throw CliException.usage(option.flag() + " must have the input's shape " + Shapes.text(inputShape())
                    + ", got " + Shapes.text(a.shape()));
        }
        return a;
    }
}
