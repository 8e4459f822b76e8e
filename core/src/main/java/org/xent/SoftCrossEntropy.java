package org.xent;

import org.xent.internal.Checks;
import java.lang.foreign.MemorySegment;
import org.xent.internal.KernelProvider;
import org.xent.internal.LossKernels;
import org.xent.internal.SoftCrossEntropyKernel;

/**
 * Cross-entropy between logits and soft (probability) targets, with optional class weights and label
 * smoothing: PyTorch's {@code cross_entropy(input, target)} with a floating-point target of the input's shape.
 *
 * <p>For a batch of N rows and C classes, with smoothed targets {@code ys = (1 - eps) y + eps / C} (just
 * {@code y} when eps = 0) and coefficients {@code a_nc = w_c ys_nc}:
 * <pre>
 *   loss_n = - sum_c a_nc log_softmax(x_n)_c = lse(x_n) * sum_c a_nc - sum_c a_nc x_nc
 *   dloss_n / dx_n = softmax(x_n) * sum_c a_nc - a_n
 * </pre>
 * Reductions: {@link Reduction#NONE}, {@link Reduction#SUM}, and {@link Reduction#MEAN}, which divides by N
 * with or without weights (the targets are never renormalised). Log-softmax is never materialised: each row
 * is streamed twice (max, then exp-sum and dot products).
 *
 * <p><b>Deliberate deviation from PyTorch (masked classes):</b> a term whose coefficient {@code a_nc} is exactly
 * 0 contributes 0 even where its logit is -inf, instead of {@code 0 * -inf = NaN}. A vocabulary masked with
 * -inf logits and zero targets therefore has a finite loss. Any other NaN or infinity propagates as in PyTorch
 * (a NaN logit or target gives a NaN row, a +inf logit gives NaN, a -inf logit with a positive coefficient gives
 * +inf).
 *
 * <p>Also stricter than PyTorch: a label smoothing that is negative or NaN is rejected (PyTorch ignores it).
 *
 * <p>Arrays are row-major {@code float[]} or {@code double[]} slices with an offset, so callers can keep large
 * buffers. Instances are immutable and thread-safe; a call allocates nothing. Bad arguments raise an
 * {@link IllegalArgumentException} naming the parameter, before any output is written.
 */
public final class SoftCrossEntropy extends ViewLoss {

    private final double labelSmoothing;
    private final float[] weights32;
    private final double[] weights64;
    private final SoftCrossEntropyKernel kernel;
    private final LossKernels segments;

    private SoftCrossEntropy(Builder b) {
        super(b.reduction);
        this.labelSmoothing = b.labelSmoothing;
        this.weights64 = b.weights == null ? null : b.weights.clone();
        if (weights64 == null) {
            this.weights32 = null;
        } else {
            this.weights32 = new float[weights64.length];
            for (int i = 0; i < weights64.length; i++) {
                weights32[i] = (float) weights64[i];
            }
        }
        this.kernel = KernelProvider.kernels().softCrossEntropy();
        this.segments = KernelProvider.kernels();
    }

    /**
     * A loss with reduction {@link Reduction#MEAN}, no class weights and no label smoothing.
     *
     * @return a new loss with the default settings
     */
    public static SoftCrossEntropy create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: mean reduction, no class weights, no label smoothing
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
     * Mean loss over {@code rows} rows of logits and targets starting at index 0 (or sum / total, per the reduction).
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets target probabilities, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public float forward(float[] logits, float[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, overlapping output and
     *                                  input, or class weights whose length is not {@code classes}
     */
    public float forward(float[] logits, int logitsOffset, float[] targets, int targetsOffset, int rows, int classes,
                         float[] rowLosses, int rowLossesOffset) {
        int size = check(logits, logits == null ? 0 : logits.length, logitsOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, targets, targetsOffset, size);
        double sum = kernel.forward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, (float) labelSmoothing, rowLosses, rowLossesOffset);
        return (float) reduce(sum, rows);
    }

    /**
     * Computes the loss and its gradient with respect to the logits in one call (what a training step needs).
     * The gradient is that of the returned value: for {@link Reduction#MEAN} it is divided by N.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                        slice itself (same array, same offset) to compute in place, but must not partly overlap it
     *                        or overlap the targets
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] logits, int logitsOffset, float[] targets, int targetsOffset,
                                 int rows, int classes, float[] rowLosses, int rowLossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(logits, logits == null ? 0 : logits.length, logitsOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "logits", logits, logitsOffset, "targets", targets, targetsOffset);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, targets, targetsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights32, (float) labelSmoothing, rowLosses, rowLossesOffset, gradient, gradientOffset,
                (float) gradScale(rows));
        return (float) reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param logits  logits, {@code rows * classes} values from index 0, row-major
     * @param targets target probabilities, same shape, from index 0
     * @param rows    the number of rows N (the batch size)
     * @param classes the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] logits, double[] targets, int rows, int classes) {
        return forward(logits, 0, targets, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] logits, int logitsOffset, double[] targets, int targetsOffset, int rows,
                          int classes, double[] rowLosses, int rowLossesOffset) {
        int size = check(logits, logits == null ? 0 : logits.length, logitsOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, targets, targetsOffset, size);
        double sum = kernel.forward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, labelSmoothing, rowLosses, rowLossesOffset);
        return reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param logits          logits, {@code rows * classes} values from {@code logitsOffset}, row-major
     * @param logitsOffset    index in {@code logits} of the first row's first value
     * @param targets         target probabilities, same shape, from {@code targetsOffset}
     * @param targetsOffset   index in {@code targets} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} unreduced losses from
     *                        {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the logits
     *                        slice itself (same array, same offset) to compute in place, but must not partly overlap it
     *                        or overlap the targets
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forwardBackward(double[] logits, int logitsOffset, double[] targets, int targetsOffset,
                                  int rows, int classes, double[] rowLosses, int rowLossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(logits, logits == null ? 0 : logits.length, logitsOffset, targets,
                targets == null ? 0 : targets.length, targetsOffset, rows, classes);
        Checks.gradient(gradient, gradient == null ? 0 : gradient.length, gradientOffset, size,
                "logits", logits, logitsOffset, "targets", targets, targetsOffset);
        checkRowLosses(rowLosses, rowLosses == null ? 0 : rowLosses.length, rowLossesOffset, rows,
                logits, logitsOffset, targets, targetsOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size, false);
        double sum = kernel.forwardBackward(logits, logitsOffset, targets, targetsOffset, rows, classes,
                weights64, labelSmoothing, rowLosses, rowLossesOffset, gradient, gradientOffset, gradScale(rows));
        return reduce(sum, rows);
    }

    @Override
    String inputName() {
        return "logits";
    }

    @Override
    void checkOptions(long rows, long columns) {
        Checks.classWeights(weights64 == null ? -1 : weights64.length, (int) Math.min(columns, Integer.MAX_VALUE));
    }

    @Override
    boolean readsSegments(ElementType storage) {
        return segments.segmentSoftCrossEntropy(storage) != null;
    }

    @Override
    double segmentKernel32(ElementType storage, MemorySegment x, long xOff, long xStride, MemorySegment y, long yOff, long yStride,
                           int rows, int cols, float[] rowLoss, MemorySegment g, long gOff, long gStride,
                           int gradType, float gradScale) {
        return segments.segmentSoftCrossEntropy(storage).run(x, xOff, xStride, y, yOff, yStride, rows, cols, weights32, (float) labelSmoothing, rowLoss, g,
                        gOff, gStride, gradType, gradScale);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, weights32, (float) labelSmoothing, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, weights32, (float) labelSmoothing, out, oo, g, go,
                        gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, weights64, labelSmoothing, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, weights64, labelSmoothing, out, oo, g, go,
                        gradScale);
    }

    private int check(Object logits, int logitsLength, int logitsOffset, Object targets, int targetsLength,
                      int targetsOffset, int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("logits", logits, logitsLength, logitsOffset, size);
        Checks.range("targets", targets, targetsLength, targetsOffset, size);
        Checks.classWeights(weights64 == null ? -1 : weights64.length, classes);
        return size;
    }

    private static void checkRowLosses(Object rowLosses, int length, int offset, int rows,
                                       Object logits, int logitsOffset, Object targets, int targetsOffset, int size) {
        Checks.optionalOutput("rowLosses", rowLosses, length, offset, rows, "logits", logits, logitsOffset, "targets",
                targets, targetsOffset, size);
    }

    private double reduce(double sum, int rows) {
        return reduction == Reduction.MEAN ? sum / rows : sum;
    }

    private double gradScale(int rows) {
        return reduction == Reduction.MEAN ? 1.0 / rows : 1.0;
    }

    /** Settings of a {@link SoftCrossEntropy}; defaults: mean reduction, no class weights, no smoothing. */
    public static final class Builder {
        private Reduction reduction = Reduction.MEAN;
        private double labelSmoothing;
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
         * Label smoothing eps in [0, 1]: the target becomes {@code (1 - eps) y + eps / C}.
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
         * @return a new {@code SoftCrossEntropy}
         */
        public SoftCrossEntropy build() {
            return new SoftCrossEntropy(this);
        }
    }
}
