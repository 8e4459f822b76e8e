package org.xent;

import org.xent.internal.Checks;
import org.xent.internal.KLDivergenceKernel;
import org.xent.internal.KernelProvider;

/**
 * Kullback-Leibler divergence between a target distribution and a model's log-probabilities: PyTorch's
 * {@code kl_div(input, target, reduction, log_target)}. The input holds log-probabilities (e.g. a log-softmax);
 * the target holds probabilities, or log-probabilities with {@link Builder#logTarget(boolean)}.
 *
 * <p>Pointwise, for input x and target t of shape N x C:
 * <pre>
 *   probability target:      l = xlogy(t, t) - t x     (xlogy(0, .) = 0)   dl/dx = -t
 *   log-probability target:  l = exp(t) (t - x)                             dl/dx = -exp(t)
 * </pre>
 * Reductions: {@link Reduction#NONE} (the N x C elementwise losses), {@link Reduction#SUM},
 * {@link Reduction#MEAN} (sum / (N C), as PyTorch's {@code 'mean'}, which is rarely what is wanted) and
 * {@link Reduction#BATCHMEAN} (sum / N, the true KL divergence per sample; the default here, whereas PyTorch
 * defaults to {@code 'mean'} and warns about it). The gradient is divided by the same denominator. N = 0 gives
 * NaN for MEAN and BATCHMEAN.
 *
 * <p>Edge cases as in PyTorch: a negative or NaN target gives NaN; a NaN input gives NaN; a -inf input where the
 * target is positive gives +inf. The gradient with respect to the input is {@code -t} (or {@code -exp(t)}), so it
 * is -0.0 where t = 0, whatever the input.
 *
 * <p><b>Deliberate deviation from PyTorch (masked classes):</b> an element whose target probability is exactly 0
 * (t = 0, or exp(t) = 0 with a log target, e.g. t = -inf) contributes 0 where the input is -inf, instead of
 * {@code 0 * -inf = NaN}. A NaN or +inf input still gives NaN there.
 *
 * <p>float32 computes the logarithm and exponential of the target with inline vector approximations (log under 1 ulp, exp under 1.1 ulp).
 * Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an
 * {@link IllegalArgumentException} naming the parameter, before any output is written.
 */
public final class KLDivergence extends ViewLoss {

    private final boolean logTarget;
    private final KLDivergenceKernel kernel;

    private KLDivergence(Builder b) {
        super(b.reduction);
        this.logTarget = b.logTarget;
        this.kernel = KernelProvider.kernels().klDivergence();
    }

    /**
     * A loss with reduction {@link Reduction#BATCHMEAN} and probability targets.
     *
     * @return a new loss with the default settings
     */
    public static KLDivergence create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: batchmean reduction, probability targets
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the targets hold log-probabilities, as set by the builder.
     *
     * @return true for log-probabilities, false for probabilities
     */
    public boolean logTarget() {
        return logTarget;
    }

    /**
     * The loss over {@code rows} rows of input and targets starting at index 0.
     *
     * @param input   log-probabilities, {@code rows * classes} values from index 0, row-major
     * @param targets probabilities (or log-probabilities), same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     */
    public float forward(float[] input, float[] targets, int rows, int classes) {
        return forward(input, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param input         log-probabilities, {@code rows * classes} values from {@code inputOffset}, row-major
     * @param inputOffset   index in {@code input} of the first row's first value
     * @param targets       probabilities (or log-probabilities), same shape, from {@code targetsOffset}
     * @param targetsOffset index in {@code targets} of the first row's first value
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C in a row
     * @param losses        optional (may be null): receives the {@code rows * classes} elementwise losses from
     *                      {@code lossesOffset}
     * @param lossesOffset  index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds or overlapping output and
     *                                  input
     */
    public float forward(float[] input, int inputOffset, float[] targets, int targetsOffset, int rows, int classes,
                         float[] losses, int lossesOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkLosses(losses, losses == null ? 0 : losses.length, lossesOffset, input, inputOffset, targets,
                targetsOffset, size);
        double sum = kernel.forward(input, inputOffset, targets, targetsOffset, size, logTarget, losses, lossesOffset);
        return (float) (sum / denominator(rows, classes));
    }

    /**
     * Computes the loss and its gradient with respect to the input in one call. The gradient is that of the
     * returned value (divided by the reduction's denominator).
     *
     * @param input          log-probabilities, {@code rows * classes} values from {@code inputOffset}, row-major
     * @param inputOffset    index in {@code input} of the first row's first value
     * @param targets        probabilities (or log-probabilities), same shape, from {@code targetsOffset}
     * @param targetsOffset  index in {@code targets} of the first row's first value
     * @param rows           the number of rows N (the batch size)
     * @param classes        the number of classes C in a row
     * @param losses         optional (may be null): receives the {@code rows * classes} elementwise losses from
     *                       {@code lossesOffset}
     * @param lossesOffset   index in {@code losses} of the first loss (unused when it is null)
     * @param gradient       receives {@code rows * classes} values from {@code gradientOffset}; it may be the input
     *                       slice itself (same array, same offset), but must not partly overlap it or overlap the
     *                       targets
     * @param gradientOffset index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] input, int inputOffset, float[] targets, int targetsOffset,
                                 int rows, int classes, float[] losses, int lossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "input", input, inputOffset, "targets", targets, targetsOffset);
        checkLosses(losses, losses == null ? 0 : losses.length, lossesOffset, input, inputOffset, targets,
                targetsOffset, size);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        double d = denominator(rows, classes);
        double sum = kernel.forwardBackward(input, inputOffset, targets, targetsOffset, size, logTarget,
                losses, lossesOffset, gradient, gradientOffset, (float) (1.0 / d));
        return (float) (sum / d);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param input   log-probabilities, {@code rows * classes} values from index 0, row-major
     * @param targets probabilities (or log-probabilities), same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     */
    public double forward(double[] input, double[] targets, int rows, int classes) {
        return forward(input, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param input         log-probabilities, {@code rows * classes} values from {@code inputOffset}, row-major
     * @param inputOffset   index in {@code input} of the first row's first value
     * @param targets       probabilities (or log-probabilities), same shape, from {@code targetsOffset}
     * @param targetsOffset index in {@code targets} of the first row's first value
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C in a row
     * @param losses        optional (may be null): receives the {@code rows * classes} elementwise losses from
     *                      {@code lossesOffset}
     * @param lossesOffset  index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     */
    public double forward(double[] input, int inputOffset, double[] targets, int targetsOffset, int rows,
                          int classes, double[] losses, int lossesOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkLosses(losses, losses == null ? 0 : losses.length, lossesOffset, input, inputOffset, targets,
                targetsOffset, size);
        double sum = kernel.forward(input, inputOffset, targets, targetsOffset, size, logTarget, losses, lossesOffset);
        return sum / denominator(rows, classes);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param input          log-probabilities, {@code rows * classes} values from {@code inputOffset}, row-major
     * @param inputOffset    index in {@code input} of the first row's first value
     * @param targets        probabilities (or log-probabilities), same shape, from {@code targetsOffset}
     * @param targetsOffset  index in {@code targets} of the first row's first value
     * @param rows           the number of rows N (the batch size)
     * @param classes        the number of classes C in a row
     * @param losses         optional (may be null): receives the {@code rows * classes} elementwise losses from
     *                       {@code lossesOffset}
     * @param lossesOffset   index in {@code losses} of the first loss (unused when it is null)
     * @param gradient       receives {@code rows * classes} values from {@code gradientOffset}; it may be the input
     *                       slice itself (same array, same offset), but must not partly overlap it or overlap the
     *                       targets
     * @param gradientOffset index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the elementwise losses
     */
    public double forwardBackward(double[] input, int inputOffset, double[] targets, int targetsOffset,
                                  int rows, int classes, double[] losses, int lossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(input, input == null ? 0 : input.length, inputOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "input", input, inputOffset, "targets", targets, targetsOffset);
        checkLosses(losses, losses == null ? 0 : losses.length, lossesOffset, input, inputOffset, targets,
                targetsOffset, size);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        double d = denominator(rows, classes);
        double sum = kernel.forwardBackward(input, inputOffset, targets, targetsOffset, size, logTarget,
                losses, lossesOffset, gradient, gradientOffset, 1.0 / d);
        return sum / d;
    }

    private static int check(Object input, int inputLength, int inputOffset, Object targets, int targetsLength,
                             int targetsOffset, int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("input", input, inputLength, inputOffset, size);
        Checks.range("targets", targets, targetsLength, targetsOffset, size);
        return size;
    }

    private static void checkLosses(Object losses, int length, int offset, Object input, int inputOffset,
                                    Object targets, int targetsOffset, int size) {
        Checks.optionalOutput("losses", losses, length, offset, size, "input", input, inputOffset, "targets", targets,
                targetsOffset, size);
    }

    private double denominator(int rows, int classes) {
        return switch (reduction) {
            case NONE, SUM -> 1.0;
            case MEAN -> (double) rows * classes;
            case BATCHMEAN -> rows;
        };
    }

    @Override
    String inputName() {
        return "input";
    }

    @Override
    boolean elementwise() {
        return true;
    }

    @Override
    double denominator(TensorView input, TensorView target) {
        return reduction == Reduction.MEAN ? (double) input.rows() * input.columns() : input.rows();
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows * cols, logTarget, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows * cols, logTarget, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows * cols, logTarget, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows * cols, logTarget, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link KLDivergence}; defaults: batchmean reduction, probability targets. */
    public static final class Builder {
        private Reduction reduction = Reduction.BATCHMEAN;
        private boolean logTarget;

        private Builder() {}

        /**
         * Any {@link Reduction}: MEAN divides by N C, BATCHMEAN by N.
         *
         * @param reduction the reduction
         * @return this builder
         * @throws InvalidArgumentException if {@code reduction} is null
         */
        public Builder reduction(Reduction reduction) {
            this.reduction = (Reduction) Checks.notNull("reduction", reduction);
            return this;
        }

        /**
         * True if the targets hold log-probabilities rather than probabilities.
         *
         * @param logTarget true for log-probabilities, false (the default) for probabilities
         * @return this builder
         */
        public Builder logTarget(boolean logTarget) {
            this.logTarget = logTarget;
            return this;
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code KLDivergence}
         */
        public KLDivergence build() {
            return new KLDivergence(this);
        }
    }
}
