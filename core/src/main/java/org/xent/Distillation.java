package org.xent;

import org.xent.internal.DistillationKernel;
import org.xent.internal.KernelProvider;

/**
 * Knowledge-distillation loss between student and teacher logits at a temperature T: the usual
 * {@code T^2 * kl_div(log_softmax(student / T), softmax(teacher / T), reduction='batchmean')} of PyTorch code.
 *
 * <p>With {@code pt = softmax(u / T)} (teacher u) and {@code ps = softmax(s / T)} (student s), row-wise:
 * <pre>
 *   loss_n = T^2 * sum_c pt_nc * (log pt_nc - log ps_nc)
 *   dloss_n / ds_n = T * (ps_n - pt_n)          (the teacher is a constant: no gradient for it)
 * </pre>
 * Reductions: {@link Reduction#NONE} (row losses, N, written to the caller's buffer), {@link Reduction#SUM}, and
 * {@link Reduction#BATCHMEAN} (default), which divides by N (gradient {@code (T / N) (ps - pt)}). N = 0 gives a
 * sum of 0 and a batch mean of NaN. {@link Reduction#MEAN} is not offered (it would divide by N * C, which is
 * rarely what distillation means).
 *
 * <p>Fused: neither softmax is materialised. Each row is read twice (both maxima; then both exps, their sums and
 * {@code sum exp(zt) (zt - zs)}), and a third time for the gradient. The gradient buffer may be the student
 * logits slice itself (in place).
 *
 * <p>Edge cases: C = 1 gives 0 with zero gradient. A class whose teacher logit is -inf (teacher probability 0)
 * contributes 0 to the loss and {@code T ps} to the gradient. <b>Deliberate deviation from PyTorch (masked
 * classes):</b> where the same class is -inf in both teacher and student, PyTorch's loss is NaN
 * ({@code 0 * -inf}); here it contributes 0, so a vocabulary masked in both models has a finite loss (the
 * gradient, 0 there, is the same). A student -inf where the teacher probability is positive gives +inf; a +inf
 * or NaN logit gives NaN. Logits of +-1e30 stay finite.
 *
 * <p>Float32 computes in float lanes with an inline exp and multiplies by 1/T rounded to float rather than
 * dividing by T (one rounding of difference per logit); float64 divides by T. Instances are immutable and
 * thread-safe; a call allocates nothing. Bad arguments raise an {@link IllegalArgumentException} naming the
 * parameter, before any output is written.
 */
public final class Distillation extends SameShapeLoss {

    private final double temperature;
    private final DistillationKernel kernel;
    /** The kernel family, for its segment kernels (see {@link #readsSegments}). */
    private final org.xent.internal.LossKernels segments;

    private Distillation(Builder b) {
        super(b.reduction, "studentLogits", "teacherLogits", null);
        this.temperature = b.temperature;
        this.kernel = KernelProvider.kernels().distillation();
        this.segments = KernelProvider.kernels();
    }

    /**
     * A loss with temperature 1 and reduction {@link Reduction#BATCHMEAN}.
     *
     * @return a new loss with the default settings
     */
    public static Distillation create() {
        return builder().build();
    }

    /**
     * A builder, for a loss with settings other than the defaults.
     *
     * @return a new builder with the defaults: temperature 1, batch-mean reduction
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The temperature set by the builder.
     *
     * @return T, finite and positive
     */
    public double temperature() {
        return temperature;
    }

    /** d(returned value)/ds = scale * (ps - pt): T, divided by N for the batch mean. */

    @Override
    double gradScale(double denominator) {
        return reduction == Reduction.BATCHMEAN ? temperature / denominator : temperature;
    }

    @Override
    boolean readsSegments(ElementType storage) {
        return segments.segmentDistillation(storage) != null;
    }

    @Override
    double segmentKernel32(ElementType storage, java.lang.foreign.MemorySegment x, long xOff, long xStride,
                           java.lang.foreign.MemorySegment y, long yOff, long yStride, int rows, int cols,
                           float[] rowLoss, java.lang.foreign.MemorySegment g, long gOff, long gStride, int gradType,
                           float gradScale) {
        return segments.segmentDistillation(storage).run(x, xOff, xStride, y, yOff, yStride, rows,
                cols, temperature, rowLoss, g, gOff, gStride, gradType, gradScale);
    }

    @Override
    double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                    float[] out, int oo, float[] g, int go, float gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, temperature, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return kernel.forwardBackward(x, xo, t, to, rows, cols, temperature, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link Distillation}; defaults: temperature 1, batch-mean reduction. */
    public static final class Builder extends LossBuilder<Builder> {
        private double temperature = 1.0;

        private Builder() {
            super("distillation", Reduction.BATCHMEAN, Reduction.MEAN);
        }

        /**
         * The temperature T: finite and > 0 (PyTorch gives NaN for T = 0; here it is an error).
         *
         * @param temperature the temperature T
         * @return this builder
         * @throws InvalidArgumentException if T is not finite and positive (NaN, 0, negative or infinite)
         */
        public Builder temperature(double temperature) {
            if (!(temperature > 0.0 && temperature < Double.POSITIVE_INFINITY)) {
                throw new InvalidArgumentException("temperature", "temperature must be finite and > 0, got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /**
         * The loss with this builder's settings.
         *
         * @return a new {@code Distillation}
         */
        public Distillation build() {
            return new Distillation(this);
        }
    }
}
