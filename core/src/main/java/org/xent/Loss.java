package org.xent;

/**
 * What every loss of xent is to a training or evaluation loop: a value computed from an input batch and its
 * targets, and its gradient with respect to the input. Like PyTorch's {@code _Loss}, a loop can hold any of the
 * seven ({@link SoftCrossEntropy}, {@link HardCrossEntropy}, {@link BinaryCrossEntropy},
 * {@link BinaryCrossEntropyWithLogits}, {@link ProbabilityCrossEntropy}, {@link KLDivergence},
 * {@link Distillation}) as a {@code Loss}; the reduction and the loss's options are set by its builder.
 *
 * <p>Every argument is a {@link TensorView}: a heap array, a heap or native {@link java.lang.foreign.MemorySegment},
 * of float32, float64, bfloat16 or float16 values (class indices: int32 or int64), with rows optionally padded
 * (a row stride wider than the column count). The input is an N x C matrix; what the target is depends on the loss
 * (an N x C matrix of the same shape, or N class indices for {@link HardCrossEntropy}); each view may have its own
 * element type, for example bfloat16 logits, float32 targets and a float32 gradient.
 *
 * <p><b>Precision.</b> A loss computes in float64 when its input is float64, else in float32 (16-bit values are
 * widened exactly; sums are accumulated as in the float32 kernels), and the returned value is that result (a
 * float32 result widened exactly to double). Outputs are rounded to their view's type, to nearest, ties to even.
 *
 * <p><b>Checks.</b> Each call checks its views (shape, element type, a writable and non-overlapping output; the
 * gradient may be exactly the input view, to compute in place) and throws an {@link InvalidArgumentException}
 * naming the parameter before anything is written. Instances are immutable and thread-safe; a call on a heap array
 * of the compute type allocates nothing, and any other call allocates nothing once the shared scratch pool holds
 * as many scratch sets (a few blocks of rows each) as calls run at once, whichever threads make them.
 *
 * <p><b>Same bits.</b> A call's results do not depend on the JIT tier its code runs in (cross-lane sums are
 * taken in a fixed order), nor on the thread count of {@link #parallel} (a batch is split into parts fixed by its
 * shape, whose sums are added in part order). Both hold for one JDK build at one vector width.
 */
public interface Loss {

    /**
     * The reduction set by the builder.
     *
     * @return the reduction of this loss
     */
    Reduction reduction();

    /**
     * The reduced loss of a batch.
     *
     * @param input  the N x C input (logits, probabilities or log-probabilities, as the loss defines)
     * @param target the targets, as the loss defines them
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     */
    default double forward(TensorView input, TensorView target) {
        return forward(input, target, null);
    }

    /**
     * The reduced loss, and optionally the unreduced ones.
     *
     * @param input     the N x C input (logits, probabilities or log-probabilities, as the loss defines)
     * @param target    the targets, as the loss defines them
     * @param unreduced null, or a view that receives the unreduced losses: a vector of N values for the losses that
     *                  have one value per row, an N x C matrix for the element-wise ones (see each loss)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     */
    default double forward(TensorView input, TensorView target, TensorView unreduced) {
        return forward(input, target, null, unreduced);
    }

    /**
     * The reduced loss of a batch whose rows are weighted, and optionally the unreduced losses.
     *
     * <p><b>Row weights.</b> A vector of N finite, non-negative values of any floating-point type, for example a
     * 0/1 mask of padding tokens. Row {@code n}'s losses are multiplied by {@code w[n]} (the unreduced output holds
     * the weighted values), its gradient too, and a mean divides by the weights' sum instead of the row count
     * (times C for the element-wise means; for {@link HardCrossEntropy}, the sum of {@code w[n]} times the class
     * weight of row {@code n}'s target, over the rows not ignored). A row of weight 0 contributes nothing, whatever
     * its values (NaN included), as an ignored target does: its unreduced losses and its gradient row are 0 (an
     * accumulating loss leaves its gradient row as it was). Rows that all weigh 1 give the bits of no weights.
     *
     * @param input      the N x C input (logits, probabilities or log-probabilities, as the loss defines)
     * @param target     the targets, as the loss defines them
     * @param rowWeights null (every row weighs 1), or a vector of N finite, non-negative weights
     * @param unreduced  null, or a view that receives the weighted unreduced losses
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the weighted unreduced losses
     * @throws InvalidArgumentException on {@code rowWeights} if it is not a floating-point vector of N values, or
     *                                  holds a negative or non-finite weight (nothing is written)
     */
    double forward(TensorView input, TensorView target, TensorView rowWeights, TensorView unreduced);

    /**
     * The reduced loss and its gradient with respect to the input, in one pass (what a training step needs). The
     * gradient is that of the returned value: for {@link Reduction#MEAN} it is divided by the mean's denominator.
     *
     * @param input     the N x C input (logits, probabilities or log-probabilities, as the loss defines)
     * @param target    the targets, as the loss defines them
     * @param unreduced null, or a view that receives the unreduced losses
     * @param gradient  an N x C view that receives the gradient; it may be the input view itself (in place)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the unreduced losses
     */
    default double forwardBackward(TensorView input, TensorView target, TensorView unreduced, TensorView gradient) {
        return forwardBackward(input, target, null, unreduced, gradient);
    }

    /**
     * The reduced loss of a batch whose rows are weighted, and its gradient with respect to the input: row
     * {@code n}'s gradient is {@code w[n]} times its unweighted gradient, divided by the weighted denominator for
     * a mean (the row weights' rules are those of {@link #forward(TensorView, TensorView, TensorView, TensorView)}).
     *
     * @param input      the N x C input (logits, probabilities or log-probabilities, as the loss defines)
     * @param target     the targets, as the loss defines them
     * @param rowWeights null (every row weighs 1), or a vector of N finite, non-negative weights
     * @param unreduced  null, or a view that receives the weighted unreduced losses
     * @param gradient   an N x C view that receives the gradient; it may be the input view itself (in place)
     * @return the reduced loss; for {@link Reduction#NONE} the sum of the weighted unreduced losses
     * @throws InvalidArgumentException on a bad view, and on {@code rowWeights} as the weighted {@code forward}
     *                                  does (nothing is written)
     */
    double forwardBackward(TensorView input, TensorView target, TensorView rowWeights, TensorView unreduced,
                           TensorView gradient);

    /**
     * This loss, with large batches split over up to {@code threads} threads of xent's shared pool (daemon
     * threads, as many as the machine's available processors).
     *
     * <p>A batch is cut into parts of a fixed number of rows that depends on its shape only (about 64k values a
     * part); the parts run on the calling thread and on pool threads, and their partial sums are added in part
     * order. So the reduced loss, the unreduced output and the gradient are the same bits for any thread count and
     * any executor, and the same as this loss gives on one thread. Batches under two parts (128k values) stay on
     * the calling thread. A parallel call allocates a few objects (the parts' sums, a latch, one task per extra
     * thread); the calling thread's own work allocates nothing, as on one thread.
     *
     * @param threads the most threads a call uses, the caller's included; at least 1
     * @return the same loss, parallel; immutable and thread-safe
     * @throws InvalidArgumentException if {@code threads} is less than 1
     */
    Loss parallel(int threads);

    /**
     * This loss, with large batches split over the calling thread and up to {@code threads - 1} tasks run by
     * {@code executor} (for example the caller's {@link java.util.concurrent.ForkJoinPool}); the same bits as
     * {@link #parallel(int)} and as one thread. A task that starts after every part is taken returns at once, and
     * the caller does whatever part no task has taken, so a saturated executor slows a call, never blocks it.
     *
     * @param executor where the extra threads' work runs
     * @param threads  the most threads a call uses, the caller's included; at least 1
     * @return the same loss, parallel; immutable and thread-safe
     * @throws InvalidArgumentException if {@code executor} is null or {@code threads} is less than 1
     */
    Loss parallel(java.util.concurrent.Executor executor, int threads);

    /**
     * This loss, adding {@code scale} times its gradient into the gradient view ({@code g += scale * dloss/dx})
     * instead of overwriting it: a combined objective such as {@code alpha * distillation + (1 - alpha) * hard CE}
     * is two calls on one gradient buffer, zeroed before the first (or the first loss not accumulating). The
     * returned loss value is not scaled. The gradient must be apart from the input: in place, the second call
     * would read the first one's gradients as logits ({@link InvalidArgumentException} on {@code gradient}). The
     * sum is taken in the compute type and rounded to the view's type once per call.
     *
     * @param scale the factor of this loss's gradient in the sum; finite
     * @return the same loss, accumulating (keeping this loss's threads and denominator)
     * @throws InvalidArgumentException if {@code scale} is not finite
     */
    Loss accumulating(double scale);

    /**
     * This loss, whose mean divides by {@code denominator} instead of the batch's own (rows, elements, or the
     * class weights of the counted rows, as the loss defines it). For a step split into micro-batches (gradient
     * accumulation, or rows spread over workers): give each micro-batch's call the whole batch's denominator and
     * the micro-batches' losses and gradients add up to the whole batch's mean and its gradient.
     *
     * @param denominator the whole batch's denominator; finite and positive
     * @return the same loss with that denominator (keeping this loss's threads and accumulation)
     * @throws InvalidArgumentException if the reduction is not a mean, or the denominator not finite and positive
     */
    Loss withDenominator(double denominator);
}
