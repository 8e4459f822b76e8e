package org.xent.internal;

/**
 * Row kernel of cross-entropy with class-index targets: for each row n of an N x C row-major block with target
 * t_n, and k1 = 1 - eps, k2 = eps / C,
 * <pre>
 *   q_nc   = w_c (k1 [c == t_n] + k2)              (the smoothed one-hot coefficients)
 *   loss_n = Q_n lse(x_n) - sum_c q_nc x_nc,  Q_n = sum_c q_nc = k1 w_t + k2 sum_c w_c
 *   grad_n = (softmax(x_n) Q_n - q_n) * gradScale
 * </pre>
 * computed with x shifted by the row max. A row whose target equals {@code ignoreIndex} has loss exactly 0 and a
 * zero gradient row, whatever its logits.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated: every target is {@code ignoreIndex} or in [0, C); {@code weights} may be
 *       null (all ones); {@code smoothing} is in [0, 1].</li>
 *   <li>A term whose coefficient is exactly 0 contributes 0, even where its logit is -inf (masked class).</li>
 *   <li>{@code rowLoss} may be null; otherwise row n's loss goes to {@code rowLoss[rowLossOffset + n]}.</li>
 *   <li>{@code grad} may be exactly the logits region (in place): each logit is read before its gradient is written.</li>
 *   <li>The return value is the sum of the row losses, accumulated in double in row order, starting from 0.0.</li>
 *   <li>{@code grad} may be null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>Nothing is allocated.</li>
 * </ul>
 */
public interface HardCrossEntropyKernel {

    double forwardBackward(float[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                           float[] weights, float smoothing, int ignoreIndex, float[] rowLoss, int rowLossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                           double[] weights, double smoothing, int ignoreIndex, double[] rowLoss, int rowLossOffset,
                           double[] grad, int gradOffset, double gradScale);
}
