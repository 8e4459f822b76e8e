package org.xent;

import org.xent.internal.BinaryCrossEntropyKernel;
import org.xent.internal.BinaryLossChecks;
import org.xent.internal.Checks;
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
 * <p>Float32 computes in float lanes with an inline log (error about 1 ulp); float64 in double. Instances are
 * immutable and thread-safe; a call allocates nothing. Bad arguments raise an {@link IllegalArgumentException}
 * naming the parameter, before any output is written.
 */
public final class BinaryCrossEntropy extends ViewLoss {

    private final float[] weights32;
    private final double[] weights64;
    private final BinaryCrossEntropyKernel kernel;

    private BinaryCrossEntropy(Builder b) {
        super(b.reduction);
        this.weights64 = b.weights == null ? null : b.weights.clone();
        this.weights32 = toFloat(weights64);
        this.kernel = KernelProvider.kernels().binaryCrossEntropy();
    }

    static float[] toFloat(double[] values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
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

    /**
     * Mean (or sum, per the reduction) loss of {@code rows * classes} probabilities and targets from index 0.
     *
     * @param probabilities probabilities in [0, 1], {@code rows * classes} values from index 0, row-major
     * @param targets       targets, same shape, from index 0
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C (columns) in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public float forward(float[] probabilities, float[] targets, int rows, int classes) {
        return forward(probabilities, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param probabilities       probabilities in [0, 1], {@code rows * classes} values from
     *                            {@code probabilitiesOffset}, row-major
     * @param probabilitiesOffset index in {@code probabilities} of the first row's first value
     * @param targets             targets, same shape, from {@code targetsOffset}
     * @param targetsOffset       index in {@code targets} of the first row's first value
     * @param rows                the number of rows N (the batch size)
     * @param classes             the number of classes C (columns) in a row
     * @param losses              optional (may be null): receives the {@code rows * classes} element losses from
     *                            {@code lossesOffset}
     * @param lossesOffset        index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, overlapping output and
     *                                  input, weights of a length other than C or N * C, or a probability outside [0,
     *                                  1] or NaN
     */
    public float forward(float[] probabilities, int probabilitiesOffset, float[] targets, int targetsOffset,
                         int rows, int classes, float[] losses, int lossesOffset) {
        int size = check(probabilities, len(probabilities), probabilitiesOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = weightsStride(rows, classes);
        checkLosses(losses, len(losses), lossesOffset, size, probabilities, probabilitiesOffset, targets, targetsOffset);
        if (losses != null) {
            requireProbabilities(probabilities, probabilitiesOffset, size);
        }
        double sum = kernel.forward(probabilities, probabilitiesOffset, targets, targetsOffset, rows, classes,
                weights32, stride, losses, lossesOffset);
        if (losses == null && Double.isNaN(sum)) {
            requireProbabilities(probabilities, probabilitiesOffset, size);
        }
        return (float) reduce(sum, size);
    }

    /**
     * Computes the loss and its gradient with respect to the probabilities. The gradient is that of the returned
     * value: for {@link Reduction#MEAN} it is divided by N * C.
     *
     * @param probabilities       probabilities in [0, 1], {@code rows * classes} values from
     *                            {@code probabilitiesOffset}, row-major
     * @param probabilitiesOffset index in {@code probabilities} of the first row's first value
     * @param targets             targets, same shape, from {@code targetsOffset}
     * @param targetsOffset       index in {@code targets} of the first row's first value
     * @param rows                the number of rows N (the batch size)
     * @param classes             the number of classes C (columns) in a row
     * @param losses              optional (may be null): receives the {@code rows * classes} element losses from
     *                            {@code lossesOffset}
     * @param lossesOffset        index in {@code losses} of the first loss (unused when it is null)
     * @param gradient            receives {@code rows * classes} values from {@code gradientOffset}; it may be the
     *                            probabilities slice itself (same array, same offset) to compute in place, but must not
     *                            partly overlap it or overlap the targets or the losses
     * @param gradientOffset      index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] probabilities, int probabilitiesOffset, float[] targets, int targetsOffset,
                                 int rows, int classes, float[] losses, int lossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(probabilities, len(probabilities), probabilitiesOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = weightsStride(rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, probabilities, probabilitiesOffset, targets,
                targetsOffset);
        checkLosses(losses, len(losses), lossesOffset, size, probabilities, probabilitiesOffset, targets, targetsOffset);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        requireProbabilities(probabilities, probabilitiesOffset, size);
        double sum = kernel.forwardBackward(probabilities, probabilitiesOffset, targets, targetsOffset, rows, classes,
                weights32, stride, losses, lossesOffset, gradient, gradientOffset, (float) gradScale(size));
        return (float) reduce(sum, size);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param probabilities probabilities in [0, 1], {@code rows * classes} values from index 0, row-major
     * @param targets       targets, same shape, from index 0
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C (columns) in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forward(double[] probabilities, double[] targets, int rows, int classes) {
        return forward(probabilities, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param probabilities       probabilities in [0, 1], {@code rows * classes} values from
     *                            {@code probabilitiesOffset}, row-major
     * @param probabilitiesOffset index in {@code probabilities} of the first row's first value
     * @param targets             targets, same shape, from {@code targetsOffset}
     * @param targetsOffset       index in {@code targets} of the first row's first value
     * @param rows                the number of rows N (the batch size)
     * @param classes             the number of classes C (columns) in a row
     * @param losses              optional (may be null): receives the {@code rows * classes} element losses from
     *                            {@code lossesOffset}
     * @param lossesOffset        index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forward(double[] probabilities, int probabilitiesOffset, double[] targets, int targetsOffset,
                          int rows, int classes, double[] losses, int lossesOffset) {
        int size = check(probabilities, len(probabilities), probabilitiesOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = weightsStride(rows, classes);
        checkLosses(losses, len(losses), lossesOffset, size, probabilities, probabilitiesOffset, targets, targetsOffset);
        if (losses != null) {
            requireProbabilities(probabilities, probabilitiesOffset, size);
        }
        double sum = kernel.forward(probabilities, probabilitiesOffset, targets, targetsOffset, rows, classes,
                weights64, stride, losses, lossesOffset);
        if (losses == null && Double.isNaN(sum)) {
            requireProbabilities(probabilities, probabilitiesOffset, size);
        }
        return reduce(sum, size);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param probabilities       probabilities in [0, 1], {@code rows * classes} values from
     *                            {@code probabilitiesOffset}, row-major
     * @param probabilitiesOffset index in {@code probabilities} of the first row's first value
     * @param targets             targets, same shape, from {@code targetsOffset}
     * @param targetsOffset       index in {@code targets} of the first row's first value
     * @param rows                the number of rows N (the batch size)
     * @param classes             the number of classes C (columns) in a row
     * @param losses              optional (may be null): receives the {@code rows * classes} element losses from
     *                            {@code lossesOffset}
     * @param lossesOffset        index in {@code losses} of the first loss (unused when it is null)
     * @param gradient            receives {@code rows * classes} values from {@code gradientOffset}; it may be the
     *                            probabilities slice itself (same array, same offset) to compute in place, but must not
     *                            partly overlap it or overlap the targets or the losses
     * @param gradientOffset      index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forwardBackward(double[] probabilities, int probabilitiesOffset, double[] targets, int targetsOffset,
                                  int rows, int classes, double[] losses, int lossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(probabilities, len(probabilities), probabilitiesOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = weightsStride(rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, probabilities, probabilitiesOffset, targets,
                targetsOffset);
        checkLosses(losses, len(losses), lossesOffset, size, probabilities, probabilitiesOffset, targets, targetsOffset);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        requireProbabilities(probabilities, probabilitiesOffset, size);
        double sum = kernel.forwardBackward(probabilities, probabilitiesOffset, targets, targetsOffset, rows, classes,
                weights64, stride, losses, lossesOffset, gradient, gradientOffset, gradScale(size));
        return reduce(sum, size);
    }

    private void requireProbabilities(float[] p, int offset, int size) {
        int bad = kernel.firstInvalidProbability(p, offset, size);
        if (bad >= 0) {
            throw BinaryLossChecks.probabilityOutOfRange(bad, p[offset + bad]);
        }
    }

    private void requireProbabilities(double[] p, int offset, int size) {
        int bad = kernel.firstInvalidProbability(p, offset, size);
        if (bad >= 0) {
            throw BinaryLossChecks.probabilityOutOfRange(bad, p[offset + bad]);
        }
    }

    private static int len(float[] a) {
        return a == null ? 0 : a.length;
    }

    private static int len(double[] a) {
        return a == null ? 0 : a.length;
    }

    private static int check(Object p, int pLength, int pOffset, Object y, int yLength, int yOffset,
                             int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("probabilities", p, pLength, pOffset, size);
        Checks.range("targets", y, yLength, yOffset, size);
        return size;
    }

    private int weightsStride(int rows, int classes) {
        return weights64 == null ? 0 : BinaryLossChecks.weightsRowStride(weights64.length, rows, classes);
    }

    private static void checkGradient(Object gradient, int length, int offset, int size,
                                      Object p, int pOffset, Object y, int yOffset) {
        Checks.gradient(gradient, length, offset, size, "probabilities", p, pOffset, "targets", y, yOffset);
    }

    private static void checkLosses(Object losses, int length, int offset, int size,
                                    Object p, int pOffset, Object y, int yOffset) {
        Checks.optionalOutput("losses", losses, length, offset, size, "probabilities", p, pOffset, "targets", y, yOffset,
                size);
    }

    private double reduce(double sum, int size) {
        return reduction == Reduction.MEAN ? sum / size : sum;
    }

    private double gradScale(int size) {
        return reduction == Reduction.MEAN ? 1.0 / size : 1.0;
    }

    @Override
    String inputName() {
        return "probabilities";
    }

    @Override
    boolean elementwise() {
        return true;
    }

    @Override
    void checkOptions(long rows, long columns) {
        if (weights64 != null && weights64.length != columns) {
            BinaryLossChecks.weightsRowStride(weights64.length, (int) Math.min(rows, Integer.MAX_VALUE),
                    (int) Math.min(columns, Integer.MAX_VALUE));
        }
    }

    @Override
    void checkValues(TensorView input, TensorView target) {
        long bad = firstInvalidInput(input);
        if (bad >= 0) {
            throw new InvalidArgumentException("probabilities", "probabilities must be between 0 and 1 (all"
                    + " elements of input should be between 0 and 1), got a value outside at row "
                    + bad / input.columns() + ", column " + bad % input.columns());
        }
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
    double denominator(TensorView input, TensorView target) {
        return (double) input.rows() * input.columns();
    }

    @Override
    float[] elementWeights32(long rows, long columns) {
        return weights64 == null || weights64.length == columns ? null : weights32;
    }

    @Override
    double[] elementWeights64(long rows, long columns) {
        return weights64 == null || weights64.length == columns ? null : weights64;
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        float[] w = aux != null ? aux : weights32;
        int stride = aux != null ? cols : 0;
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, w, stride, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, w, stride, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        double[] w = aux != null ? aux : weights64;
        int stride = aux != null ? cols : 0;
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, w, stride, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, w, stride, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link BinaryCrossEntropy}; defaults: mean reduction, no weights. */
    public static final class Builder {
        private Reduction reduction = Reduction.MEAN;
        private double[] weights;

        private Builder() {}

        /**
         * {@link Reduction#NONE}, {@link Reduction#SUM} or {@link Reduction#MEAN} (divides by N * C).
         *
         * @param reduction the reduction
         * @return this builder
         * @throws InvalidArgumentException if {@code reduction} is null or {@link Reduction#BATCHMEAN}
         */
        public Builder reduction(Reduction reduction) {
            Checks.notNull("reduction", reduction);
            if (reduction == Reduction.BATCHMEAN) {
                throw new InvalidArgumentException("reduction",
                        "reduction must be NONE, SUM or MEAN for binary cross-entropy, got " + reduction);
            }
            this.reduction = reduction;
            return this;
        }

        /**
         * Weights per class (length C) or per element (length N * C, row-major), copied; null for none.
         *
         * @param weights C weights (one per class) or N * C (one per element), or null
         * @return this builder
         */
        public Builder weights(float[] weights) {
            this.weights = toDouble(weights);
            return this;
        }

        /**
         * Weights per class (length C) or per element (length N * C, row-major), copied; null for none.
         *
         * @param weights C weights (one per class) or N * C (one per element), or null
         * @return this builder
         */
        public Builder weights(double[] weights) {
            this.weights = weights == null ? null : weights.clone();
            return this;
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

    static double[] toDouble(float[] values) {
        if (values == null) {
            return null;
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
