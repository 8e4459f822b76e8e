package org.xent.internal;

/**
 * Row kernel of cross-entropy on probabilities (the model already applied softmax): for each row n of an
 * N x C row-major block, with coefficients {@code a_nc = w_c y_nc},
 * <pre>
 *   probabilities p:        loss_n = - sum_c a_nc max(log p_nc, -100),  grad = -a / p where log p >= -100, else 0 (as clamp's backward)
 *   log-probabilities lp:   loss_n = - sum_c a_nc lp_nc,                grad = -a
 * </pre>
 * (gradients times {@code gradScale}).
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated, except that {@code forward} may be called with probabilities not yet
 *       checked: a probability outside [0, 1] or NaN then makes its row's loss, and the returned sum, NaN, so
 *       that the caller (which looks for the culprit with {@link #findInvalidProbability} only when the sum is
 *       NaN) pays no separate validation pass on valid input. {@code weights} may be null (all ones).</li>
 *   <li>With log-probabilities, a term whose coefficient is exactly 0 contributes 0 where lp is -inf (masked
 *       class); NaN or +inf still propagate.</li>
 *   <li>{@code rowLoss} may be null; otherwise row n's loss goes to {@code rowLoss[rowLossOffset + n]}.</li>
 *   <li>{@code grad} may be exactly the input region (in place).</li>
 *   <li>The return value is the sum of the row losses, accumulated in double in row order.</li>
 *   <li>{@code grad} may be null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>Nothing is allocated.</li>
 * </ul>
 */
public interface ProbabilityCrossEntropyKernel {

    /** Index (relative to {@code offset}) of the first value that is NaN or outside [0, 1], or -1 if there is none. */
    int findInvalidProbability(float[] p, int offset, int length);

    int findInvalidProbability(double[] p, int offset, int length);

    double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes, float[] weights,
                           boolean logInput, float[] rowLoss, int rowLossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes, double[] weights,
                           boolean logInput, double[] rowLoss, int rowLossOffset,
                           double[] grad, int gradOffset, double gradScale);
}
