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
public final class SoftCrossEntropy extends SameShapeLoss {

    private final double labelSmoothing;
    private final SoftCrossEntropyKernel kernel;
    private final LossKernels segments;

    private SoftCrossEntropy(Builder b) {
        super(b.reduction, "logits", "targets", b.weights);
        this.labelSmoothing = b.labelSmoothing;
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
        return kernel.forwardBackward(x, xo, t, to, rows, cols, weights32, (float) labelSmoothing, out, oo, g, go,
                        gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, weights64, labelSmoothing, out, oo, g, go,
                        gradScale);
    }

    /** Settings of a {@link SoftCrossEntropy}; defaults: mean reduction, no class weights, no smoothing. */
    public static final class Builder extends ClassWeightedBuilder<Builder> {
        private double labelSmoothing;

        private Builder() {
            super("cross-entropy");
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
         * The loss with this builder's settings.
         *
         * @return a new {@code SoftCrossEntropy}
         */
        public SoftCrossEntropy build() {
            return new SoftCrossEntropy(this);
        }
    }
}
