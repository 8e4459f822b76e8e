package org.xent;

import org.xent.internal.Checks;

/**
 * The losses whose target has the input's shape ({@link SoftCrossEntropy}, {@link ProbabilityCrossEntropy},
 * {@link BinaryCrossEntropy}, {@link BinaryCrossEntropyWithLogits}, {@link KLDivergence}, {@link Distillation}):
 * their {@code float[]} and {@code double[]} methods, beside the {@link TensorView} methods of {@link Loss}.
 * Each loss's class documentation says what its input and target hold, what it checks and what its mean divides
 * by. {@link HardCrossEntropy}, whose targets are class indices, has methods of its own.
 *
 * <p>An array call checks every argument before anything is written, then makes one kernel call on the
 * caller's arrays: no staging, no allocation.
 *
 * <p>The class is public so that its methods can be called through reflection and method handles as well as
 * directly; only the losses of this package extend it.
 */
public abstract class SameShapeLoss extends ViewLoss {

    SameShapeLoss(Reduction reduction, String inputName, String targetName, double[] weights) {
        super(reduction, inputName, targetName, weights);
    }

    /**
     * The reduced loss of {@code rows x columns} values of input and target, both from index 0, row-major.
     *
     * @param input   the input, {@code rows * columns} values from index 0, row-major: logits, probabilities,
     *                log-probabilities or student logits, as the loss defines it
     * @param target  the target, same shape, from index 0 (for distillation: the teacher's logits)
     * @param rows    the number of rows N (the batch size)
     * @param columns the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on the bad arguments
     *                                  {@link #forward(float[], int, float[], int, int, int, float[], int)} rejects
     */
    public final float forward(float[] input, float[] target, int rows, int columns) {
        return forward(input, 0, target, 0, rows, columns, null, 0);
    }

    /**
     * Computes the loss of {@code rows x columns} slices of input and target.
     *
     * @param input           the input, {@code rows * columns} values from {@code inputOffset}, row-major: logits,
     *                        probabilities, log-probabilities or student logits, as the loss defines it
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param target          the target, same shape, from {@code targetOffset} (for distillation: the teacher's
     *                        logits)
     * @param targetOffset    index in {@code target} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param columns         the number of classes C in a row
     * @param unreduced       optional (may be null): receives the unreduced losses from {@code unreducedOffset}, one
     *                        per row, or one per element for the binary losses and KL divergence
     * @param unreducedOffset index in {@code unreduced} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, an output overlapping
     *                                  an input, options that do not fit the shape (class weights of another
     *                                  length), or an input value the loss does not accept (a probability outside
     *                                  [0, 1]); nothing is written then
     */
    public final float forward(float[] input, int inputOffset, float[] target, int targetOffset, int rows,
                               int columns, float[] unreduced, int unreducedOffset) {
        return (float) run32(input, inputOffset, target, targetOffset, rows, columns, unreduced, unreducedOffset,
                null, 0, false);
    }

    /**
     * Computes the loss and its gradient with respect to the input in one call (what a training step needs). The
     * gradient is that of the returned value: for a mean it is divided by the mean's denominator.
     *
     * @param input           the input, {@code rows * columns} values from {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param target          the target, same shape, from {@code targetOffset}
     * @param targetOffset    index in {@code target} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param columns         the number of classes C in a row
     * @param unreduced       optional (may be null): receives the unreduced losses from {@code unreducedOffset}
     * @param unreducedOffset index in {@code unreduced} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * columns} values from {@code gradientOffset}; it may be the input
     *                        slice itself (same array, same offset) to compute in place, but must not partly overlap
     *                        it or overlap the target
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on the bad arguments
     *                                  {@link #forward(float[], int, float[], int, int, int, float[], int)} rejects,
     *                                  or a gradient slice out of bounds or overlapping as above
     */
    public final float forwardBackward(float[] input, int inputOffset, float[] target, int targetOffset, int rows,
                                       int columns, float[] unreduced, int unreducedOffset, float[] gradient,
                                       int gradientOffset) {
        return (float) run32(input, inputOffset, target, targetOffset, rows, columns, unreduced, unreducedOffset,
                gradient, gradientOffset, true);
    }

    private double run32(float[] input, int inputOffset, float[] target, int targetOffset, int rows, int columns,
                         float[] unreduced, int unreducedOffset, float[] gradient, int gradientOffset,
                         boolean backward) {
        int size = checkArrays(input, len(input), inputOffset, target, len(target), targetOffset, rows, columns,
                unreduced, len(unreduced), unreducedOffset, gradient, len(gradient), gradientOffset, backward);
        boolean checkFirst = checksInput() && (unreduced != null || gradient != null);
        if (checkFirst) {
            rejectInvalid(firstInvalid32(input, inputOffset, size), columns, input, inputOffset);
        }
        double denominator = denominator(rows, columns);
        double sum = kernel32(input, inputOffset, target, null, targetOffset, elementWeights32(rows, columns), rows,
                columns, unreduced, unreducedOffset, gradient, gradientOffset, (float) gradScale(denominator));
        if (!checkFirst && checksInput() && Double.isNaN(sum)) { // an invalid input makes the sum NaN: find it
            rejectInvalid(firstInvalid32(input, inputOffset, size), columns, input, inputOffset);
        }
        return reduce(sum, denominator);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param input   the input, {@code rows * columns} values from index 0, row-major
     * @param target  the target, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param columns the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on the bad arguments the float32 version rejects
     */
    public final double forward(double[] input, double[] target, int rows, int columns) {
        return forward(input, 0, target, 0, rows, columns, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param input           the input, {@code rows * columns} values from {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param target          the target, same shape, from {@code targetOffset}
     * @param targetOffset    index in {@code target} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param columns         the number of classes C in a row
     * @param unreduced       optional (may be null): receives the unreduced losses from {@code unreducedOffset}
     * @param unreducedOffset index in {@code unreduced} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on the bad arguments the float32 version rejects
     */
    public final double forward(double[] input, int inputOffset, double[] target, int targetOffset, int rows,
                                int columns, double[] unreduced, int unreducedOffset) {
        return run64(input, inputOffset, target, targetOffset, rows, columns, unreduced, unreducedOffset, null, 0,
                false);
    }

    /**
     * Float64 version of
     * {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param input           the input, {@code rows * columns} values from {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param target          the target, same shape, from {@code targetOffset}
     * @param targetOffset    index in {@code target} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param columns         the number of classes C in a row
     * @param unreduced       optional (may be null): receives the unreduced losses from {@code unreducedOffset}
     * @param unreducedOffset index in {@code unreduced} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * columns} values from {@code gradientOffset} (in place allowed, as
     *                        in the float32 version)
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     * @throws IllegalArgumentException on the bad arguments the float32 version rejects
     */
    public final double forwardBackward(double[] input, int inputOffset, double[] target, int targetOffset, int rows,
                                        int columns, double[] unreduced, int unreducedOffset, double[] gradient,
                                        int gradientOffset) {
        return run64(input, inputOffset, target, targetOffset, rows, columns, unreduced, unreducedOffset, gradient,
                gradientOffset, true);
    }

    private double run64(double[] input, int inputOffset, double[] target, int targetOffset, int rows, int columns,
                         double[] unreduced, int unreducedOffset, double[] gradient, int gradientOffset,
                         boolean backward) {
        int size = checkArrays(input, len(input), inputOffset, target, len(target), targetOffset, rows, columns,
                unreduced, len(unreduced), unreducedOffset, gradient, len(gradient), gradientOffset, backward);
        boolean checkFirst = checksInput() && (unreduced != null || gradient != null);
        if (checkFirst) {
            rejectInvalid(firstInvalid64(input, inputOffset, size), columns, input, inputOffset);
        }
        double denominator = denominator(rows, columns);
        double sum = kernel64(input, inputOffset, target, null, targetOffset, elementWeights64(rows, columns), rows,
                columns, unreduced, unreducedOffset, gradient, gradientOffset, gradScale(denominator));
        if (!checkFirst && checksInput() && Double.isNaN(sum)) {
            rejectInvalid(firstInvalid64(input, inputOffset, size), columns, input, inputOffset);
        }
        return reduce(sum, denominator);
    }

    @Override
    final double denominator(TensorView input, TensorView target) {
        return denominator(input.rows(), input.columns());
    }

    /** The mean's denominator for a batch of that shape: N, unless the loss says otherwise. */
    double denominator(long rows, long columns) {
        return rows;
    }

    /**
     * Whether this loss checks its input's values ({@link #firstInvalid32} can find one). Only then does a view
     * call read the input once more before the kernel: staging a 16-bit or segment input just to find nothing
     * would cost a pass over it.
     */
    boolean checksInput() {
        return false;
    }

    @Override
    final void checkValues(TensorView input, TensorView target) {
        if (!checksInput()) {
            return;
        }
        long bad = firstInvalidInput(input);
        if (bad >= 0) {
            long c = input.columns();
            throw new InvalidArgumentException(inputName(), invalidInputMessage(bad / c, bad % c, "is not"));
        }
    }

    /**
     * What is wrong with the input at that row and column, for a loss whose {@link #firstInvalid32} finds any;
     * {@code found} says what is there ("holds 1.5", or "is not" where the value is not at hand).
     */
    String invalidInputMessage(long row, long column, String found) {
        return inputName() + ": invalid value at row " + row + ", column " + column + " (" + found + ")";
    }

    /** The unreduced output's parameter name in the array methods. */
    private String unreducedName() {
        return elementwise() ? "losses" : "rowLosses";
    }

    private void rejectInvalid(int bad, int columns, float[] input, int inputOffset) {
        if (bad >= 0) {
            throw new InvalidArgumentException(inputName(), invalidInputMessage(bad / columns, bad % columns,
                    "holds " + input[inputOffset + bad]));
        }
    }

    private void rejectInvalid(int bad, int columns, double[] input, int inputOffset) {
        if (bad >= 0) {
            throw new InvalidArgumentException(inputName(), invalidInputMessage(bad / columns, bad % columns,
                    "holds " + input[inputOffset + bad]));
        }
    }

    /** Checks the slices, their overlaps and the options against the shape; returns {@code rows * columns}. */
    private int checkArrays(Object x, int xLength, int xo, Object t, int tLength, int to, int rows, int columns,
                            Object out, int outLength, int oo, Object g, int gLength, int go, boolean backward) {
        String in = inputName();
        String tn = targetName();
        int size = Checks.matrixSize(rows, columns);
        Checks.range(in, x, xLength, xo, size);
        Checks.range(tn, t, tLength, to, size);
        checkOptions(rows, columns);
        if (backward) {
            Checks.gradient(g, gLength, go, size, in, x, xo, tn, t, to);
        }
        int outCount = elementwise() ? size : rows;
        Checks.optionalOutput(unreducedName(), out, outLength, oo, outCount, in, x, xo, tn, t, to, size);
        if (backward) {
            Checks.noOverlap(unreducedName(), out, oo, outCount, "gradient", g, go, size, false);
        }
        return size;
    }

    private static int len(float[] a) {
        return a == null ? 0 : a.length;
    }

    private static int len(double[] a) {
        return a == null ? 0 : a.length;
    }
}
