package org.xent;

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
public final class KLDivergence extends SameShapeLoss {

    private final boolean logTarget;
    private final KLDivergenceKernel kernel;

    private KLDivergence(Builder b) {
        super(b.reduction, "input", "targets", null);
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

    @Override
    boolean elementwise() {
        return true;
    }

    @Override
    double denominator(long rows, long columns) {
        return reduction == Reduction.MEAN ? (double) rows * columns : rows;
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows * cols, logTarget, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows * cols, logTarget, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link KLDivergence}; defaults: batchmean reduction, probability targets. */
    public static final class Builder extends LossBuilder<Builder> {
        private boolean logTarget;

        private Builder() {
            super("KL divergence", Reduction.BATCHMEAN, null);
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
