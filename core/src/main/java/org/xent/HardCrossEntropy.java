package org.xent;

import org.xent.internal.Checks;
import org.xent.internal.HardCrossEntropyKernel;
import org.xent.internal.KernelProvider;

/**
 * Cross-entropy between logits and class-index targets, with optional class weights, label smoothing and an
 * ignored index: PyTorch's {@code cross_entropy(input, target)} with an integer target of shape (N,).
 *
 * <p>For a batch of N rows and C classes, with target t_n for row n, validity {@code v_n = [t_n != ignoreIndex]},
 * class weights w (all 1 when absent) and label smoothing eps:
 * <pre>
 *   loss_n = v_n [ (1 - eps) w_{t_n} (-log_softmax(x_n)_{t_n}) + (eps / C) sum_c w_c (-log_softmax(x_n)_c) ]
 *   q_nc   = v_n w_c ((1 - eps) [c == t_n] + eps / C)
 *   dloss_n / dx_nj = softmax(x_n)_j sum_c q_nc - q_nj
 * </pre>
 * Reductions: {@link Reduction#NONE} (one value per row), {@link Reduction#SUM}, and {@link Reduction#MEAN}, which
 * divides by {@code D = sum_n v_n w_{t_n}} (the number of non-ignored rows without weights); the smoothing term
 * is divided by the same D. The gradient of the mean is divided by D too.
 *
 * <p>Edge cases, as in PyTorch unless listed under deviations: an ignored row's loss is exactly 0, even when its
 * logits are NaN. When D = 0: if every row is ignored (or N = 0), the mean is NaN, the sum 0 and the gradient all
 * zeros; if some rows are present but their target weights are all 0, the mean is NaN and the gradient of the
 * mean is NaN in the present rows (zeros in the ignored rows). A +inf or NaN logit gives a NaN row; a -inf logit
 * at the target gives +inf.
 *
 * <p><b>Deliberate deviations from PyTorch:</b>
 * <ul>
 *   <li>Masked classes: a term whose coefficient {@code q_nc} is exactly 0 contributes 0 even where its logit is
 *       -inf (PyTorch: {@code 0 * -inf = NaN}, e.g. with smoothing and a zero weight on a -inf class).</li>
 *   <li>The gradient row of an ignored row is always 0; PyTorch gives NaN there when that row's logits hold a NaN.</li>
 *   <li>A label smoothing that is negative or NaN is rejected (PyTorch treats it as 0).</li>
 * </ul>
 * A target outside [0, C) that is not {@code ignoreIndex} raises an {@link IllegalArgumentException} naming the row
 * and the value (PyTorch: an IndexError).
 *
 * <p>Arrays are row-major {@code float[]} or {@code double[]} slices with an offset; targets are an {@code int[]}
 * slice. Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an
 * {@link IllegalArgumentException} naming the parameter, before any output is written.
 */
public final class HardCrossEntropy extends ViewLoss {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final double labelSmoothing;
    private final int ignoreIndex;
    private final HardCrossEntropyKernel kernel;

    private HardCrossEntropy(Builder b) {
        super(b.reduction, "logits", "targets", b.weights);
        this.labelSmoothing = b.labelSmoothing;
        this.ignoreIndex = b.ignoreIndex;
        this.kernel = KernelProvider.kernels().hardCrossEntropy();
    }

    /**
     * A loss with reduction {@link Reduction#MEAN}, no class weights, no smoothing and ignore index -100.
     *
     * @return a new loss with the default settings
     */
    public static HardCrossEntropy create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: mean reduction, no class weights, no label smoothing, ignore index -100
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The label smoothing set by the builder.
     *
     * @return eps, in [0, 1]; 0 for none
     */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The ignore index set by the builder.
     *
     * @return the target value that marks a row as ignored ({@link #DEFAULT_IGNORE_INDEX} unless set)
     */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * The loss over {@code rows} rows of logits and targets starting at index 0.
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets class indices, {@code rows} values from index 0, each in [0, classes) or equal to the ignore index
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public float forward(float[] logits, int[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         class indices, {@code rows} values from {@code targetsOffset}, each in [0, classes) or
     *                        equal to the ignore index
     * @param targetsOffset   index in {@code targets} of the first target
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, a target out of range,
     *                                  overlapping output and input, or class weights whose length is not
     *                                  {@code classes}
     */
    public float forward(float[] logits, int logitsOffset, int[] targets, int targetsOffset, int rows, int classes,
                         float[] rowLosses, int rowLossesOffset) {
        int size = checkInputs(logits, logits == null ? 0 : logits.length, logitsOffset, targets, targetsOffset,
                rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, size);
        double denominator = denominator(targets, targetsOffset, rows, classes, weights32, null);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, (float) labelSmoothing, ignoreIndex, rowLosses, rowLossesOffset, null, 0, 0f);
        return (float) reduce(sum, denominator);
    }

    /**
     * Computes the loss and its gradient with respect to the logits in one call. The gradient is that of the
     * returned value: for {@link Reduction#MEAN} it is divided by D.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         class indices, {@code rows} values from {@code targetsOffset}, each in [0, classes) or
     *                        equal to the ignore index
     * @param targetsOffset   index in {@code targets} of the first target
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                        slice itself (same array, same offset) to compute in place, but must not partly overlap it
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] logits, int logitsOffset, int[] targets, int targetsOffset,
                                 int rows, int classes, float[] rowLosses, int rowLossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = checkInputs(logits, logits == null ? 0 : logits.length, logitsOffset, targets, targetsOffset,
                rows, classes);
        Checks.range("gradient", gradient, gradientOffset, size);
        Checks.noOverlap("gradient", gradient, gradientOffset, size, "logits", logits, logitsOffset, size, true);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        double denominator = denominator(targets, targetsOffset, rows, classes, weights32, null);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, (float) labelSmoothing, ignoreIndex, rowLosses, rowLossesOffset, gradient, gradientOffset,
                (float) gradScale(denominator));
        return (float) reduce(sum, denominator);
    }

    /**
     * Float64 version of {@link #forward(float[], int[], int, int)}.
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets class indices, {@code rows} values from index 0, each in [0, classes) or equal to the ignore index
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] logits, int[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, int[], int, int, int, float[], int)}.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         class indices, {@code rows} values from {@code targetsOffset}, each in [0, classes) or
     *                        equal to the ignore index
     * @param targetsOffset   index in {@code targets} of the first target
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] logits, int logitsOffset, int[] targets, int targetsOffset, int rows,
                          int classes, double[] rowLosses, int rowLossesOffset) {
        int size = checkInputs(logits, logits == null ? 0 : logits.length, logitsOffset, targets, targetsOffset,
                rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, size);
        double denominator = denominator(targets, targetsOffset, rows, classes, null, weights64);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, labelSmoothing, ignoreIndex, rowLosses, rowLossesOffset, null, 0, 0);
        return reduce(sum, denominator);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, int[], int, int, int, float[], int, float[], int)}.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         class indices, {@code rows} values from {@code targetsOffset}, each in [0, classes) or
     *                        equal to the ignore index
     * @param targetsOffset   index in {@code targets} of the first target
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                        slice itself (same array, same offset) to compute in place, but must not partly overlap it
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forwardBackward(double[] logits, int logitsOffset, int[] targets, int targetsOffset,
                                  int rows, int classes, double[] rowLosses, int rowLossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = checkInputs(logits, logits == null ? 0 : logits.length, logitsOffset, targets, targetsOffset,
                rows, classes);
        Checks.range("gradient", gradient, gradientOffset, size);
        Checks.noOverlap("gradient", gradient, gradientOffset, size, "logits", logits, logitsOffset, size, true);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        double denominator = denominator(targets, targetsOffset, rows, classes, null, weights64);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, labelSmoothing, ignoreIndex, rowLosses, rowLossesOffset, gradient, gradientOffset,
                gradScale(denominator));
        return reduce(sum, denominator);
    }

    private int checkInputs(Object logits, int logitsLength, int logitsOffset, int[] targets, int targetsOffset,
                            int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("logits", logits, logitsLength, logitsOffset, size);
        Checks.range("targets", targets, targets == null ? 0 : targets.length, targetsOffset, rows);
        Checks.classWeights(weights64 == null ? -1 : weights64.length, classes);
        for (int r = 0; r < rows; r++) {
            int t = targets[targetsOffset + r];
            if (t != ignoreIndex && (t < 0 || t >= classes)) {
                throw new InvalidArgumentException("targets", "targets: row " + r + " has class index " + t
                        + ", out of bounds for " + classes + " classes (and not the ignore index " + ignoreIndex + ")");
            }
        }
        return size;
    }

    private static void checkRowLosses(Object rowLosses, int length, int offset, int rows,
                                       Object logits, int logitsOffset, int size) {
        // the targets are int[]: they cannot alias a float or double output
        Checks.optionalOutput("rowLosses", rowLosses, length, offset, rows, "logits", logits, logitsOffset,
                "targets", null, 0, size);
    }

    /** D = sum of the target weights over the non-ignored rows (their count without weights). */
    private double denominator(int[] targets, int targetsOffset, int rows, int classes, float[] w32, double[] w64) {
        if (reduction != Reduction.MEAN) {
            return 1.0;
        }
        double d = 0;
        for (int r = 0; r < rows; r++) {
            int t = targets[targetsOffset + r];
            if (t != ignoreIndex) {
                d += w32 != null ? w32[t] : w64 != null ? w64[t] : 1.0;
            }
        }
        return d;
    }

    @Override
    boolean indexTargets() {
        return true;
    }

    @Override
    void checkValues(TensorView input, TensorView target) {
        long classes = input.columns();
        for (long r = 0; r < target.rows(); r++) {
            long t = Staging.index(target, r);
            if (t != ignoreIndex && (t < 0 || t >= classes)) {
                throw new InvalidArgumentException("targets", "targets: row " + r + " has class index " + t
                        + ", out of bounds for " + classes + " classes (and not the ignore index " + ignoreIndex + ")");
            }
        }
    }

    @Override
    double denominator(TensorView input, TensorView target) {
        return weightedDenominator(input, target, null, Double.NaN);
    }

    /** The summed weight of the rows not ignored: each row's class weight (1 without), times its row weight. */
    @Override
    double weightedDenominator(TensorView input, TensorView target, TensorView rowWeights, double weightSum) {
        if (reduction != Reduction.MEAN) {
            return 1.0;
        }
        boolean f64 = input.elementType() == ElementType.FLOAT64;
        double d = 0;
        for (long r = 0; r < target.rows(); r++) {
            int t = (int) Staging.index(target, r);
            if (t != ignoreIndex) {
                double w = weights64 == null ? 1.0 : f64 ? weights64[t] : weights32[t];
                if (rowWeights != null) {
                    double rw = Staging.value(rowWeights, r);
                    w *= f64 ? rw : (float) rw;
                }
                d += w;
            }
        }
        return d;
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, idx, to, rows, cols, weights32, (float) labelSmoothing, ignoreIndex,
                        out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, idx, to, rows, cols, weights64, labelSmoothing, ignoreIndex,
                        out, oo, g, go, gradScale);
    }

    /** Settings of a {@link HardCrossEntropy}; defaults: mean reduction, no weights, no smoothing, ignore index -100. */
    public static final class Builder extends ClassWeightedBuilder<Builder> {
        private double labelSmoothing;
        private int ignoreIndex = DEFAULT_IGNORE_INDEX;

        private Builder() {
            super("cross-entropy");
        }

        /**
         * Label smoothing eps in [0, 1]: the one-hot target becomes {@code (1 - eps) onehot + eps / C}.
         *
         * @param epsilon eps: 0 for none, up to 1 for uniform targets
         * @return this builder
         * @throws InvalidArgumentException if eps is outside [0, 1] or NaN
         */
        public Builder labelSmoothing(double epsilon) {
            this.labelSmoothing = Checks.labelSmoothing(epsilon);
            return this;
        }

        /**
         * Rows whose target equals this value contribute 0 and are left out of the mean (default -100).
         *
         * @param ignoreIndex the target value that marks a row as ignored; any int, in [0, C) included
         * @return this builder
         */
        public Builder ignoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code HardCrossEntropy}
         */
        public HardCrossEntropy build() {
            return new HardCrossEntropy(this);
        }
    }
}
