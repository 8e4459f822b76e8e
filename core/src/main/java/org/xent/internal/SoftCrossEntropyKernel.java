package org.xent.internal;

/**
 * Row kernel of soft-label cross-entropy: for each row n of an N x C row-major block,
 * {@code loss_n = A_n * lse(x_n) - sum_c a_nc * x_nc} with coefficients {@code a_nc = w_c * ((1 - eps) * y_nc + eps / C)}
 * and {@code A_n = sum_c a_nc}; gradient {@code (p_n * A_n - a_n) * gradScale}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated; {@code weights} may be null (all ones).</li>
 *   <li>A term whose coefficient is exactly 0 contributes 0, even where its logit is -inf (masked class).</li>
 *   <li>{@code rowLoss} may be null; otherwise row n's loss goes to {@code rowLoss[rowLossOffset + n]}.</li>
 *   <li>{@code grad} may be exactly the logits region (in place): each logit is read before its gradient is written.</li>
 *   <li>The return value is the sum of the row losses, accumulated in double in row order, starting from -0.0.</li>
 *   <li>{@code grad} may be null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>Nothing is allocated.</li>
 * </ul>
 */
public interface SoftCrossEntropyKernel {

    double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                           float[] weights, float smoothing, float[] rowLoss, int rowLossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                           double[] weights, double smoothing, double[] rowLoss, int rowLossOffset,
                           double[] grad, int gradOffset, double gradScale);
}
