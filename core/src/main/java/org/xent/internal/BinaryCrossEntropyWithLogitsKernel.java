package org.xent.internal;

/**
 * Element kernel of binary cross-entropy on logits, in PyTorch's stable form: with {@code mx = max(-x, 0)} and
 * {@code L = 1 + (pw - 1) * y},
 * {@code l = w * ((1 - y) * x + L * (log(exp(-mx) + exp(-x - mx)) + mx))}; gradient with respect to x
 * {@code w * ((pw * y + 1 - y) * sigmoid(x) - pw * y) * gradScale}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated; {@code weights} and {@code posWeight} may be null (all ones).</li>
 *   <li>Element (n, c) uses {@code weights[n * weightsRowStride + c]} (stride 0: per class, stride C: per
 *       element) and {@code posWeight[c]}.</li>
 *   <li>x = -inf gives a NaN loss (as the stable form does in PyTorch: {@code -x - mx = inf - inf}) and a
 *       finite gradient; x = +inf gives {@code (1 - y) * inf} (NaN where y = 1) and a finite gradient.</li>
 *   <li>{@code loss} may be null; otherwise element i's loss goes to {@code loss[lossOffset + i]}.</li>
 *   <li>{@code grad} may be exactly the logits region (in place), or null: the loss alone ({@code gradOffset}
 *       and {@code gradScale} are then unused).</li>
 *   <li>The return value is the sum of the element losses, each row's partial sum added to a double total in
 *       row order, starting from 0.0. Nothing is allocated.</li>
 * </ul>
 */
public interface BinaryCrossEntropyWithLogitsKernel {

    double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                           float[] weights, int weightsRowStride, float[] posWeight, float[] loss, int lossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                           double[] weights, int weightsRowStride, double[] posWeight, double[] loss, int lossOffset,
                           double[] grad, int gradOffset, double gradScale);
}
