package org.xent;

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
public final class ProbabilityCrossEntropy extends SameShapeLoss {

    private final boolean logInput;
    private final ProbabilityCrossEntropyKernel kernel;

    private ProbabilityCrossEntropy(Builder b) {
        super(b.reduction, "input", "targets", b.weights);
        this.logInput = b.logInput;
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

    /** {@code bad} is the flat index of the first input outside [0, 1], or -1. */

    @Override
    boolean checksInput() {
        return !logInput;
    }

    @Override
    String invalidInputMessage(long row, long column, String found) {
        return "input: every element must be a probability in [0, 1], but row " + row + ", class " + column + " "
                + found + " (use logInput(true) for log-probabilities)";
    }

    /** Log-probabilities are not checked (any value is one); probabilities must lie in [0, 1]. */
    @Override
    int firstInvalid32(float[] x, int xo, int n) {
        return logInput ? -1 : kernel.findInvalidProbability(x, xo, n);
    }

    @Override
    int firstInvalid64(double[] x, int xo, int n) {
        return logInput ? -1 : kernel.findInvalidProbability(x, xo, n);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, weights32, logInput, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, weights64, logInput, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link ProbabilityCrossEntropy}; defaults: mean reduction, probabilities, no class weights. */
    public static final class Builder extends ClassWeightedBuilder<Builder> {
        private boolean logInput;

        private Builder() {
            super("cross-entropy");
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
         * The loss with this builder's settings.
         *
         * @return a new {@code ProbabilityCrossEntropy}
         */
        public ProbabilityCrossEntropy build() {
            return new ProbabilityCrossEntropy(this);
        }
    }
}
