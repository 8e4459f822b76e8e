package org.xent;

import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;
import org.xent.internal.BinaryLossChecks;
import org.xent.internal.KernelProvider;

/**
 * Binary cross-entropy on logits, with optional weights and positive-class weights: PyTorch's
 * {@code binary_cross_entropy_with_logits(input, target, weight, pos_weight)}. Every one of the N x C elements
 * is an independent binary problem with probability {@code sigmoid(x)}.
 *
 * <p>For a logit x, target y, weight w and positive-class weight pw (of the element's class), in PyTorch's stable
 * form, with {@code mx = max(-x, 0)} and {@code L = 1 + (pw - 1) * y}:
 * <pre>
 *   loss = w * ((1 - y) * x + L * (log(exp(-mx) + exp(-x - mx)) + mx))
 *        = -w * (pw * y * log sigmoid(x) + (1 - y) * log(1 - sigmoid(x)))
 *   dloss / dx = w * ((pw * y + 1 - y) * sigmoid(x) - pw * y)
 * </pre>
 * Large logits are exact: x = 1e30 with y = 0 gives 1e30; x = -80 with y = 0 gives 0.
 *
 * <p>Reductions: {@link Reduction#NONE} (element losses, N x C, written to the caller's buffer), {@link Reduction#SUM},
 * and {@link Reduction#MEAN}, which divides by N * C (weights are not in the denominator). N * C = 0 gives a sum
 * of 0 and a mean of NaN.
 *
 * <p>Weights (optional, on the builder) are per class (length C) or per element (length N * C); positive-class
 * weights (optional) have length C. Both are checked against each call's shape. Zero or negative values are
 * accepted, as in PyTorch.
 *
 * <p>Edge cases follow PyTorch: x = +inf gives {@code (1 - y) * inf} (NaN where y = 1, +inf where y &lt; 1) with a
 * finite gradient {@code w * (1 - y)}; x = -inf gives NaN whatever y (the stable form computes {@code inf - inf})
 * with a finite gradient {@code -w * pw * y}; a NaN logit or target gives NaN.
 *
 * <p>Float32 computes in float lanes with inline exp and log (one of each per element); float64 in double.
 * Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an
 * {@link IllegalArgumentException} naming the parameter, before any output is written.
 */
public final class BinaryCrossEntropyWithLogits extends BinaryLoss {

    private final float[] posWeight32;
    private final double[] posWeight64;
    private final BinaryCrossEntropyWithLogitsKernel kernel;

    private BinaryCrossEntropyWithLogits(Builder b) {
        super(b.reduction, "logits", b.weights);
        this.posWeight64 = b.posWeight;
        this.posWeight32 = float32(posWeight64);
        this.kernel = KernelProvider.kernels().binaryCrossEntropyWithLogits();
    }

    /**
     * A loss with reduction {@link Reduction#MEAN} and no weights.
     *
     * @return a new loss with the default settings
     */
    public static BinaryCrossEntropyWithLogits create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: mean reduction, no weights, no positive-class weights
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void checkOptions(long rows, long columns) {
        if (posWeight64 != null) {
            BinaryLossChecks.posWeight(posWeight64.length, (int) Math.min(columns, Integer.MAX_VALUE));
        }
        super.checkOptions(rows, columns);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, kernelWeights(aux), weightsStride(aux, cols),
                posWeight32, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, kernelWeights(aux), weightsStride(aux, cols),
                posWeight64, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link BinaryCrossEntropyWithLogits}; defaults: mean reduction, no weights, no positive-class weights. */
    public static final class Builder extends BinaryLossBuilder<Builder> {
        private double[] posWeight;

        private Builder() {
            super("binary cross-entropy with logits");
        }

        /**
         * Positive-class weights pw, one per class (length C), copied; null for none (all ones).
         *
         * @param posWeight C positive-class weights (one per class), or null
         * @return this builder
         */
        public Builder posWeight(float[] posWeight) {
            this.posWeight = copy(posWeight);
            return this;
        }

        /**
         * Positive-class weights pw, one per class (length C), copied; null for none (all ones).
         *
         * @param posWeight C positive-class weights (one per class), or null
         * @return this builder
         */
        public Builder posWeight(double[] posWeight) {
            this.posWeight = copy(posWeight);
            return this;
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code BinaryCrossEntropyWithLogits}
         */
        public BinaryCrossEntropyWithLogits build() {
            return new BinaryCrossEntropyWithLogits(this);
        }
    }
}
