package org.xent;

import org.xent.internal.BinaryCrossEntropyKernel;
import org.xent.internal.KernelProvider;

/**
 * Binary cross-entropy between probabilities and (soft) targets: PyTorch's
 * {@code binary_cross_entropy(input, target, weight)}. Every one of the N x C elements is an independent
 * binary problem.
 *
 * <p>For a probability p, target y and weight w:
 * <pre>
 *   loss = -w * (y * max(log p, -100) + (1 - y) * max(log(1 - p), -100))
 *   dloss / dp = w * (p - y) / max(p * (1 - p), E),   E = 1e-12f = 9.999999960041972e-13 (float32 and float64)
 * </pre>
 * {@code log(1 - p)} is the log of the rounded difference, not {@code log1p(-p)}, as in PyTorch. The clamp at
 * -100 keeps p = 0 and p = 1 finite (loss 100 where the target disagrees, gradient {@code -+1/E}).
 *
 * <p>Reductions: {@link Reduction#NONE} (element losses, N x C, written to the caller's buffer), {@link Reduction#SUM},
 * and {@link Reduction#MEAN}, which divides by N * C (weights are not in the denominator). N * C = 0 gives a sum
 * of 0 and a mean of NaN.
 *
 * <p>Weights (optional, set on the builder) are per class (length C) or per element (length N * C); the length is
 * checked against each call's shape.
 *
 * <p>Inputs: every probability must lie in [0, 1]; a value outside, or NaN, raises an
 * {@link IllegalArgumentException} (as PyTorch raises an error), before anything is written to a caller's buffer.
 * When the call writes no buffer, the check costs nothing on valid input: it runs only if the result is NaN.
 * Targets are not checked (values outside [0, 1] are used as given; NaN propagates).
 *
 * <p>Float32 computes in float lanes with an inline log (error about 1 ulp); a row holding a probability below
 * {@link Float#MIN_NORMAL} (0 or a subnormal: a float32 sigmoid gives them only for logits below about -87) is
 * computed in double by scalar code instead, several times slower per element of that row. Float64 computes in
 * double. Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an {@link IllegalArgumentException}
 * naming the parameter, before any output is written.
 */
public final class BinaryCrossEntropy extends BinaryLoss {

    private final BinaryCrossEntropyKernel kernel;

    private BinaryCrossEntropy(Builder b) {
        super(b.reduction, "probabilities", b.weights);
        this.kernel = KernelProvider.kernels().binaryCrossEntropy();
    }

    /**
     * A loss with reduction {@link Reduction#MEAN} and no weights.
     *
     * @return a new loss with the default settings
     */
    public static BinaryCrossEntropy create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: mean reduction, no weights
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    boolean checksInput() {
        return true;
    }

    @Override
    String invalidInputMessage(long row, long column, String found) {
        return "probabilities must be between 0 and 1 (all elements of input should be between 0 and 1), got a value"
                + " outside at row " + row + ", column " + column;
    }

    @Override
    int firstInvalid32(float[] x, int xo, int n) {
        return kernel.firstInvalidProbability(x, xo, n);
    }

    @Override
    int firstInvalid64(double[] x, int xo, int n) {
        return kernel.firstInvalidProbability(x, xo, n);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, kernelWeights(aux), weightsStride(aux, cols), out, oo,
                g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, kernelWeights(aux), weightsStride(aux, cols), out, oo,
                g, go, gradScale);
    }

    /** Settings of a {@link BinaryCrossEntropy}; defaults: mean reduction, no weights. */
    public static final class Builder extends BinaryLossBuilder<Builder> {

        private Builder() {
            super("binary cross-entropy");
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code BinaryCrossEntropy}
         */
        public BinaryCrossEntropy build() {
            return new BinaryCrossEntropy(this);
        }
    }

}
