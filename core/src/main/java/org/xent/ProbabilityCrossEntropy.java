package org.xent;

import org.xent.internal.Checks;
import org.xent.internal.KernelProvider;
import org.xent.internal.ProbabilityCrossEntropyKernel;

/**
 * Cross-entropy for a model that already outputs probabilities (after its own softmax), or log-probabilities
 * with {@link Builder#logInput(boolean)}, against soft targets, with optional class weights. PyTorch has no single
 * call for this; it is {@code -(w * y * log(p).clamp(min=-100)).sum(1)} (the clamp as in
 * {@code binary_cross_entropy}) or, for log-probabilities, {@code -(w * y * logp).sum(1)}
 * (= {@code nll_loss} generalised to soft targets).
 *
 * <p>For a batch of N rows and C classes, with coefficients {@code a_nc = w_c y_nc}:
 * <pre>
 *   probabilities p:       loss_n = - sum_c a_nc max(log p_nc, -100)    dloss_n / dp_nc = -a_nc / p_nc  (0 where log p_nc &lt; -100)
 *   log-probabilities lp:  loss_n = - sum_c a_nc lp_nc                  dloss_n / dlp_nc = -a_nc
 * </pre>
 * No {@code 1e-10} is added inside the log: the clamp at -100 alone keeps p = 0 finite. Where the clamp is active
 * (p &lt; e^-100, in particular p = 0) the loss does not depend on p, so the gradient there is 0 (PyTorch's clamp
 * backward gives the same). Reductions: {@link Reduction#NONE} (one value per row), {@link Reduction#SUM}, and
 * {@link Reduction#MEAN}, which divides by N with or without weights.
 *
 * <p>With probabilities, every input must be in [0, 1]: anything else, NaN included, raises an
 * {@link IllegalArgumentException} (as PyTorch's {@code binary_cross_entropy} does); targets are not checked. With
 * log-probabilities the input is not checked; NaN propagates, and {@code +inf} gives NaN or -inf as IEEE says.
 *
 * <p><b>Deliberate deviation (masked classes):</b> with log-probabilities, a term whose coefficient {@code a_nc} is
 * exactly 0 contributes 0 even where lp is -inf (instead of {@code 0 * -inf = NaN}).
 *
 * <p>Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an
 * {@link IllegalArgumentException} naming the parameter, before any output is written.
 */
public final class ProbabilityCrossEntropy extends ViewLoss {

    private final boolean logInput;
    private final float[] weights32;
    private final double[] weights64;
    private final ProbabilityCrossEntropyKernel kernel;

    private ProbabilityCrossEntropy(Builder b) {
        super(b.reduction);
        this.logInput = b.logInput;
        this.weights64 = b.weights == null ? null : b.weights.clone();
        if (weights64 == null) {
            this.weights32 = null;
        } else {
            this.weights32 = new float[weights64.length];
            for (int i = 0; i < weights64.length; i++) {
                weights32[i] = (float) weights64[i];
            }
        }
        this.kernel = KernelProvider.kernels().probabilityCrossEntropy();
    }

    /**
     * A loss on probabilities with reduction {@link Reduction#MEAN} and no class weights.
     *
     * @return a new loss with the default settings
     */
    public static ProbabilityCrossEntropy create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: mean reduction, probabilities, no class weights
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the input holds log-probabilities, as set by the builder.
     *
     * @return true for log-probabilities, false for probabilities
     */
    public boolean logInput() {
        return logInput;
    }

    /**
     * The loss over {@code rows} rows of input and targets starting at index 0.
     *
     * @param input   probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from index 0,
     *                row-major
     * @param targets target probabilities, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public float forward(float[] input, float[] targets, int rows, int classes) {
        return forward(input, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param input           probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from
     *                        {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, overlapping output and
     *                                  input, class weights whose length is not {@code classes}, or (with
     *                                  probabilities) an input outside [0, 1]
     */
    public float forward(float[] input, int inputOffset, float[] targets, int targetsOffset, int rows, int classes,
                         float[] rowLosses, int rowLossesOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                input, inputOffset, targets, targetsOffset, size);
        if (!logInput && rowLosses != null) { // the row losses are written: check before
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        double sum = kernel.forward(input, inputOffset, targets, targetsOffset, rows, classes, weights32, logInput,
                rowLosses, rowLossesOffset);
        if (!logInput && rowLosses == null && Double.isNaN(sum)) { // invalid input makes the sum NaN: find it
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        return (float) reduce(sum, rows);
    }

    /**
     * Computes the loss and its gradient with respect to the input in one call. The gradient is that of the
     * returned value: for {@link Reduction#MEAN} it is divided by N.
     *
     * @param input           probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from
     *                        {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the input
     *                        slice itself (same array, same offset), but must not partly overlap it or overlap the
     *                        targets
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] input, int inputOffset, float[] targets, int targetsOffset,
                                 int rows, int classes, float[] rowLosses, int rowLossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "input", input, inputOffset, "targets", targets, targetsOffset);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                input, inputOffset, targets, targetsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        if (!logInput) {
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        double sum = kernel.forwardBackward(input, inputOffset, targets, targetsOffset, rows, classes, weights32,
                logInput, rowLosses, rowLossesOffset, gradient, gradientOffset, (float) gradScale(rows));
        return (float) reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param input   probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from index 0,
     *                row-major
     * @param targets target probabilities, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] input, double[] targets, int rows, int classes) {
        return forward(input, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param input           probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from
     *                        {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] input, int inputOffset, double[] targets, int targetsOffset, int rows,
                          int classes, double[] rowLosses, int rowLossesOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                input, inputOffset, targets, targetsOffset, size);
        if (!logInput && rowLosses != null) { // the row losses are written: check before
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        double sum = kernel.forward(input, inputOffset, targets, targetsOffset, rows, classes, weights64, logInput,
                rowLosses, rowLossesOffset);
        if (!logInput && rowLosses == null && Double.isNaN(sum)) { // invalid input makes the sum NaN: find it
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        return reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param input           probabilities in [0, 1] (or log-probabilities), {@code rows * classes} values from
     *                        {@code inputOffset}, row-major
     * @param inputOffset     index in {@code input} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the input
     *                        slice itself (same array, same offset), but must not partly overlap it or overlap the
     *                        targets
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forwardBackward(double[] input, int inputOffset, double[] targets, int targetsOffset,
                                  int rows, int classes, double[] rowLosses, int rowLossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "input", input, inputOffset, "targets", targets, targetsOffset);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                input, inputOffset, targets, targetsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        if (!logInput) {
            int bad = kernel.findInvalidProbability(input, inputOffset, size);
            checkProbabilities(bad, classes, bad < 0 ? 0 : input[inputOffset + bad]);
        }
        double sum = kernel.forwardBackward(input, inputOffset, targets, targetsOffset, rows, classes, weights64,
                logInput, rowLosses, rowLossesOffset, gradient, gradientOffset, gradScale(rows));
        return reduce(sum, rows);
    }

    private int check(Object input, int inputLength, int inputOffset, Object targets, int targetsLength,
                      int targetsOffset, int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("input", input, inputLength, inputOffset, size);
        Checks.range("targets", targets, targetsLength, targetsOffset, size);
        Checks.classWeights(weights64 == null ? -1 : weights64.length, classes);
        return size;
    }

    /** {@code bad} is the flat index of the first input outside [0, 1], or -1. */
    private static void checkProbabilities(int bad, int classes, double value) {
        if (bad >= 0) {
            throw new InvalidArgumentException("input", "input: every element must be a probability in [0, 1], but row "
                    + bad / classes + ", class " + bad % classes + " holds " + value
                    + " (use logInput(true) for log-probabilities)");
        }
    }

    private static void checkRowLosses(Object rowLosses, int length, int offset, int rows,
                                       Object input, int inputOffset, Object targets, int targetsOffset, int size) {
        Checks.optionalOutput("rowLosses", rowLosses, length, offset, rows, "input", input, inputOffset, "targets",
                targets, targetsOffset, size);
    }

    private double reduce(double sum, int rows) {
        return reduction == Reduction.MEAN ? sum / rows : sum;
    }

    private double gradScale(int rows) {
        return reduction == Reduction.MEAN ? 1.0 / rows : 1.0;
    }

    @Override
    String inputName() {
        return "input";
    }

    @Override
    void checkOptions(long rows, long columns) {
        Checks.classWeights(weights64 == null ? -1 : weights64.length, (int) Math.min(columns, Integer.MAX_VALUE));
    }

    @Override
    void checkValues(TensorView input, TensorView target) {
        if (!logInput) {
            long bad = firstInvalidInput(input);
            if (bad >= 0) {
                long c = input.columns();
                throw new InvalidArgumentException("input", "input: every element must be a probability in [0, 1],"
                        + " but row " + bad / c + ", class " + bad % c + " is not"
                        + " (use logInput(true) for log-probabilities)");
            }
        }
    }

    @Override
    int firstInvalid32(float[] x, int xo, int n) {
        return kernel.findInvalidProbability(x, xo, n);
    }

    @Override
    int firstInvalid64(double[] x, int xo, int n) {
        return kernel.findInvalidProbability(x, xo, n);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, weights32, logInput, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, weights32, logInput, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, weights64, logInput, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, weights64, logInput, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link ProbabilityCrossEntropy}; defaults: mean reduction, probabilities, no class weights. */
    public static final class Builder {
        private Reduction reduction = Reduction.MEAN;
        private boolean logInput;
        private double[] weights;

        private Builder() {}

        /**
         * {@link Reduction#NONE}, {@link Reduction#SUM} or {@link Reduction#MEAN} (divides by N).
         *
         * @param reduction the reduction
         * @return this builder
         * @throws InvalidArgumentException if {@code reduction} is null or {@link Reduction#BATCHMEAN}
         */
        public Builder reduction(Reduction reduction) {
            Checks.notNull("reduction", reduction);
            if (reduction == Reduction.BATCHMEAN) {
                throw new InvalidArgumentException("reduction",
                        "reduction must be NONE, SUM or MEAN for cross-entropy, got " + reduction);
            }
            this.reduction = reduction;
            return this;
        }

        /**
         * True if the input holds log-probabilities (no clamp, no range check) rather than probabilities.
         *
         * @param logInput true for log-probabilities, false (the default) for probabilities
         * @return this builder
         */
        public Builder logInput(boolean logInput) {
            this.logInput = logInput;
            return this;
        }

        /**
         * Per-class weights (length C, copied); null for none.
         *
         * @param classWeights one weight per class (C values), or null
         * @return this builder
         */
        public Builder classWeights(float[] classWeights) {
            if (classWeights == null) {
                this.weights = null;
            } else {
                this.weights = new double[classWeights.length];
                for (int i = 0; i < classWeights.length; i++) {
                    weights[i] = classWeights[i];
                }
            }
            return this;
        }

        /**
         * Per-class weights (length C, copied); null for none.
         *
         * @param classWeights one weight per class (C values), or null
         * @return this builder
         */
        public Builder classWeights(double[] classWeights) {
            this.weights = classWeights == null ? null : classWeights.clone();
            return this;
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code ProbabilityCrossEntropy}
         */
        public ProbabilityCrossEntropy build() {
            return new ProbabilityCrossEntropy(this);
        }
    }
}
