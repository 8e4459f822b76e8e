package org.xent;

/**
 * How the per-element (or per-row) losses of a batch are combined into one value, as in PyTorch's
 * {@code reduction} argument.
 *
 * <p>Every loss documents which reductions it accepts and what its {@link #MEAN} divides by (the
 * "mean denominator"). Whatever the reduction, the gradient a loss computes is the gradient of the value it
 * returns; for {@link #NONE} that value is the sum of the unreduced losses.
 */
public enum Reduction {
    /** No reduction: the unreduced losses are written to the caller's buffer; the returned value is their sum. */
    NONE,
    /** The sum of the unreduced losses. */
    SUM,
    /** The sum divided by the loss's mean denominator (see each loss). */
    MEAN,
    /** The sum divided by the batch size N (KL divergence and distillation). */
    BATCHMEAN
}
