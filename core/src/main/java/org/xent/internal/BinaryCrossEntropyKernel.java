package org.xent.internal;

/**
 * Element kernel of binary cross-entropy on probabilities: for each element of an N x C row-major block,
 * {@code l = -w * (y * max(log p, -100) + (1 - y) * max(log(1 - p), -100))}, gradient with respect to p
 * {@code w * (p - y) / max(p * (1 - p), E) * gradScale} with {@code E = 1e-12f}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated, except the probability range: an input outside [0, 1] or NaN makes
 *       the result NaN (callers that write nothing may validate after the call, see
 *       {@link #firstInvalidProbability}).</li>
 *   <li>{@code weights} may be null (all ones); otherwise element (n, c) uses
 *       {@code weights[n * weightsRowStride + c]}, so a stride of 0 means per-class weights and a stride of C
 *       per-element weights.</li>
 *   <li>{@code loss} may be null; otherwise element i's loss goes to {@code loss[lossOffset + i]}.</li>
 *   <li>{@code grad} may be exactly the probabilities region (in place): each input is read before its
 *       gradient is written.</li>
 *   <li>The return value is the sum of the element losses; each row's partial sum is added to a double total
 *       in row order, starting from 0.0.</li>
 *   <li>{@code grad} may be null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>Nothing is allocated.</li>
 * </ul>
 */
public interface BinaryCrossEntropyKernel {

    /** {@code E = 1e-12} rounded to float, as PyTorch uses it in float32 and float64 alike. */
    float EPSILON = 1e-12f;

    double forwardBackward(float[] p, int pOffset, float[] y, int yOffset, int rows, int classes,
                           float[] weights, int weightsRowStride, float[] loss, int lossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] p, int pOffset, double[] y, int yOffset, int rows, int classes,
                           double[] weights, int weightsRowStride, double[] loss, int lossOffset,
                           double[] grad, int gradOffset, double gradScale);

    /** Index (from {@code offset}) of the first value outside [0, 1] or NaN in {@code p[offset, offset + length)}, or -1. */
    int firstInvalidProbability(float[] p, int offset, int length);

    /** Float64 version of {@link #firstInvalidProbability(float[], int, int)}. */
    int firstInvalidProbability(double[] p, int offset, int length);
}
