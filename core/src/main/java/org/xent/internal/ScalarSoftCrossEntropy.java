package org.xent.internal;

/**
 * Plain-Java soft-label cross-entropy: the fallback where the Vector API is absent, and the oracle the vector
 * kernel is checked against. It works in double whatever the storage type (exp and log from {@link Math}), so
 * its float32 results are as accurate as float32 storage allows. Two passes per row: the max, then exp-sum
 * and the coefficient sums; forward + backward stores exp in the gradient buffer and rescales it in a third pass.
 */
final class ScalarSoftCrossEntropy implements SoftCrossEntropyKernel {

    static final ScalarSoftCrossEntropy INSTANCE = new ScalarSoftCrossEntropy();

    private ScalarSoftCrossEntropy() {}

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, float smoothing, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, float smoothing, float[] rowLoss, int rowLossOffset,
                              float[] grad, int gradOffset, float gradScale) {
        // Coefficient a_c = w_c * (k1 * y_c + k2), rounded to float as PyTorch's smoothed target is.
        final float k1 = smoothing > 0f ? 1f - smoothing : 1f;
        final float k2 = smoothing > 0f ? (float) (smoothing / (double) classes) : 0f;
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            final int xo = xOffset + r * classes;
            final int yo = yOffset + r * classes;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[xo + c]);
            }
            double s = 0, sumA = 0, dot = 0;
            for (int c = 0; c < classes; c++) {
                double z = x[xo + c] - m;
                double e = Math.exp(z);
                s += e;
                float a = k1 * y[yo + c] + k2;
                if (w != null) {
                    a *= w[c];
                }
                sumA += a;
                if (a != 0f) {
                    dot += a * z;
                }
                if (grad != null) {
                    grad[gradOffset + r * classes + c] = (float) e;
                }
            }
            double loss = sumA * Math.log(s) - dot;
            if (classes == 0) {
                loss = -0.0;
            }
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
            if (grad != null) {
                final double scaleP = sumA * gradScale / s;
                final int go = gradOffset + r * classes;
                for (int c = 0; c < classes; c++) {
                    float a = k1 * y[yo + c] + k2;
                    if (w != null) {
                        a *= w[c];
                    }
                    grad[go + c] = (float) (grad[go + c] * scaleP - (double) a * gradScale);
                }
            }
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, double smoothing, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, smoothing, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, double smoothing, double[] rowLoss, int rowLossOffset,
                              double[] grad, int gradOffset, double gradScale) {
        final double k1 = smoothing > 0 ? 1 - smoothing : 1;
        final double k2 = smoothing > 0 ? smoothing / classes : 0;
        double total = -0.0;
        for (int r = 0; r < rows; r++) {
            final int xo = xOffset + r * classes;
            final int yo = yOffset + r * classes;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[xo + c]);
            }
            double s = 0, sumA = 0, dot = 0;
            for (int c = 0; c < classes; c++) {
                double z = x[xo + c] - m;
                double e = Math.exp(z);
                s += e;
                double a = k1 * y[yo + c] + k2;
                if (w != null) {
                    a *= w[c];
                }
                sumA += a;
                if (a != 0) {
                    dot += a * z;
                }
                if (grad != null) {
                    grad[gradOffset + r * classes + c] = e;
                }
            }
            double loss = classes == 0 ? -0.0 : sumA * Math.log(s) - dot;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (grad != null) {
                final double scaleP = sumA * gradScale / s;
                final int go = gradOffset + r * classes;
                for (int c = 0; c < classes; c++) {
                    double a = k1 * y[yo + c] + k2;
                    if (w != null) {
                        a *= w[c];
                    }
                    grad[go + c] = grad[go + c] * scaleP - a * gradScale;
                }
            }
        }
        return total;
    }
}
