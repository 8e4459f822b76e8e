package org.xent;

import org.xent.internal.BinaryCrossEntropyWithLogitsKernel;
import org.xent.internal.BinaryLossChecks;
import org.xent.internal.Checks;
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
public final class BinaryCrossEntropyWithLogits extends ViewLoss {

    private final float[] weights32;
    private final double[] weights64;
    private final float[] posWeight32;
    private final double[] posWeight64;
    private final BinaryCrossEntropyWithLogitsKernel kernel;

    private BinaryCrossEntropyWithLogits(Builder b) {
        super(b.reduction);
        this.weights64 = b.weights == null ? null : b.weights.clone();
        this.weights32 = BinaryCrossEntropy.toFloat(weights64);
        this.posWeight64 = b.posWeight == null ? null : b.posWeight.clone();
        this.posWeight32 = BinaryCrossEntropy.toFloat(posWeight64);
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

    /**
     * Mean (or sum, per the reduction) loss of {@code rows * classes} logits and targets from index 0.
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets targets, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C (columns) in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public float forward(float[] logits, float[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param logits        logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset  index in {@code logits} of the first row's first value
     * @param targets       targets, same shape, from {@code targetsOffset}
     * @param targetsOffset index in {@code targets} of the first row's first value
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C (columns) in a row
     * @param losses        optional (may be null): receives the {@code rows * classes} element losses from
     *                      {@code lossesOffset}
     * @param lossesOffset  index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, overlapping output and
     *                                  input, weights of a length other than C or N * C, or positive-class weights of a
     *                                  length other than C
     */
    public float forward(float[] logits, int logitsOffset, float[] targets, int targetsOffset,
                         int rows, int classes, float[] losses, int lossesOffset) {
        int size = check(logits, len(logits), logitsOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = checkedWeightsStride(rows, classes);
        checkLosses(losses, len(losses), lossesOffset, size, logits, logitsOffset, targets, targetsOffset);
        double sum = kernel.forward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, stride, posWeight32, losses, lossesOffset);
        return (float) reduce(sum, size);
    }

    /**
     * Computes the loss and its gradient with respect to the logits. The gradient is that of the returned
     * value: for {@link Reduction#MEAN} it is divided by N * C.
     *
     * @param logits         logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset   index in {@code logits} of the first row's first value
     * @param targets        targets, same shape, from {@code targetsOffset}
     * @param targetsOffset  index in {@code targets} of the first row's first value
     * @param rows           the number of rows N (the batch size)
     * @param classes        the number of classes C (columns) in a row
     * @param losses         optional (may be null): receives the {@code rows * classes} element losses from
     *                       {@code lossesOffset}
     * @param lossesOffset   index in {@code losses} of the first loss (unused when it is null)
     * @param gradient       receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                       slice itself (same array, same offset) to compute in place, but must not partly overlap it
     *                       or overlap the targets or the losses
     * @param gradientOffset index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] logits, int logitsOffset, float[] targets, int targetsOffset,
                                 int rows, int classes, float[] losses, int lossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(logits, len(logits), logitsOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = checkedWeightsStride(rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, logits, logitsOffset, targets,
                targetsOffset);
        checkLosses(losses, len(losses), lossesOffset, size, logits, logitsOffset, targets, targetsOffset);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, stride, posWeight32, losses, lossesOffset, gradient, gradientOffset, (float) gradScale(size));
        return (float) reduce(sum, size);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets targets, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C (columns) in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forward(double[] logits, double[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param logits        logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset  index in {@code logits} of the first row's first value
     * @param targets       targets, same shape, from {@code targetsOffset}
     * @param targetsOffset index in {@code targets} of the first row's first value
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C (columns) in a row
     * @param losses        optional (may be null): receives the {@code rows * classes} element losses from
     *                      {@code lossesOffset}
     * @param lossesOffset  index in {@code losses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forward(double[] logits, int logitsOffset, double[] targets, int targetsOffset,
                          int rows, int classes, double[] losses, int lossesOffset) {
        int size = check(logits, len(logits), logitsOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = checkedWeightsStride(rows, classes);
        checkLosses(losses, len(losses), lossesOffset, size, logits, logitsOffset, targets, targetsOffset);
        double sum = kernel.forward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, stride, posWeight64, losses, lossesOffset);
        return reduce(sum, size);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param logits         logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset   index in {@code logits} of the first row's first value
     * @param targets        targets, same shape, from {@code targetsOffset}
     * @param targetsOffset  index in {@code targets} of the first row's first value
     * @param rows           the number of rows N (the batch size)
     * @param classes        the number of classes C (columns) in a row
     * @param losses         optional (may be null): receives the {@code rows * classes} element losses from
     *                       {@code lossesOffset}
     * @param lossesOffset   index in {@code losses} of the first loss (unused when it is null)
     * @param gradient       receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                       slice itself (same array, same offset) to compute in place, but must not partly overlap it
     *                       or overlap the targets or the losses
     * @param gradientOffset index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the element losses
     */
    public double forwardBackward(double[] logits, int logitsOffset, double[] targets, int targetsOffset,
                                  int rows, int classes, double[] losses, int lossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(logits, len(logits), logitsOffset, targets, len(targets), targetsOffset,
                rows, classes);
        int stride = checkedWeightsStride(rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, logits, logitsOffset, targets,
                targetsOffset);
        checkLosses(losses, len(losses), lossesOffset, size, logits, logitsOffset, targets, targetsOffset);
        Checks.noOverlap("losses", losses, lossesOffset, size, "gradient", gradient, gradientOffset, size, false);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, stride, posWeight64, losses, lossesOffset, gradient, gradientOffset, gradScale(size));
        return reduce(sum, size);
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
        Checks.range("logits", p, pLength, pOffset, size);
        Checks.range("targets", y, yLength, yOffset, size);
        return size;
    }

    private int checkedWeightsStride(int rows, int classes) {
        if (posWeight64 != null) {
            BinaryLossChecks.posWeight(posWeight64.length, classes);
        }
        return weights64 == null ? 0 : BinaryLossChecks.weightsRowStride(weights64.length, rows, classes);
    }

    private static void checkGradient(Object gradient, int length, int offset, int size,
                                      Object p, int pOffset, Object y, int yOffset) {
        Checks.gradient(gradient, length, offset, size, "logits", p, pOffset, "targets", y, yOffset);
    }

    private static void checkLosses(Object losses, int length, int offset, int size,
                                    Object p, int pOffset, Object y, int yOffset) {
        Checks.optionalOutput("losses", losses, length, offset, size, "logits", p, pOffset, "targets", y, yOffset, size);
    }

    private double reduce(double sum, int size) {
        return reduction == Reduction.MEAN ? sum / size : sum;
    }

    private double gradScale(int size) {
        return reduction == Reduction.MEAN ? 1.0 / size : 1.0;
    }

    @Override
    String inputName() {
        return "logits";
    }

    @Override
    boolean elementwise() {
        return true;
    }

    @Override
    void checkOptions(long rows, long columns) {
        int c = (int) Math.min(columns, Integer.MAX_VALUE);
        if (posWeight64 != null) {
            BinaryLossChecks.posWeight(posWeight64.length, c);
        }
        if (weights64 != null && weights64.length != columns) {
            BinaryLossChecks.weightsRowStride(weights64.length, (int) Math.min(rows, Integer.MAX_VALUE), c);
        }
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
                ? kernel.forward(x, xo, t, to, rows, cols, w, stride, posWeight32, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, w, stride, posWeight32, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        double[] w = aux != null ? aux : weights64;
        int stride = aux != null ? cols : 0;
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, w, stride, posWeight64, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, w, stride, posWeight64, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link BinaryCrossEntropyWithLogits}; defaults: mean reduction, no weights, no positive-class weights. */
    public static final class Builder {
        private Reduction reduction = Reduction.MEAN;
        private double[] weights;
        private double[] posWeight;

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
                        "reduction must be NONE, SUM or MEAN for binary cross-entropy with logits, got " + reduction);
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
            this.weights = BinaryCrossEntropy.toDouble(weights);
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
         * Positive-class weights pw, one per class (length C), copied; null for none (all ones).
         *
         * @param posWeight C positive-class weights (one per class), or null
         * @return this builder
         */
        public Builder posWeight(float[] posWeight) {
            this.posWeight = BinaryCrossEntropy.toDouble(posWeight);
            return this;
        }

        /**
         * Positive-class weights pw, one per class (length C), copied; null for none (all ones).
         *
         * @param posWeight C positive-class weights (one per class), or null
         * @return this builder
         */
        public Builder posWeight(double[] posWeight) {
            this.posWeight = posWeight == null ? null : posWeight.clone();
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
