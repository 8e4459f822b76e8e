package org.xent;

import org.xent.internal.Checks;
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
public final class Distillation extends ViewLoss {

    private final double temperature;
    private final DistillationKernel kernel;
    /** The kernel family, for its segment kernels (see {@link #readsSegments}). */
    private final org.xent.internal.LossKernels segments;

    private Distillation(Builder b) {
        super(b.reduction);
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

    /**
     * Batch-mean (or sum, per the reduction) loss of {@code rows} rows from index 0.
     *
     * @param studentLogits student logits, {@code rows * classes} values from index 0, row-major
     * @param teacherLogits teacher logits, same shape, from index 0
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public float forward(float[] studentLogits, float[] teacherLogits, int rows, int classes) {
        return forward(studentLogits, 0, teacherLogits, 0, rows, classes, null, 0);
    }

    /**
     * Computes the loss.
     *
     * @param studentLogits   student logits, {@code rows * classes} values from {@code studentOffset}, row-major
     * @param studentOffset   index in {@code studentLogits} of the first row's first value
     * @param teacherLogits   teacher logits, same shape, from {@code teacherOffset}
     * @param teacherOffset   index in {@code teacherLogits} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} row losses from {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on a null array, negative sizes, a slice out of bounds, or an output overlapping
     *                                  an input
     */
    public float forward(float[] studentLogits, int studentOffset, float[] teacherLogits, int teacherOffset,
                         int rows, int classes, float[] rowLosses, int rowLossesOffset) {
        int size = check(studentLogits, len(studentLogits), studentOffset, teacherLogits, len(teacherLogits),
                teacherOffset, rows, classes);
        checkRowLosses(rowLosses, len(rowLosses), rowLossesOffset, rows, studentLogits, studentOffset,
                teacherLogits, teacherOffset, size);
        double sum = kernel.forward(studentLogits, studentOffset, teacherLogits, teacherOffset, rows, classes,
                temperature, rowLosses, rowLossesOffset);
        return (float) reduce(sum, rows);
    }

    /**
     * Computes the loss and its gradient with respect to the student logits (the gradient of the returned value).
     *
     * @param studentLogits   student logits, {@code rows * classes} values from {@code studentOffset}, row-major
     * @param studentOffset   index in {@code studentLogits} of the first row's first value
     * @param teacherLogits   teacher logits, same shape, from {@code teacherOffset}
     * @param teacherOffset   index in {@code teacherLogits} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} row losses from {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the student
     *                        logits slice itself (same array, same offset) to compute in place, but must not partly
     *                        overlap it or overlap the teacher logits or the row losses
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     * @throws IllegalArgumentException on the bad arguments {@code forward} rejects, or a gradient slice out of bounds
     *                                  or overlapping as above
     */
    public float forwardBackward(float[] studentLogits, int studentOffset, float[] teacherLogits, int teacherOffset,
                                 int rows, int classes, float[] rowLosses, int rowLossesOffset,
                                 float[] gradient, int gradientOffset) {
        int size = check(studentLogits, len(studentLogits), studentOffset, teacherLogits, len(teacherLogits),
                teacherOffset, rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, studentLogits, studentOffset, teacherLogits,
                teacherOffset);
        checkRowLosses(rowLosses, len(rowLosses), rowLossesOffset, rows, studentLogits, studentOffset,
                teacherLogits, teacherOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size,
                false);
        double sum = kernel.forwardBackward(studentLogits, studentOffset, teacherLogits, teacherOffset, rows, classes,
                temperature, rowLosses, rowLossesOffset, gradient, gradientOffset, (float) gradScale(rows));
        return (float) reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forward(float[], float[], int, int)}.
     *
     * @param studentLogits student logits, {@code rows * classes} values from index 0, row-major
     * @param teacherLogits teacher logits, same shape, from index 0
     * @param rows          the number of rows N (the batch size)
     * @param classes       the number of classes C in a row
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] studentLogits, double[] teacherLogits, int rows, int classes) {
        return forward(studentLogits, 0, teacherLogits, 0, rows, classes, null, 0);
    }

    /**
     * Float64 version of {@link #forward(float[], int, float[], int, int, int, float[], int)}.
     *
     * @param studentLogits   student logits, {@code rows * classes} values from {@code studentOffset}, row-major
     * @param studentOffset   index in {@code studentLogits} of the first row's first value
     * @param teacherLogits   teacher logits, same shape, from {@code teacherOffset}
     * @param teacherOffset   index in {@code teacherLogits} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} row losses from {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forward(double[] studentLogits, int studentOffset, double[] teacherLogits, int teacherOffset,
                          int rows, int classes, double[] rowLosses, int rowLossesOffset) {
        int size = check(studentLogits, len(studentLogits), studentOffset, teacherLogits, len(teacherLogits),
                teacherOffset, rows, classes);
        checkRowLosses(rowLosses, len(rowLosses), rowLossesOffset, rows, studentLogits, studentOffset,
                teacherLogits, teacherOffset, size);
        double sum = kernel.forward(studentLogits, studentOffset, teacherLogits, teacherOffset, rows, classes,
                temperature, rowLosses, rowLossesOffset);
        return reduce(sum, rows);
    }

    /**
     * Float64 version of {@link #forwardBackward(float[], int, float[], int, int, int, float[], int, float[], int)}.
     *
     * @param studentLogits   student logits, {@code rows * classes} values from {@code studentOffset}, row-major
     * @param studentOffset   index in {@code studentLogits} of the first row's first value
     * @param teacherLogits   teacher logits, same shape, from {@code teacherOffset}
     * @param teacherOffset   index in {@code teacherLogits} of the first row's first value
     * @param rows            the number of rows N (the batch size)
     * @param classes         the number of classes C in a row
     * @param rowLosses       optional (may be null): receives the {@code rows} row losses from {@code rowLossesOffset}
     * @param rowLossesOffset index in {@code rowLosses} of the first loss (unused when it is null)
     * @param gradient        receives {@code rows * classes} values from {@code gradientOffset}; it may be the student
     *                        logits slice itself (same array, same offset) to compute in place, but must not partly
     *                        overlap it or overlap the teacher logits or the row losses
     * @param gradientOffset  index in {@code gradient} of the first row's first value
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the row losses
     */
    public double forwardBackward(double[] studentLogits, int studentOffset, double[] teacherLogits,
                                  int teacherOffset, int rows, int classes, double[] rowLosses, int rowLossesOffset,
                                  double[] gradient, int gradientOffset) {
        int size = check(studentLogits, len(studentLogits), studentOffset, teacherLogits, len(teacherLogits),
                teacherOffset, rows, classes);
        checkGradient(gradient, len(gradient), gradientOffset, size, studentLogits, studentOffset, teacherLogits,
                teacherOffset);
        checkRowLosses(rowLosses, len(rowLosses), rowLossesOffset, rows, studentLogits, studentOffset,
                teacherLogits, teacherOffset, size);
        Checks.noOverlap("rowLosses", rowLosses, rowLossesOffset, rows, "gradient", gradient, gradientOffset, size,
                false);
        double sum = kernel.forwardBackward(studentLogits, studentOffset, teacherLogits, teacherOffset, rows, classes,
                temperature, rowLosses, rowLossesOffset, gradient, gradientOffset, gradScale(rows));
        return reduce(sum, rows);
    }

    private static int len(float[] a) {
        return a == null ? 0 : a.length;
    }

    private static int len(double[] a) {
        return a == null ? 0 : a.length;
    }

    private static int check(Object s, int sLength, int sOffset, Object u, int uLength, int uOffset,
                             int rows, int classes) {
        int size = Checks.matrixSize(rows, classes);
        Checks.range("studentLogits", s, sLength, sOffset, size);
        Checks.range("teacherLogits", u, uLength, uOffset, size);
        return size;
    }

    private static void checkGradient(Object gradient, int length, int offset, int size,
                                      Object s, int sOffset, Object u, int uOffset) {
        Checks.gradient(gradient, length, offset, size, "studentLogits", s, sOffset, "teacherLogits", u, uOffset);
    }

    private static void checkRowLosses(Object rowLosses, int length, int offset, int rows,
                                       Object s, int sOffset, Object u, int uOffset, int size) {
        Checks.optionalOutput("rowLosses", rowLosses, length, offset, rows, "studentLogits", s, sOffset,
                "teacherLogits", u, uOffset, size);
    }

    private double reduce(double sum, int rows) {
        return reduction == Reduction.BATCHMEAN ? sum / rows : sum;
    }

    /** d(returned value)/ds = scale * (ps - pt): T, divided by N for the batch mean. */
    private double gradScale(int rows) {
        return reduction == Reduction.BATCHMEAN ? temperature / rows : temperature;
    }

    @Override
    String inputName() {
        return "studentLogits";
    }

    @Override
    String targetName() {
        return "teacherLogits";
    }

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
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, temperature, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, temperature, out, oo, g, go, gradScale);
    }

    @Override
    double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                    double[] out, int oo, double[] g, int go, double gradScale) {
        return g == null
                ? kernel.forward(x, xo, t, to, rows, cols, temperature, out, oo)
                : kernel.forwardBackward(x, xo, t, to, rows, cols, temperature, out, oo, g, go, gradScale);
    }

    /** Settings of a {@link Distillation}; defaults: temperature 1, batch-mean reduction. */
    public static final class Builder {
        private Reduction reduction = Reduction.BATCHMEAN;
        private double temperature = 1.0;

        private Builder() {}

        /**
         * {@link Reduction#NONE}, {@link Reduction#SUM} or {@link Reduction#BATCHMEAN} (divides by N).
         *
         * @param reduction the reduction
         * @return this builder
         * @throws InvalidArgumentException if {@code reduction} is null or {@link Reduction#MEAN}
         */
        public Builder reduction(Reduction reduction) {
            Checks.notNull("reduction", reduction);
            if (reduction == Reduction.MEAN) {
                throw new InvalidArgumentException("reduction",
                        "reduction must be NONE, SUM or BATCHMEAN for distillation, got " + reduction);
            }
            this.reduction = reduction;
            return this;
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
