package org.xent.internal;

/**
 * Elementwise kernel of the KL divergence over {@code size} contiguous elements (an N x C block seen flat):
 * <pre>
 *   probability target:      l = xlogy(t, t) - t * x,   dl/dx = -t
 *   log-probability target:  l = exp(t) * (t - x),      dl/dx = -exp(t)
 * </pre>
 * with x the input log-probabilities and {@code xlogy(0, .) = 0}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated.</li>
 *   <li>Where the target probability is exactly 0 (t = 0, or exp(t) = 0 with a log target), the element is 0 when x
 *       is finite or -inf (masked class), and NaN when x is NaN or +inf. A negative or NaN target gives NaN.</li>
 *   <li>{@code out} may be null; otherwise element i's loss goes to {@code out[outOffset + i]}.</li>
 *   <li>{@code grad} (times {@code gradScale}) may be exactly the input region (in place).</li>
 *   <li>The return value is the sum of the element losses, accumulated in double (in blocks: partial sums of a few
 *       thousand elements are kept in vector lanes).</li>
 *   <li>{@code grad} may be null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>Nothing is allocated.</li>
 * </ul>
 */
public interface KLDivergenceKernel {

    double forwardBackward(float[] x, int xOffset, float[] t, int tOffset, int size, boolean logTarget,
                           float[] out, int outOffset, float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] x, int xOffset, double[] t, int tOffset, int size, boolean logTarget,
                           double[] out, int outOffset, double[] grad, int gradOffset, double gradScale);
}
